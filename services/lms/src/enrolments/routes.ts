/**
 * Enrolment routes. Users enrol and unenrol themselves (or the managed user they act for) and read
 * their own course lists; batch staff (the batch's creator and mentors holding a staff role, its
 * organisations' administrators, system administrators) enrol and unenrol others, one by one or from
 * a CSV; administrators of a user's root organisation read that user's list.
 */
import { LernError, defineRoute, type Caller, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { courseOrCollectionReading, lmsValidation } from '../errors.ts';
import { SuccessResult } from '../schemas.ts';
import { bulkEnrolment } from './bulk.ts';
import { EnrolmentListCache, type RedisClient } from './cache.ts';
import { listCourses } from './list.ts';
import { Memo } from './memo.ts';
import { batchOf, enrol, requireBatchStaff, unenrol, userProblem, type EnrolmentContext } from './operations.ts';
import { enrolmentError } from './errors.ts';
import { AdminListBody, BulkBody, BulkResult, ListBody, ListParams, ListQuery, ListResult, SelfEnrolBody, StaffEnrolBody } from './schemas.ts';
import { EnrolmentStore } from './store.ts';
import { fieldList } from './view.ts';

const validationError = lmsValidation(courseOrCollectionReading);
const TAGS = ['enrolment'];

/** The caller, present on every route here (none is public). */
function callerOf(req: { caller: Caller | null }): Caller {
  if (!req.caller) throw new LernError('UNAUTHORIZED', 'UNAUTHORIZED_USER', 'You are not authorized.');
  return req.caller;
}

const channelOf = (headers: Record<string, string | string[] | undefined>): string | null => {
  const v = headers['x-channel-id'];
  return typeof v === 'string' && v !== '' ? v : null;
};

/** Options of the list routes from the query. */
const listOptions = (query: { batchDetails?: string; cache?: boolean }, courseIds?: readonly string[]) => ({
  courseIds,
  batchFields: fieldList(query.batchDetails),
  useCache: query.cache !== false,
});

/** The enrolment routes over the service's dependencies; `redis` holds the cached course lists. */
export function enrolmentRoutes(deps: LmsDeps, redis: RedisClient | null, listCacheTtlSeconds?: number): Route[] {
  const ctx: EnrolmentContext = {
    deps,
    store: new EnrolmentStore(deps.db),
    cache: new EnrolmentListCache(redis, deps.log, listCacheTtlSeconds),
    structures: new Memo((courseId) => deps.structures.get(courseId)),
  };

  const selfEnrol = (url: string, action: 'enrol' | 'unenrol') =>
    defineRoute({
      method: 'POST',
      url,
      policy: 'self',
      target: (req) => ({ userId: req.body.request.userId ?? req.caller?.effectiveUserId }),
      errors: action === 'enrol' ? [403] : [],
      validationError,
      schema: { body: SelfEnrolBody, result: SuccessResult },
      summary: action === 'enrol' ? 'Enrol yourself into a course batch' : 'Unenrol yourself from a course batch',
      tags: TAGS,
      async handler(req) {
        const caller = callerOf(req);
        const r = req.body.request;
        const courseId = (r.courseId ?? r.collectionId)!;
        const userId = r.userId ?? caller.effectiveUserId;
        const request = { courseId, batchId: r.batchId, userId, actorId: caller.userId, channel: channelOf(req.headers) };
        if (action === 'enrol') {
          // The batch and the enrolment are read side by side.
          const existing = ctx.store.get(userId, courseId, r.batchId);
          existing.catch(() => undefined);
          await enrol(ctx, await batchOf(ctx, courseId, r.batchId), request, 'self', existing);
        } else {
          await unenrol(ctx, await batchOf(ctx, courseId, r.batchId), request);
        }
        return { response: 'SUCCESS' as const };
      },
    });

  const staffEnrol = (url: string, action: 'enrol' | 'unenrol') =>
    defineRoute({
      method: 'POST',
      url,
      // Narrowed in the handler to the batch's staff (creator, mentors, its organisations' administrators).
      policy: 'authenticated',
      errors: [403],
      validationError,
      schema: { body: StaffEnrolBody, result: SuccessResult },
      summary: action === 'enrol' ? "Enrol a user into a batch you manage" : 'Unenrol a user from a batch you manage',
      tags: TAGS,
      async handler(req) {
        const caller = callerOf(req);
        const r = req.body.request;
        const courseId = (r.courseId ?? r.collectionId)!;
        const batch = await batchOf(ctx, courseId, r.batchId);
        await requireBatchStaff(ctx.deps, caller, batch);
        const request = { courseId, batchId: r.batchId, userId: r.userId, actorId: caller.userId, channel: channelOf(req.headers) };
        if (action === 'enrol') {
          const issue = await userProblem(ctx, batch, r.userId);
          if (issue) throw enrolmentError(issue.key, ...issue.args);
          await enrol(ctx, batch, request, 'staff');
        } else {
          await unenrol(ctx, batch, request);
        }
        return { response: 'SUCCESS' as const };
      },
    });

  const bulk = (url: string, action: 'enrol' | 'unenrol') =>
    defineRoute({
      method: 'POST',
      url,
      // Each batch of the CSV is checked in the handler: the caller must manage it.
      policy: 'authenticated',
      validationError,
      schema: { body: BulkBody, result: BulkResult },
      summary: action === 'enrol' ? 'Enrol users into invite-only batches from a CSV' : 'Unenrol users from invite-only batches from a CSV',
      tags: TAGS,
      handler: (req) => bulkEnrolment(ctx, callerOf(req), req.body.request.data, action, channelOf(req.headers)),
    });

  return [
    selfEnrol('/v1/course/enroll', 'enrol'),
    selfEnrol('/v1/course/unenroll', 'unenrol'),
    staffEnrol('/v1/course/admin/enroll', 'enrol'),
    staffEnrol('/v1/course/admin/unenroll', 'unenrol'),
    bulk('/v1/batch/bulk/enrollment', 'enrol'),
    bulk('/v1/batch/bulk/unenrollment', 'unenrol'),
    defineRoute({
      method: 'GET',
      url: '/v1/user/courses/list/:uid',
      policy: 'self',
      target: (req) => ({ userId: req.params.uid }),
      validationError,
      schema: { params: ListParams, querystring: ListQuery, result: ListResult },
      summary: "Your courses: active enrolments with progress",
      tags: TAGS,
      async handler(req) {
        return { courses: await listCourses(ctx, req.params.uid, listOptions(req.query)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v2/user/courses/list',
      policy: 'self',
      target: (req) => ({ userId: req.body.request.userId ?? req.caller?.effectiveUserId }),
      validationError,
      schema: { body: ListBody, querystring: ListQuery, result: ListResult },
      summary: 'Your courses, optionally of some courses only',
      tags: TAGS,
      async handler(req) {
        const userId = req.body.request.userId ?? callerOf(req).effectiveUserId;
        return { courses: await listCourses(ctx, userId, listOptions(req.query, req.body.request.courseIds)) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v2/user/courses/admin/list',
      policy: 'adminOfTarget',
      target: (req) => ({
        userId: req.body.request.userId,
        scope: async () => {
          const user = (await deps.directory.users([req.body.request.userId])).get(req.body.request.userId);
          return user ? { orgIds: user.rootOrgId ? [user.rootOrgId] : [], rootOrgId: user.rootOrgId } : null;
        },
      }),
      errors: [404],
      validationError,
      schema: { body: AdminListBody, querystring: ListQuery, result: ListResult },
      summary: "A user's courses, for an administrator of the user's organisation",
      tags: TAGS,
      async handler(req) {
        const { userId, courseIds } = req.body.request;
        const user = (await deps.directory.users([userId])).get(userId);
        if (!user) throw new LernError('RESOURCE_NOT_FOUND', 'USER_NOT_FOUND', 'user not found.');
        return { courses: await listCourses(ctx, userId, listOptions(req.query, courseIds)) };
      },
    }),
  ];
}
