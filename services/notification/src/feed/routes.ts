/**
 * Feed routes. Upstream lets a user read, mark and delete only their own feed (the token's user, or
 * the managed user acted for, must be the feed's userId): policy `self`. The `/private/v1` routes
 * serve User-Org's user feed (`/v1/user/feed/:userId`), which upstream answers by calling them.
 */
import { defineRoute, notFound, type Route } from '@lern/kit';
import type { NotificationDeps } from '../context.ts';
import { INVALID_REQUESTED_DATA, feedValidation } from '../errors.ts';
import { SuccessResult } from '../schemas.ts';
import { ownedIds, v1Feed, v2Feed } from './operations.ts';
import { DeleteFeedBody, FeedResult, UpdateFeedBody, UserParams, V1FeedResult } from './schemas.ts';

const SUCCESS = { response: 'SUCCESS' as const };

/** Marks entries read (or unread); 404 when none of the ids is in the user's feed. */
async function updateStatus(deps: NotificationDeps, userId: string, ids: readonly string[], status: string, by: string): Promise<void> {
  const owned = ownedIds(await deps.feed.list(userId), ids);
  if (owned.length === 0) throw notFound(INVALID_REQUESTED_DATA, 'Requested data for this operation is not valid.');
  await deps.feed.setStatus(userId, owned, status, by, deps.now());
}

export function feedRoutes(deps: NotificationDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/notification/feed/read/:userId',
      policy: 'self',
      target: (req) => ({ userId: req.params.userId }),
      validationError: feedValidation,
      schema: { params: UserParams, result: FeedResult },
      summary: "Read the caller's notification feed (newest first)",
      tags: ['feed'],
      handler: async (req) => ({ feeds: v2Feed(await deps.feed.list(req.params.userId)) }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/notification/feed/update',
      policy: 'self',
      target: (req) => ({ userId: req.body.request.userId }),
      errors: [404],
      validationError: feedValidation,
      schema: { body: UpdateFeedBody, result: SuccessResult },
      summary: "Mark entries of the caller's feed read (or unread)",
      tags: ['feed'],
      handler: async (req) => {
        const { userId, ids, status } = req.body.request;
        await updateStatus(deps, userId, ids, status ?? 'read', req.caller!.effectiveUserId);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/notification/feed/delete',
      policy: 'self',
      target: (req) => ({ userId: req.body.request.userId }),
      validationError: feedValidation,
      schema: { body: DeleteFeedBody, result: SuccessResult },
      summary: "Delete entries of the caller's feed (unknown ids are ignored)",
      tags: ['feed'],
      handler: async (req) => {
        await deps.feed.remove(req.body.request.userId, req.body.request.ids);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/private/v1/notification/feed/read/:userId',
      policy: 'internal',
      validationError: feedValidation,
      schema: { params: UserParams, result: V1FeedResult },
      summary: "A user's v1 feed (User-Org's /v1/user/feed answers from it)",
      tags: ['feed'],
      handler: async (req) => ({ feeds: v1Feed(await deps.feed.list(req.params.userId)) }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/private/v1/notification/feed/update',
      policy: 'internal',
      errors: [404],
      validationError: feedValidation,
      schema: { body: UpdateFeedBody, result: SuccessResult },
      summary: "Mark entries of a user's feed read (User-Org's /v1/user/feed/update)",
      tags: ['feed'],
      handler: async (req) => {
        const { userId, ids, status } = req.body.request;
        await updateStatus(deps, userId, ids, status ?? 'read', userId);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/private/v1/notification/feed/delete',
      policy: 'internal',
      validationError: feedValidation,
      schema: { body: DeleteFeedBody, result: SuccessResult },
      summary: "Delete entries of a user's feed (User-Org's /v1/user/feed/delete)",
      tags: ['feed'],
      handler: async (req) => {
        await deps.feed.remove(req.body.request.userId, req.body.request.ids);
        return SUCCESS;
      },
    }),
  ];
}
