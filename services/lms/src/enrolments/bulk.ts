/**
 * Bulk enrolment and unenrolment from upstream's CSV (batchId, userIds). Upstream stores the upload
 * and processes it in the background (status under `/v1/upload/status/:pid`); Lern processes it in
 * the request, bounded by the schema's size and BULK_MAX_USERS, and answers upstream's per-batch
 * success and failure lists at once. As upstream, only invite-only batches made for organisations
 * take bulk uploads; each user goes through the same rules as one staff enrolment (dates, root
 * organisation), and the caller must manage each batch.
 */
import { LernError, type Caller, type Static } from '@lern/kit';
import { parseBulkCsv } from './bulk-csv.ts';
import { bulkBatchProblem } from './decide.ts';
import { enrolmentError, enrolmentMessage } from './errors.ts';
import { enrol, requireBatchStaff, unenrol, userProblem, type EnrolmentContext } from './operations.ts';
import { BULK_MAX_USERS, type BulkResult } from './schemas.ts';

/** Users of one batch processed at a time. */
const CONCURRENCY = 8;

/** Runs `work` over `items`, at most CONCURRENCY at a time, keeping their order in the results. */
async function pooled<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
  return results;
}

/** A failure's message for the per-user list; anything but a refusal is the request's failure. */
function messageOf(error: unknown): string {
  if (error instanceof LernError && error.status < 500) return error.errmsg;
  throw error;
}

/** Processes a bulk CSV for `caller`: enrol (`enrol`) or unenrol each listed user. */
export async function bulkEnrolment(ctx: EnrolmentContext, caller: Caller, csv: string, action: 'enrol' | 'unenrol', channel: string | null): Promise<Static<typeof BulkResult>> {
  const parsed = parseBulkCsv(csv, BULK_MAX_USERS);
  if (!parsed.ok) throw enrolmentError(parsed.error, ...parsed.args);
  const successResult: Record<string, Record<string, string>[]>[] = [];
  const failureResult: Record<string, unknown>[] = [];
  for (const row of parsed.rows) {
    const batch = row.batchId === '' ? null : await ctx.deps.batches.get(row.batchId);
    const problem = bulkBatchProblem(batch);
    const refused = problem ? enrolmentMessage(problem) : await requireBatchStaff(ctx.deps, caller, batch!).then(() => null, messageOf);
    if (refused !== null || batch === null) {
      failureResult.push({ batchId: row.batchId, userIds: row.userIds.join(','), errorMsg: refused ?? enrolmentMessage('invalidCourseBatchId') });
      continue;
    }
    const outcomes = await pooled(row.userIds, async (userId): Promise<[string, string | null]> => {
      const request = { courseId: batch.courseId, batchId: batch.batchId, userId, actorId: caller.userId, channel };
      try {
        if (action === 'enrol') {
          const issue = await userProblem(ctx, batch, userId);
          if (issue) return [userId, enrolmentMessage(issue.key, ...issue.args)];
          await enrol(ctx, batch, request, 'staff');
        } else {
          await unenrol(ctx, batch, request);
        }
        return [userId, null];
      } catch (error) {
        return [userId, messageOf(error)];
      }
    });
    const passed = outcomes.filter(([, failure]) => failure === null).map(([userId]) => ({ [userId]: 'SUCCESS' }));
    const failed = outcomes.filter(([, failure]) => failure !== null).map(([userId, failure]) => ({ [userId]: failure! }));
    if (passed.length > 0) successResult.push({ [batch.batchId]: passed });
    if (failed.length > 0) failureResult.push({ [batch.batchId]: failed });
  }
  return { response: 'SUCCESS', successResult, failureResult };
}
