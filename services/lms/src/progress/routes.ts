/**
 * Progress routes: a user records and reads their own content states (or those of the managed user
 * they act for); contents naming another user are not recorded (they go to `contentstate.invalid`).
 */
import { LernError, defineRoute, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { EnrolmentListCache, type RedisClient } from '../enrolments/cache.ts';
import { Memo } from '../enrolments/memo.ts';
import { EnrolmentStore } from '../enrolments/store.ts';
import { readContentState } from './read.ts';
import { ReadBody, ReadResult, UpdateBody, UpdateResult, readValidation, updateValidation } from './schemas.ts';
import { ProgressStore } from './store.ts';
import { updateContentState, type ProgressContext } from './update.ts';

const TAGS = ['progress'];

/** The progress routes; `redis` holds the course lists a progress change makes stale. */
export function progressRoutes(deps: LmsDeps, redis: RedisClient | null): Route[] {
  const ctx: ProgressContext = {
    deps,
    store: new ProgressStore(deps.db),
    enrolments: new EnrolmentStore(deps.db),
    listCache: new EnrolmentListCache(redis, deps.log),
    leaves: new Memo(async (courseId) => {
      const structure = await deps.structures.get(courseId);
      return structure ? new Set(structure.leafNodes) : null;
    }),
  };
  return [
    defineRoute({
      method: 'PATCH',
      url: '/v1/content/state/update',
      policy: 'self',
      target: (req) => ({ userId: req.body.request.userId ?? req.caller?.effectiveUserId }),
      validationError: updateValidation,
      schema: { body: UpdateBody, result: UpdateResult },
      summary: 'Record content states (and assessment attempts) of your enrolments',
      description:
        'Each content is recorded when its batch runs, the user is enrolled in it and the content is a leaf of the course; the result maps recorded content ids ' +
        '(and batches of published assessment attempts) to SUCCESS, and lists batches that do not exist (BATCH_NOT_EXISTS) or are not running (NOT_A_ON_GOING_BATCH).',
      tags: TAGS,
      async handler(req) {
        if (!req.caller) throw new LernError('UNAUTHORIZED', 'UNAUTHORIZED_USER', 'You are not authorized.');
        return updateContentState(ctx, req.caller, req.body.request);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/content/state/read',
      policy: 'self',
      target: (req) => ({ userId: req.body.request.userId ?? req.caller?.effectiveUserId }),
      validationError: readValidation,
      schema: { body: ReadBody, result: ReadResult },
      summary: 'Your content states in a course batch, with assessment attempts on request',
      tags: TAGS,
      async handler(req) {
        const userId = req.body.request.userId ?? req.caller?.effectiveUserId;
        if (!userId) throw new LernError('UNAUTHORIZED', 'UNAUTHORIZED_USER', 'You are not authorized.');
        return readContentState(ctx, userId, req.body.request);
      },
    }),
  ];
}
