/**
 * The enrolment rules (pure), as upstream's CourseEnrolmentActor.validateEnrolment applies them,
 * with Lern's two additions: enrolling again while enrolled changes nothing and answers as the first
 * enrolment did (a retried request is one enrolment), and nobody enrols themselves into an
 * invite-only batch (its mentors and administrators enrol its participants). Dates are calendar
 * dates of the installation's zone; a batch ends, and its enrolment closes, at the end of that day.
 */
import type { CalendarDate } from '../dates.ts';
import type { EnrolmentErrorKey } from './errors.ts';

/** Upstream's enrolment types. */
export const ENROLMENT_TYPES = { open: 'open', inviteOnly: 'invite-only' } as const;
/** Upstream's ProgressStatus of a batch and of an enrolment. */
export const PROGRESS = { notStarted: 0, started: 1, completed: 2 } as const;

/** What the rules read of a batch. */
export interface BatchRules {
  enrollmentType: string;
  status: number;
  endDate: CalendarDate | null;
  enrollmentEndDate: CalendarDate | null;
}

/** What the rules read of an existing enrolment. */
export interface EnrolmentState {
  active: boolean;
  /** Stored status (0 not started, 1 in progress, 2 completed). */
  status: number;
  /** Leaf contents completed. */
  progress: number;
}

/** Who enrols: the user themself, or batch staff (mentor, administrator, bulk upload) for them. */
export type EnrolMode = 'self' | 'staff';

/** What an enrolment request does. */
export type EnrolDecision =
  | { kind: 'insert' }
  | { kind: 'reactivate' }
  /** Already enrolled: nothing is written, the answer is the same. */
  | { kind: 'unchanged' }
  | { kind: 'refuse'; error: EnrolmentErrorKey };

/** What an unenrolment request does. */
export type UnenrolDecision = { kind: 'deactivate' } | { kind: 'refuse'; error: EnrolmentErrorKey };

const refuse = (error: EnrolmentErrorKey) => ({ kind: 'refuse', error }) as const;

const knownType = (type: string): boolean => {
  const t = type.toLowerCase();
  return t === ENROLMENT_TYPES.open || t === ENROLMENT_TYPES.inviteOnly;
};

/** True when the batch is over: completed, or its end date has passed. */
export function batchEnded(batch: BatchRules, today: CalendarDate): boolean {
  return batch.status === PROGRESS.completed || (batch.endDate !== null && today > batch.endDate);
}

/** Upstream's completion status from leaves completed and the course's leaf count. */
export function completionStatus(progress: number, leafNodesCount: number): number {
  if (progress <= 0) return PROGRESS.notStarted;
  return progress < leafNodesCount ? PROGRESS.started : PROGRESS.completed;
}

/** Upstream's completion percentage (whole number, 100 when every leaf is completed). */
export function completionPercentage(progress: number, leafNodesCount: number): number {
  if (progress <= 0) return 0;
  return progress < leafNodesCount ? Math.floor((progress * 100) / leafNodesCount) : 100;
}

/** True when the enrolment is completed: by its leaves when the course's are known, else by its stored status. */
export function isCompleted(enrolment: EnrolmentState, leafNodesCount: number): boolean {
  if (leafNodesCount > 0) return completionStatus(enrolment.progress, leafNodesCount) === PROGRESS.completed;
  return enrolment.status === PROGRESS.completed;
}

/** Decides an enrolment of a user into a batch, today. */
export function decideEnrol(batch: BatchRules | null, enrolment: EnrolmentState | null, today: CalendarDate, mode: EnrolMode): EnrolDecision {
  if (batch === null) return refuse('invalidCourseBatchId');
  if (!knownType(batch.enrollmentType)) return refuse('enrolmentType');
  if (enrolment?.active === true) return { kind: 'unchanged' };
  if (batchEnded(batch, today)) return refuse('batchCompleted');
  if (batch.enrollmentEndDate !== null && today > batch.enrollmentEndDate) return refuse('enrolmentEnded');
  if (mode === 'self' && batch.enrollmentType.toLowerCase() === ENROLMENT_TYPES.inviteOnly) return refuse('inviteOnly');
  return enrolment === null ? { kind: 'insert' } : { kind: 'reactivate' };
}

/** Decides an unenrolment: refused once the batch is over or the user has completed it. */
export function decideUnenrol(batch: BatchRules | null, enrolment: EnrolmentState | null, today: CalendarDate, leafNodesCount: number): UnenrolDecision {
  if (batch === null) return refuse('invalidCourseBatchId');
  if (!knownType(batch.enrollmentType)) return refuse('enrolmentType');
  if (batchEnded(batch, today)) return refuse('batchCompleted');
  if (enrolment === null || !enrolment.active) return refuse('notEnrolled');
  // Upstream answers a completed enrolment with the batch's code (COURSE_BATCH_ALREADY_COMPLETED).
  if (isCompleted(enrolment, leafNodesCount)) return refuse('batchCompleted');
  return { kind: 'deactivate' };
}

/** Why staff may not enrol a user into an invite-only batch (bulk upload's checks), or null. */
export function bulkBatchProblem(batch: (BatchRules & { createdFor: readonly string[] }) | null): EnrolmentErrorKey | null {
  if (batch === null) return 'invalidCourseBatchId';
  if (batch.enrollmentType.toLowerCase() !== ENROLMENT_TYPES.inviteOnly) return 'enrolmentType';
  if (batch.createdFor.length === 0) return 'createdForNull';
  return null;
}
