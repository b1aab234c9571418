/**
 * The content state update: for each batch and user, read the batch, the course's structure, the
 * enrolment and the stored states side by side, decide (decide.ts), then write the new states, the
 * enrolment's last read content and the progress instruction in one outbox batch. Assessment attempts
 * complete their content and go to `telemetry.assess`, each in its own outbox write (an attempt's
 * events can be large); what cannot be recorded goes to `contentstate.invalid`. A request with
 * neither asks for the enrolment to be recomputed (`batch.enrolment.sync.request`).
 */
import { LernError, kafkaEntry, type Caller, type OutboxEntry, type Static } from '@lern/kit';
import type { BatchRecord } from '../batches/store.ts';
import type { LmsDeps } from '../context.ts';
import type { EnrolmentListCache } from '../enrolments/cache.ts';
import type { Memo } from '../enrolments/memo.ts';
import type { EnrolmentStore } from '../enrolments/store.ts';
import { groupByBatch, isRunning, lastPerContent, latestRead, mergeConsumption, parseSunbirdTime, splitContents, type ContentInput, type InvalidReason } from './decide.ts';
import { ASSESS_TOPIC, ENROLMENT_SYNC_TOPIC, INSTRUCTION_TOPIC, INVALID_TOPIC, assessmentMessage, enrolmentSyncRequest, invalidStateMessage, progressInstruction } from './events.ts';
import type { AssessmentAttempt, ContentState, UpdateBody } from './schemas.ts';
import type { ProgressStore } from './store.ts';

/** What the progress operations work with. */
export interface ProgressContext {
  deps: LmsDeps;
  store: ProgressStore;
  enrolments: EnrolmentStore;
  listCache: EnrolmentListCache;
  /** The leaves of each course, kept in process for a few seconds (see enrolments/memo.ts). */
  leaves: Memo<ReadonlySet<string> | null>;
}

/** Largest serialised assessment attempt (it travels in one outbox row; Cassandra refuses batches over 50 KiB). */
export const MAX_ASSESSMENT_BYTES = 40 * 1024;

type UpdateRequest = Static<typeof UpdateBody>['request'];
type Attempt = Static<typeof AssessmentAttempt>;
/** A content state of the request, with its course and user resolved. */
type Item = ContentInput & { batchId: string; courseId: string; userId?: string; request: Record<string, unknown> };
type Result = Record<string, string | string[]>;

function itemOf(c: Static<typeof ContentState>): Item {
  return {
    contentId: c.contentId,
    batchId: c.batchId,
    courseId: (c.courseId ?? c.collectionId)!,
    status: c.status,
    userId: c.userId,
    progress: c.progress,
    viewCount: c.viewCount,
    completedCount: c.completedCount,
    lastAccessTime: parseSunbirdTime(c.lastAccessTime),
    lastCompletedTime: parseSunbirdTime(c.lastCompletedTime),
    progressDetails: c.progressdetails === undefined ? undefined : JSON.stringify(c.progressdetails),
    request: c,
  };
}

/** Reads batches once per request; the course leaves come from the memo. */
function lookups(ctx: ProgressContext) {
  const batches = new Map<string, Promise<BatchRecord | null>>();
  return {
    batch: (courseId: string, batchId: string) => {
      const key = `${courseId}\u0000${batchId}`;
      if (!batches.has(key)) batches.set(key, ctx.deps.batches.getIn(courseId, batchId));
      return batches.get(key)!;
    },
    leaves: (courseId: string) => ctx.leaves.get(courseId),
  };
}

/** Who the request may record for: the requester and the managed user acted for. */
const validUsers = (caller: Caller): string[] => [...new Set([caller.userId, caller.effectiveUserId])];

/** Updates content states and publishes their instructions; the result names what was recorded. */
export async function updateContentState(ctx: ProgressContext, caller: Caller, request: UpdateRequest): Promise<Result> {
  const primary = request.userId ?? caller.effectiveUserId;
  if (!request.contents && !request.assessments) return requestEnrolmentSync(ctx, primary, request);
  const attempts = request.assessments ?? [];
  for (const a of attempts) {
    if (Buffer.byteLength(JSON.stringify(a)) > MAX_ASSESSMENT_BYTES) {
      throw new LernError('CLIENT_ERROR', 'ERROR_MAX_SIZE_EXCEEDED', `Size of assessment ${a.attemptId} exceeds max limit ${MAX_ASSESSMENT_BYTES} bytes`);
    }
  }
  const users = validUsers(caller);
  const look = lookups(ctx);
  const today = ctx.deps.today();
  const result: Result = {};
  const invalidContents: Record<string, unknown>[] = [];
  const missing = new Set<string>();
  const stopped = new Set<string>();
  // Upstream: an attempt of the user completes its content.
  const completions: Item[] = attempts
    .filter((a) => users.includes(a.userId))
    .map((a) => ({ contentId: a.contentId, batchId: a.batchId, courseId: a.courseId, status: 2, userId: a.userId, request: { contentId: a.contentId, batchId: a.batchId, courseId: a.courseId, status: 2 } }));
  const items = [...(request.contents ?? []).map(itemOf), ...completions];

  for (const group of groupByBatch(items)) {
    const byUser = new Map<string, Item[]>();
    for (const item of group.items) byUser.set(item.userId ?? primary, [...(byUser.get(item.userId ?? primary) ?? []), item]);
    // The batch, the structure and each user's enrolment and states are read side by side.
    const [batch, leaves, ...reads] = await Promise.all([
      look.batch(group.courseId, group.batchId),
      look.leaves(group.courseId),
      ...[...byUser].map(([userId, userItems]) => readUser(ctx, userId, group.courseId, group.batchId, lastPerContent(userItems))),
    ]);
    if (!batch) missing.add(group.batchId);
    else if (!isRunning(batch, today)) stopped.add(group.batchId);
    if (!batch || !isRunning(batch, today)) continue;
    for (const read of reads) {
      const recorded = await recordUser(ctx, { ...read, courseId: group.courseId, batchId: group.batchId, users, leaves });
      invalidContents.push(...recorded.invalid);
      for (const id of recorded.written) result[id] = 'SUCCESS';
    }
  }
  const invalidAssessments = await publishAttempts(ctx, attempts, { users, look, today, result, missing, stopped });
  if (missing.size > 0) result.BATCH_NOT_EXISTS = [...missing];
  if (stopped.size > 0) result.NOT_A_ON_GOING_BATCH = [...stopped];
  if (invalidContents.length > 0 || invalidAssessments.length > 0) {
    await ctx.deps.outbox.write([], [kafkaEntry(INVALID_TOPIC, null, invalidStateMessage({ validUserIds: users, invalidContents, invalidAssessments }))]);
  }
  return result;
}

