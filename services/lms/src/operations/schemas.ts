/** Schemas of the operations routes. */
import { Type } from '@lern/kit';
import { CACHE_MAPS } from '../cache.ts';
import { IdList, requestBody } from '../schemas.ts';
import { SYNC_TYPE_NAMES } from './sync.ts';

/** DELETE /v1/cache/clear/:mapName. */
export const CacheClearParams = Type.Object({
  mapName: Type.Enum([...CACHE_MAPS, 'all'], { description: `A cache map (${CACHE_MAPS.join(', ')}) or all.` }),
});

/** POST /v1/data/sync. */
export const SyncBody = requestBody(
  Type.Object(
    {
      objectType: Type.Enum([...SYNC_TYPE_NAMES], { description: SYNC_TYPE_NAMES.join(' | ') }),
      objectIds: Type.Optional(IdList('For batch: the course ids whose batches are re-indexed; all when absent.', 1000)),
    },
    { additionalProperties: false },
  ),
);

/** Result of a sync. */
export const SyncResult = Type.Object({ response: Type.Literal('SUCCESS'), count: Type.Integer({ description: 'Documents written.' }) });

/** Result of a cache clear. */
export const CacheClearResult = Type.Object({ response: Type.Literal('SUCCESS'), cleared: Type.Integer({ description: 'Entries removed.' }) });
