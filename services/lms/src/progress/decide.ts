/**
 * Progress rules (pure), as upstream's ContentConsumptionActor applies them:
 * - a content's state only moves forward: the higher status wins, completion (status 2) sets
 *   progress to 100 and the later of the stored and the given completion time, and the last access
 *   time is the later of the stored and the given one (either missing: the other; both: now);
 * - contents are grouped per batch and course; a batch that does not exist, or is not running,
 *   takes nothing; contents of another user than the caller (or the managed user acted for), of a
 *   batch the user is not enrolled in, or that are not leaves of the course's structure are invalid
 *   (they go to `contentstate.invalid`, not to the store);
 * - the enrolment remembers the content accessed last.
 * Upstream starts a new content's progress at 0 whatever the request says; here a new content keeps
 * the progress it was sent with (as an existing one does, by taking the higher of the two).
 */
import type { CalendarDate } from '../dates.ts';

/** A content's state as stored in user_content_consumption. */
export interface ConsumptionState {
  contentId: string;
  status: number;
  progress: number;
  viewCount: number | null;
  completedCount: number | null;
  lastAccessTime: Date | null;
  lastCompletedTime: Date | null;
  lastUpdatedTime: Date | null;
  progressDetails: string | null;
}

/** A content's state as a request sends it (dates already parsed). */
export interface ContentInput {
  contentId: string;
  status: number;
  progress?: number;
  viewCount?: number;
  completedCount?: number;
  lastAccessTime?: Date | null;
  lastCompletedTime?: Date | null;
  progressDetails?: string | null;
}

/** Completed. */
export const COMPLETED = 2;

const later = (a: Date | null | undefined, b: Date | null | undefined, now: Date): Date => {
  if (!a && !b) return now;
  if (!a) return b!;
  if (!b) return a;
  return b.getTime() > a.getTime() ? b : a;
};

/** The state to store for `input` given what is stored (`existing`, null for a first update). */
export function mergeConsumption(input: ContentInput, existing: ConsumptionState | null, now: Date): ConsumptionState {
  const inputProgress = Math.max(0, input.progress ?? 0);
  const base = {
    contentId: input.contentId,
    viewCount: input.viewCount ?? existing?.viewCount ?? null,
    completedCount: input.completedCount ?? existing?.completedCount ?? null,
    progressDetails: input.progressDetails ?? existing?.progressDetails ?? null,
    lastUpdatedTime: now,
    lastAccessTime: later(existing?.lastAccessTime, input.lastAccessTime, now),
  };
  if (!existing) {
    return input.status >= COMPLETED
      ? { ...base, status: COMPLETED, progress: 100, lastCompletedTime: input.lastCompletedTime ?? now }
      : { ...base, status: input.status, progress: inputProgress, lastCompletedTime: null };
  }
  const progress = Math.max(inputProgress, existing.progress);
  if (input.status < existing.status) return { ...base, status: existing.status, progress, lastCompletedTime: existing.lastCompletedTime };
  if (input.status >= COMPLETED) return { ...base, status: COMPLETED, progress: 100, lastCompletedTime: later(existing.lastCompletedTime, input.lastCompletedTime, now) };
  return { ...base, status: input.status, progress, lastCompletedTime: existing.lastCompletedTime };
}

/** The content accessed last among written states (the first of equals), for the enrolment. */
export function latestRead(states: readonly ConsumptionState[]): ConsumptionState | null {
  let best: ConsumptionState | null = null;
  for (const s of states) if (!best || (s.lastAccessTime?.getTime() ?? 0) > (best.lastAccessTime?.getTime() ?? 0)) best = s;
  return best;
}

/** What the rules read of a batch. */
export interface BatchFacts {
  status: number;
  startDate: CalendarDate | null;
  endDate: CalendarDate | null;
}

/**
 * True while a batch takes progress: started (stored as started, or not-started with its start date
 * reached) and neither completed nor past its end date.
 */
export function isRunning(batch: BatchFacts, today: CalendarDate): boolean {
  if (batch.status === COMPLETED) return false;
  if (batch.endDate !== null && today > batch.endDate) return false;
  return batch.status === 1 || (batch.startDate !== null && batch.startDate <= today);
}

/** Why a content is not recorded. */
export type InvalidReason = 'other-user' | 'not-enrolled' | 'unknown-content';

/** A group's contents split into those to record and those refused (with why). */
export interface ContentSplit<T> {
  valid: T[];
  invalid: { item: T; reason: InvalidReason }[];
}

/**
 * Splits one batch's contents: items of another user than the caller, all of them when the user is
 * not enrolled, and those that are not leaves of the course (`leaves` null: no structure known) are
 * invalid.
 */
export function splitContents<T extends { contentId: string; userId?: string }>(
  items: readonly T[],
  context: { userIds: readonly string[]; enrolled: boolean; leaves: ReadonlySet<string> | null },
): ContentSplit<T> {
  const split: ContentSplit<T> = { valid: [], invalid: [] };
  for (const item of items) {
    if (item.userId !== undefined && !context.userIds.includes(item.userId)) split.invalid.push({ item, reason: 'other-user' });
    else if (!context.enrolled) split.invalid.push({ item, reason: 'not-enrolled' });
    else if (!context.leaves?.has(item.contentId)) split.invalid.push({ item, reason: 'unknown-content' });
    else split.valid.push(item);
  }
  return split;
}

/** Groups items by batch and course, keeping first-seen order. */
export function groupByBatch<T extends { batchId: string; courseId: string }>(items: readonly T[]): { batchId: string; courseId: string; items: T[] }[] {
  const groups = new Map<string, { batchId: string; courseId: string; items: T[] }>();
  for (const item of items) {
    const key = `${item.batchId}\u0000${item.courseId}`;
    const group = groups.get(key) ?? { batchId: item.batchId, courseId: item.courseId, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Keeps the last state sent for each content (a request may name a content twice). */
export function lastPerContent<T extends { contentId: string }>(items: readonly T[]): T[] {
  return [...new Map(items.map((i) => [i.contentId, i])).values()];
}

const SUNBIRD_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}):(\d{3})([+-])(\d{2})(\d{2})$/;

/** Parses Sunbird's `yyyy-MM-dd HH:mm:ss:SSSZ` (e.g. `2020-11-23 12:58:35:179+0000`); null when absent or malformed. */
export function parseSunbirdTime(text: string | null | undefined): Date | null {
  const m = text ? SUNBIRD_TIME.exec(text) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, sign, oh, om] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
  const offset = (Number(oh) * 60 + Number(om)) * (sign === '-' ? -1 : 1);
  const date = new Date(utc - offset * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}
