/**
 * Aggregate routes: a batch's collection summary for its staff (cached in Redis for a minute under
 * upstream's `bmetrics:<batchId>:...` key), and a group's activity aggregates for its members.
 */
import { LernError, defineRoute, isSystemAdmin, type Route, type ValidationErrorMapper } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { type RedisClient } from '../enrolments/cache.ts';
import { requireBatchStaff } from '../enrolments/operations.ts';
import { enrolmentError } from '../enrolments/errors.ts';
import { courseOrCollectionReading, lmsValidation } from '../errors.ts';
import { batchContextId } from '../progress/store.ts';
import { GROUP_AGG_CODES, GroupAggBody, GroupAggResult, SummaryBody, SummaryResult } from './schemas.ts';
import { AggregateStore } from './store.ts';
import { collectionMetrics, groupActivityAggregates } from './summarize.ts';

/** Seconds a summary is cached (upstream's collection_summary_agg_cache_ttl). */
export const SUMMARY_TTL_SECONDS = 60;
/** The activity type of courses in the aggregates. */
const COURSE = 'Course';
const TAGS = ['aggregates'];

const summaryKey = (batchId: string): string => `bmetrics:${batchId}:ALL`;

const groupValidation: ValidationErrorMapper = (issue) => {
  const code = issue.kind === 'missing' ? GROUP_AGG_CODES[issue.field] : undefined;
  return code ? { err: code.err, errmsg: code.message } : lmsValidation()(issue);
};

/** The aggregate routes; `redis` caches summaries (null: no cache). */
export function aggregateRoutes(deps: LmsDeps, redis: RedisClient | null): Route[] {
  const store = new AggregateStore(deps.db);

  async function cachedSummary(batchId: string): Promise<unknown> {
    try {
      const raw = redis ? await redis.get(summaryKey(batchId)) : null;
      return raw === null ? undefined : JSON.parse(raw);
    } catch (error) {
      deps.log.warn({ err: error }, 'summary cache read failed');
      return undefined;
    }
  }

  return [
    defineRoute({
      method: 'POST',
      url: '/v1/collection/summary',
      // Narrowed in the handler to the batch's staff.
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation((issue) =>
        issue.kind === 'missing' && issue.field === 'collectionId' ? { key: 'mandatoryParamsMissing', args: ['courseId/collectionId'] } : courseOrCollectionReading(issue),
      ),
      schema: { body: SummaryBody, result: SummaryResult },
      summary: "A batch's enrolment and completion counts, for its staff",
      tags: TAGS,
      async handler(req) {
        const { filters } = req.body.request;
        const collectionId = (filters.collectionId ?? filters.courseId)!;
        const batch = await deps.batches.getIn(collectionId, filters.batchId);
        if (!batch) throw enrolmentError('invalidCourseBatchId');
        await requireBatchStaff(deps, req.caller, batch);
        const cached = await cachedSummary(filters.batchId);
        if (cached !== undefined) return cached;
        const participants = await deps.participants.participants(filters.batchId, true);
        const [aggs, structure] = await Promise.all([
          store.activityAggs(COURSE, collectionId, participants, batchContextId(filters.batchId)),
          deps.structures.get(collectionId),
        ]);
        const result = { metrics: collectionMetrics(participants, aggs, structure?.leafNodes.length ?? 0), collectionId, batchId: filters.batchId, lastUpdatedOn: deps.now().getTime() };
        await redis?.set(summaryKey(filters.batchId), JSON.stringify(result), 'EX', SUMMARY_TTL_SECONDS).catch((error: unknown) => deps.log.warn({ err: error }, 'summary cache write failed'));
        return result;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/group/activity/agg',
      // Narrowed in the handler to the group's members.
      policy: 'authenticated',
      errors: [403, 404],
      validationError: groupValidation,
      schema: { body: GroupAggBody, result: GroupAggResult },
      summary: "The progress of a group's members in one of its activities, for its members",
      tags: TAGS,
      async handler(req) {
        const { groupId, activityId, activityType } = req.body.request;
        const members = await store.groupMembers(groupId);
        if (!members) throw new LernError('RESOURCE_NOT_FOUND', 'RESOURCE_NOT_FOUND', 'Requested resource not found');
        const caller = req.caller;
        if (!caller || (!members.some((m) => m.userId === caller.userId || m.userId === caller.effectiveUserId) && !isSystemAdmin(caller.grants))) {
          throw new LernError('FORBIDDEN', 'FORBIDDEN', 'You are forbidden from accessing specified resource.');
        }
        const ids = members.map((m) => m.userId);
        const [aggs, names] = await Promise.all([store.activityAggs(activityType, activityId, ids), store.names(ids)]);
        return groupActivityAggregates({ groupId, activityId, activityType, members, aggs, names }, deps.now().getTime());
      },
    }),
  ];
}
