/**
 * Operations routes, for system administrators only: they act on the whole installation (upstream:
 * no gateway route for lms' cache clear; data sync behind the userAdmin/orgAdmin ACL of the learner
 * service's gateway entry).
 */
import { defineRoute, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { lmsValidation } from '../errors.ts';
import { CacheClearParams, CacheClearResult, SyncBody, SyncResult } from './schemas.ts';
import { SYNC_TYPES } from './sync.ts';

/** Cache clear and index rebuild. */
export function operationRoutes(deps: LmsDeps): Route[] {
  return [
    defineRoute({
      method: 'DELETE',
      url: '/v1/cache/clear/:mapName',
      policy: 'systemAdmin',
      validationError: lmsValidation(),
      schema: { params: CacheClearParams, result: CacheClearResult },
      summary: 'Clear a cache map (or all)',
      tags: ['operations'],
      handler: async (req) => ({ response: 'SUCCESS' as const, cleared: await deps.cache.clear(req.params.mapName) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/data/sync',
      policy: 'systemAdmin',
      validationError: lmsValidation(),
      schema: { body: SyncBody, result: SyncResult },
      summary: 'Rebuild index documents from Cassandra',
      tags: ['operations'],
      handler: async (req) => ({ response: 'SUCCESS' as const, count: await SYNC_TYPES[req.body.request.objectType](deps, req.body.request.objectIds) }),
    }),
  ];
}
