/**
 * Enrolment and unenrolment (I/O around the pure rules of decide.ts): read the batch and the
 * enrolment, decide, then write the row and its audit event in one outbox batch and drop the user's
 * cached course list. Staff operations first check that the caller manages the batch and that the
 * user may join it.
 */
import { kafkaEntry, type Caller } from '@lern/kit';
import { mayManageBatch } from '../access.ts';
import type { BatchRecord } from '../batches/store.ts';
import type { LmsDeps } from '../context.ts';
import type { StoredStructure } from '../courses/store.ts';
import type { EnrolmentListCache } from './cache.ts';
import { ENROLMENT_TYPES, decideEnrol, decideUnenrol, type EnrolMode, type EnrolmentState } from './decide.ts';
import { enrolmentError, type EnrolmentErrorKey } from './errors.ts';
import { ENROLMENT_AUDIT_TOPIC, enrolmentAuditEvent, type EnrolmentChange } from './events.ts';
import type { Memo } from './memo.ts';
import type { EnrolmentRecord, EnrolmentStore } from './store.ts';

/** What the enrolment operations work with. */
export interface EnrolmentContext {
  deps: LmsDeps;
  store: EnrolmentStore;
  cache: EnrolmentListCache;
  /** Course structures, kept in process for a few seconds (see memo.ts). */
  structures: Memo<StoredStructure | null>;
}

/** Who enrols or unenrols whom, where. */
export interface EnrolmentRequest {
  courseId: string;
  batchId: string;
  userId: string;
  /** Who asks (the audit event's actor, the enrolment's `addedBy`). */
  actorId: string;
  /** The request's channel (`x-channel-id`), for the audit event. */
  channel: string | null;
}

/** What an enrolment did. */
export type EnrolOutcome = 'enrolled' | 'reenrolled' | 'unchanged';

const stateOf = (e: EnrolmentRecord | null): EnrolmentState | null => (e ? { active: e.active, status: e.status, progress: e.progress } : null);

/** The batch of a course; INVALID_COURSE_BATCH_ID when the course has no such batch. */
export async function batchOf(ctx: EnrolmentContext, courseId: string, batchId: string): Promise<BatchRecord> {
  const batch = await ctx.deps.batches.getIn(courseId, batchId);
  if (!batch) throw enrolmentError('invalidCourseBatchId');
  return batch;
}

/** Refuses (403) a caller who does not manage the batch (its creator or mentors holding a staff role, its organisations' administrators). */
export async function requireBatchStaff(deps: Pick<LmsDeps, 'directory'>, caller: Caller | null, batch: BatchRecord): Promise<void> {
  if (!caller) throw enrolmentError('notBatchStaff');
  const orgs = await deps.directory.orgs(batch.createdFor);
  if (!mayManageBatch(caller, { createdBy: batch.createdBy, mentors: batch.mentors, orgs: [...orgs.values()] })) throw enrolmentError('notBatchStaff');
}

/**
 * Why staff may not enrol the user into the batch, or null: the user must exist, and an invite-only
 * batch made for organisations takes only users of those root organisations (upstream's bulk rule).
 */
export async function userProblem(ctx: EnrolmentContext, batch: BatchRecord, userId: string): Promise<{ key: EnrolmentErrorKey; args: unknown[] } | null> {
  const user = (await ctx.deps.directory.users([userId])).get(userId);
  if (!user || user.deleted) return { key: 'invalidUserId', args: [] };
  const inviteOnly = batch.enrollmentType.toLowerCase() === ENROLMENT_TYPES.inviteOnly;
  if (inviteOnly && batch.createdFor.length > 0 && (user.rootOrgId === null || !batch.createdFor.includes(user.rootOrgId))) {
    return { key: 'notInRootOrg', args: [userId] };
  }
  return null;
}

async function write(ctx: EnrolmentContext, r: EnrolmentRequest, change: EnrolmentChange): Promise<void> {
  const { store, deps } = ctx;
  const statement =
    change === 'enrol'
      ? store.insert({ userId: r.userId, courseId: r.courseId, batchId: r.batchId, addedBy: r.actorId, at: deps.now() })
      : store.setActive(r.userId, r.courseId, r.batchId, change === 'reenrol');
  const event = enrolmentAuditEvent({ change, userId: r.userId, courseId: r.courseId, batchId: r.batchId, actorId: r.actorId, channel: r.channel });
  await deps.outbox.write([statement], [kafkaEntry(ENROLMENT_AUDIT_TOPIC, r.userId, event)]);
  // Issued before the answer, not awaited: later reads on this connection see it done (see cache.ts).
  void ctx.cache.drop(r.userId);
}

/**
 * Enrols the user into the batch (refused with upstream's codes); an active enrolment is left as it
 * is. `existing` is the enrolment when the caller read it already (side by side with the batch).
 */
export async function enrol(ctx: EnrolmentContext, batch: BatchRecord, r: EnrolmentRequest, mode: EnrolMode, existing?: Promise<EnrolmentRecord | null>): Promise<EnrolOutcome> {
  const decision = decideEnrol(batch, stateOf(await (existing ?? ctx.store.get(r.userId, r.courseId, r.batchId))), ctx.deps.today(), mode);
  switch (decision.kind) {
    case 'refuse':
      throw enrolmentError(decision.error);
    case 'unchanged':
      return 'unchanged';
    case 'insert':
      await write(ctx, r, 'enrol');
      return 'enrolled';
    case 'reactivate':
      await write(ctx, r, 'reenrol');
      return 'reenrolled';
  }
}

/** The number of leaf contents of a course (0 when its structure is not known). */
export async function leafCount(ctx: EnrolmentContext, courseId: string): Promise<number> {
  return (await ctx.structures.get(courseId))?.leafNodes.length ?? 0;
}

/** Unenrols the user (refused once the batch is over, the user completed it, or is not enrolled). */
export async function unenrol(ctx: EnrolmentContext, batch: BatchRecord, r: EnrolmentRequest): Promise<void> {
  const [existing, leaves] = await Promise.all([ctx.store.get(r.userId, r.courseId, r.batchId), leafCount(ctx, r.courseId)]);
  const decision = decideUnenrol(batch, stateOf(existing), ctx.deps.today(), leaves);
  if (decision.kind === 'refuse') throw enrolmentError(decision.error);
  await write(ctx, r, 'unenrol');
}
