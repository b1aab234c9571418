/** `POST /v1/data/sync`: re-indexing from Cassandra, for system administrators (upstream's gateway ACL indexSync). */
import { defineRoute, Type, type Route } from '@lern/kit';
import type { UserOrgDeps } from '../context.ts';
import { operationOf } from '../errors.ts';
import { Id, requestBody, SuccessResult } from '../schemas.ts';
import { sync, SYNC_TYPES } from './operations.ts';

const SyncBody = requestBody(
  Type.Object(
    {
      objectType: Type.Enum([...SYNC_TYPES], { description: SYNC_TYPES.join(' | ') }),
      objectIds: Type.Optional(Type.Array(Id('An id.'), { maxItems: 10_000, description: 'Ids to re-index; all when absent.' })),
    },
    { additionalProperties: true },
  ),
);

/** The re-index route. */
export function syncRoutes(deps: UserOrgDeps): Route[] {
  const route = defineRoute({
    method: 'POST', url: '/v1/data/sync', policy: 'systemAdmin', ...operationOf('sync', 'operations'), summary: 'Rebuild index documents from Cassandra',
    schema: { body: SyncBody, result: SuccessResult },
    handler: async (req) => ({ response: 'SUCCESS', count: await sync(deps, req.body.request.objectType, req.body.request.objectIds) }),
  });
  return [route];
}
