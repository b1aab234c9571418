/**
 * Sending: feed entries are written at once; email, SMS and device notifications go to
 * `lms.notification` through the outbox (async), or are delivered now with retries and, when every
 * attempt fails, dead-lettered on `lms.notification.failed` with the reason (sync).
 */
import { randomUUID } from 'node:crypto';
import { serviceUnavailable } from '@lern/kit';
import type { NotificationDeps } from '../context.ts';
import { deliverNow } from '../delivery/dispatch.ts';
import { invalidRequest } from '../errors.ts';
import { overflow } from '../feed/operations.ts';
import type { FeedRow } from '../feed/store.ts';
import { failedEntry, jobEntries } from './events.ts';
import { feedRows, fromV2, refusal, v1FeedRow, type JobNotification } from './operations.ts';
import type { PrivateNotification, V1FeedNotification, V1Notification, V2Notification } from './schemas.ts';

/** Runs `task` over `items`, `width` at a time. */
async function inChunks<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(task));
}

/** Stores feed entries, dropping each user's oldest past the feed limit. */
export async function writeFeed(deps: NotificationDeps, rows: readonly FeedRow[]): Promise<void> {
  const byUser = new Map<string, FeedRow[]>();
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
  await inChunks([...byUser.entries()], 20, async ([userId, adding]) => {
    const existing = (await deps.feed.list(userId)).filter((r) => (r.version === 'v1') === (adding[0]?.version === 'v1'));
    await deps.feed.insertAll(adding);
    await deps.feed.remove(userId, overflow(existing, adding.length, deps.options.feedLimit));
  });
}

/** Queues job notifications on lms.notification (one outbox write each: events can be large). */
export async function enqueue(deps: NotificationDeps, jobs: readonly JobNotification[], requestId: string): Promise<void> {
  await inChunks(jobEntries(jobs, requestId, deps.now()), 10, async (entry) => {
    await deps.outbox.write([], [entry]);
  });
}

/** Delivers now; a notification that fails every attempt is dead-lettered and the request answers 503 with the reason. */
export async function deliverAll(deps: NotificationDeps, jobs: readonly JobNotification[], requestId: string): Promise<void> {
  const failures: string[] = [];
  for (const [i, job] of jobs.entries()) {
    const outcome = await deliverNow(deps.adapters, job, deps.options.retry);
    if (outcome.ok) continue;
    await deps.outbox.write([], [failedEntry(job, requestId, deps.now(), outcome.reason, outcome.attempts)]);
    deps.log.warn({ requestId, mode: job.mode, attempts: outcome.attempts }, 'notification delivery failed; dead-lettered');
    failures.push(`notification ${i} (${job.mode}) failed after ${outcome.attempts} attempt(s): ${outcome.reason}`);
  }
  if (failures.length > 0) throw serviceUnavailable('SERVICE_UNAVAILABLE', failures.join('; '));
}

/** Cross-field checks of v1 notifications (400 with the first problem). */
export function checkV1(notifications: readonly V1Notification[]): void {
  for (const [i, n] of notifications.entries()) {
    const problem = refusal(n.mode, n.ids, n.config?.topic, i);
    if (problem) throw invalidRequest(problem);
  }
}

/** A v2 send: feed entries now, the rest queued. */
export async function sendV2(deps: NotificationDeps, notifications: readonly V2Notification[], requestId: string): Promise<void> {
  for (const [i, n] of notifications.entries()) {
    const topic = typeof n.action.additionalInfo?.topic === 'string' ? n.action.additionalInfo.topic : undefined;
    const problem = refusal(n.type, n.ids, topic, i);
    if (problem) throw invalidRequest(problem);
  }
  const rows: FeedRow[] = [];
  const jobs: JobNotification[] = [];
  for (const n of notifications) {
    const stored = n.action.template?.data === undefined ? await deps.templates.forAction(n.action.type) : null;
    if (n.type === 'feed') rows.push(...feedRows(n, stored, deps.now(), randomUUID));
    else jobs.push(fromV2(n, stored));
  }
  await writeFeed(deps, rows);
  await enqueue(deps, jobs, requestId);
}

/** User-Org's v1 feed entries. */
export async function sendV1Feed(deps: NotificationDeps, notifications: readonly V1FeedNotification[]): Promise<void> {
  await writeFeed(deps, notifications.map((n) => v1FeedRow(n, deps.now(), randomUUID())));
}

/** The private send's items: v2 notifications carry `type` and `action`, the rest are v1 feed entries. */
export function splitPrivate(items: readonly PrivateNotification[]): { v1: V1FeedNotification[]; v2: V2Notification[] } {
  const v1: V1FeedNotification[] = [];
  const v2: V2Notification[] = [];
  for (const n of items) {
    if ('type' in n && 'action' in n) v2.push(n);
    else if ('userId' in n) v1.push(n);
  }
  return { v1, v2 };
}
