/**
 * What POST /v1/data/sync and `lern reindex` rebuild, by upstream's objectType: `batch` rewrites
 * the `course-batch` documents (objectIds are course ids, upstream's partition key of course_batch).
 * A resource with an index adds its type here.
 */
import { syncBatches } from '../batches/indexer.ts';
import type { LmsDeps } from '../context.ts';

/** Rebuilders by objectType; each returns how many documents it wrote. */
export const SYNC_TYPES = {
  batch: (deps: Pick<LmsDeps, 'batches' | 'search' | 'timeZone'>, ids?: readonly string[]) => syncBatches(deps, ids),
} as const;

/** One of the object types. */
export type SyncType = keyof typeof SYNC_TYPES;

/** The object type names. */
export const SYNC_TYPE_NAMES = Object.keys(SYNC_TYPES) as SyncType[];