/** A user's latest items in one batch with what is stored for them. */
async function readUser(ctx: ProgressContext, userId: string, courseId: string, batchId: string, items: Item[]) {
  const [enrolment, stored] = await Promise.all([ctx.enrolments.get(userId, courseId, batchId), ctx.store.states(userId, courseId, batchId, items.map((i) => i.contentId))]);
  return { userId, items, enrolled: enrolment?.active === true, stored };
}

/** Records one user's contents in one batch; returns the content ids written and the refused items. */
async function recordUser(
  ctx: ProgressContext,
  g: Awaited<ReturnType<typeof readUser>> & { courseId: string; batchId: string; users: string[]; leaves: ReadonlySet<string> | null },
): Promise<{ written: string[]; invalid: Record<string, unknown>[] }> {
  const split = splitContents(g.items, { userIds: g.users, enrolled: g.enrolled, leaves: g.leaves });
  const invalid = split.invalid.map(({ item, reason }) => ({ ...item.request, userId: g.userId, reason }));
  if (split.valid.length === 0) return { written: [], invalid };
  const now = ctx.deps.now();
  const existing = new Map(g.stored.map((s) => [s.contentId, s]));
  const states = split.valid.map((item) => mergeConsumption(item, existing.get(item.contentId) ?? null, now));
  const last = latestRead(states)!;
  const statements = [
    ...states.map((s) => ctx.store.write(g.userId, g.courseId, g.batchId, s)),
    ctx.enrolments.lastRead(g.userId, g.courseId, g.batchId, last.contentId, last.status, last.lastAccessTime ?? now),
  ];
  const instruction = progressInstruction({ userId: g.userId, batchId: g.batchId, courseId: g.courseId, contents: states });
  await ctx.deps.outbox.write(statements, [kafkaEntry(INSTRUCTION_TOPIC, g.userId, instruction)]);
  // Issued before the answer, not awaited (see enrolments/cache.ts).
  void ctx.listCache.drop(g.userId);
  return { written: states.map((s) => s.contentId), invalid };
}

/** Publishes the valid attempts (each in its own outbox write); returns the refused ones. */
async function publishAttempts(
  ctx: ProgressContext,
  attempts: readonly Attempt[],
  s: { users: string[]; look: ReturnType<typeof lookups>; today: string; result: Result; missing: Set<string>; stopped: Set<string> },
): Promise<Record<string, unknown>[]> {
  const invalid: Record<string, unknown>[] = [];
  for (const attempt of attempts) {
    const refuse = (reason: InvalidReason | 'batch-not-running') => invalid.push({ ...attempt, reason });
    const batch = await s.look.batch(attempt.courseId, attempt.batchId);
    if (!batch) {
      s.missing.add(attempt.batchId);
      continue;
    }
    if (!isRunning(batch, s.today)) {
      s.stopped.add(attempt.batchId);
      continue;
    }
    if (!s.users.includes(attempt.userId)) {
      refuse('other-user');
      continue;
    }
    const [enrolment, leaves] = await Promise.all([ctx.enrolments.get(attempt.userId, attempt.courseId, attempt.batchId), s.look.leaves(attempt.courseId)]);
    if (enrolment?.active !== true) refuse('not-enrolled');
    else if (!leaves?.has(attempt.contentId)) refuse('unknown-content');
    else {
      const entry: OutboxEntry = kafkaEntry(ASSESS_TOPIC, attempt.userId, assessmentMessage(attempt, attempt.userId));
      await ctx.deps.outbox.write([], [entry]);
      s.result[attempt.batchId] = 'SUCCESS';
    }
  }
  return invalid;
}

/** No contents and no assessments: ask for the enrolment to be recomputed from its stored consumption. */
async function requestEnrolmentSync(ctx: ProgressContext, userId: string, request: UpdateRequest): Promise<Result> {
  const courseId = (request.courseId ?? request.collectionId)!;
  const batchId = request.batchId!;
  const enrolment = await ctx.enrolments.get(userId, courseId, batchId);
  if (!enrolment) {
    throw new LernError('CLIENT_ERROR', 'INVALID_REQUESTED_DATA', `No Enrolment found for userId: ${userId}, batchId: ${batchId}, courseId: ${courseId}`);
  }
  await ctx.deps.outbox.write([], [kafkaEntry(ENROLMENT_SYNC_TOPIC, userId, enrolmentSyncRequest({ userId, batchId, courseId }))]);
  return { response: 'SUCCESS' };
}
