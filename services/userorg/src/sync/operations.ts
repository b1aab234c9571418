/**
 * Re-indexing: rebuilds search documents from Cassandra (the source of truth), for all objects of a
 * type or the given ids. Used by `POST /v1/data/sync` and `lern reindex`.
 */
import { INDEX, type UserOrgDeps } from '../context.ts';
import { locationView } from '../locations/effects.ts';
import { orgView } from '../orgs/views.ts';
import { indexUser } from '../users/effects.ts';

/** What can be re-indexed. */
export const SYNC_TYPES = ['user', 'organisation', 'location'] as const;
/** One of SYNC_TYPES. */
export type SyncType = (typeof SYNC_TYPES)[number];

const ALIAS: Record<SyncType, string> = { user: INDEX.user, organisation: INDEX.org, location: INDEX.location };

/** Writes one object's document; false when it does not exist. */
async function reindexOne(deps: UserOrgDeps, type: SyncType, id: string): Promise<boolean> {
  if (type === 'user') {
    await deps.cache.invalidate(id);
    return indexUser(deps, id);
  }
  const doc = type === 'organisation' ? await deps.store.orgs.get(id).then((o) => o && orgView(o)) : await deps.store.locations.get(id).then((l) => l && locationView(l));
  if (!doc) return false;
  await deps.search.index(ALIAS[type], id, doc, { refresh: false });
  return true;
}

/** Rebuilds the documents of one type (all, or `ids`); returns how many were written. */
export async function sync(deps: UserOrgDeps, type: SyncType, ids?: readonly string[]): Promise<number> {
  const all = { user: () => deps.store.users.allIds(), organisation: () => deps.store.orgs.allIds(), location: () => deps.store.locations.allIds() };
  const source: AsyncIterable<string> | readonly string[] = ids && ids.length > 0 ? ids : all[type]();
  let count = 0;
  for await (const id of source) if (await reindexOne(deps, type, id)) count++;
  await deps.search.refresh(ALIAS[type]);
  return count;
}
