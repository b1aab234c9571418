/**
 * The messages on `lms.notification` (what upstream's notification job consumes: the
 * BE_JOB_REQUEST event FCMNotificationDispatcher writes) and on `lms.notification.failed` (the same
 * event with `failInfo`, for deliveries that failed after every retry).
 */
import { createHash, randomUUID } from 'node:crypto';
import { kafkaEntry, type OutboxEntry } from '@lern/kit';
import type { JobNotification } from './operations.ts';

export const NOTIFICATION_TOPIC = 'lms.notification';
export const NOTIFICATION_FAILED_TOPIC = 'lms.notification.failed';

export interface JobEvent {
  eid: 'BE_JOB_REQUEST';
  ets: number;
  mid: string;
  actor: { id: 'BroadCast Topic Notification'; type: 'System' };
  context: { pdata: { id: string; ver: string } };
  object: { id: string; type: 'TopicNotifyAll' };
  edata: { action: 'broadcast-topic-notification-all'; request: { notification: JobNotification } };
  trace: { 'X-Request-ID': string; 'X-Trace-Enabled': 'false' };
  failInfo?: { errorCode: string; error: string; attempts: number };
}

/** The job event of one notification (pure but for the default mid). */
export function jobEvent(notification: JobNotification, requestId: string, now: Date, mid = `NS.${now.getTime()}.${randomUUID()}`): JobEvent {
  const request = { notification };
  return {
    eid: 'BE_JOB_REQUEST',
    ets: now.getTime(),
    mid,
    actor: { id: 'BroadCast Topic Notification', type: 'System' },
    context: { pdata: { id: 'org.sunbird.notification-service', ver: '1.0' } },
    // Upstream's object id is a hash of the request: equal requests share it (consumers may dedupe on it).
    object: { id: createHash('sha256').update(JSON.stringify(request)).digest('hex'), type: 'TopicNotifyAll' },
    edata: { action: 'broadcast-topic-notification-all', request },
    trace: { 'X-Request-ID': requestId, 'X-Trace-Enabled': 'false' },
  };
}

/** Device sends are split in batches of this many tokens (upstream BATCH_SIZE). */
export const DEVICE_BATCH = 100;

/** The outbox entries of an asynchronous send: one event per notification (device ids in batches). */
export function jobEntries(notifications: readonly JobNotification[], requestId: string, now: Date): OutboxEntry[] {
  const split = notifications.flatMap((n) => {
    if (n.mode !== 'device' || n.ids.length <= DEVICE_BATCH) return [n];
    const parts: JobNotification[] = [];
    for (let i = 0; i < n.ids.length; i += DEVICE_BATCH) parts.push({ ...n, ids: n.ids.slice(i, i + DEVICE_BATCH) });
    return parts;
  });
  return split.map((n) => {
    const event = jobEvent(n, requestId, now);
    return kafkaEntry(NOTIFICATION_TOPIC, event.object.id, event);
  });
}

/** The dead-letter entry of a delivery that failed after every retry. */
export function failedEntry(notification: JobNotification, requestId: string, now: Date, reason: string, attempts: number): OutboxEntry {
  const event: JobEvent = { ...jobEvent(notification, requestId, now), failInfo: { errorCode: 'DELIVERY_FAILED', error: reason, attempts } };
  return kafkaEntry(NOTIFICATION_FAILED_TOPIC, event.object.id, event);
}
