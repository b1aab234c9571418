/**
 * The content state read: a user's stored states in a course's batch (all, or the contents asked
 * for), with the scored assessment attempts when `fields` has `score` (upstream's
 * `assessment.attempts.limit`, 25 per content).
 */
import type { Static } from '@lern/kit';
import { sunbirdTimestampIn } from '../dates.ts';
import type { ContentStateView, ReadBody } from './schemas.ts';
import type { ConsumptionRow } from './store.ts';
import type { ProgressContext } from './update.ts';

/** Most attempts listed per content. */
export const ATTEMPTS_LIMIT = 25;

type View = Static<typeof ContentStateView>;

function details(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A stored state as the API shows it (pure). */
export function stateView(row: ConsumptionRow, timeZone: string): View {
  const time = (d: Date | null): string | null => (d ? sunbirdTimestampIn(d, timeZone) : null);
  return {
    contentId: row.contentId,
    courseId: row.courseId,
    collectionId: row.courseId,
    batchId: row.batchId,
    status: row.status,
    progress: row.progress,
    viewCount: row.viewCount,
    completedCount: row.completedCount,
    completionPercentage: row.completionPercentage,
    lastAccessTime: time(row.lastAccessTime),
    lastCompletedTime: time(row.lastCompletedTime),
    lastUpdatedTime: time(row.lastUpdatedTime),
    progressdetails: details(row.progressDetails),
  };
}

/** Reads a user's states in a course's batch. */
export async function readContentState(ctx: ProgressContext, userId: string, request: Static<typeof ReadBody>['request']): Promise<{ contentList: View[] }> {
  const courseId = (request.courseId ?? request.collectionId ?? request.courseIds?.[0])!;
  const rows = await ctx.store.states(userId, courseId, request.batchId, request.contentIds);
  const tz = ctx.deps.timeZone;
  if (!request.fields?.includes('score')) return { contentList: rows.map((r) => stateView(r, tz)) };
  const contentList = await Promise.all(
    rows.map(async (r) => {
      const attempts = await ctx.store.attempts(courseId, request.batchId, userId, r.contentId, ATTEMPTS_LIMIT);
      const score = attempts.map((a) => ({
        attemptId: a.attemptId,
        lastAttemptedOn: a.lastAttemptedOn ? sunbirdTimestampIn(a.lastAttemptedOn, tz) : null,
        totalMaxScore: a.totalMaxScore,
        totalScore: a.totalScore,
      }));
      return { ...stateView(r, tz), score };
    }),
  );
  return { contentList };
}
