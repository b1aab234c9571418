/**
 * Locations (state > district > block > cluster > school): create under a parent, rename or
 * re-code, delete a leaf, search. Codes are unique (case-insensitive): reserved before the write,
 * given back if it fails, and the old code freed after a change or a delete.
 */
import { randomUUID } from 'node:crypto';
import { sunbirdTimestamp, type Caller } from '@lern/kit';
import { byOf, INDEX, type UserOrgDeps } from '../context.ts';
import { fail, uosError, type Operation } from '../errors.ts';
import { LOCATION_TYPES, type LocationRecord } from '../records.ts';
import { LOCATION_SEARCH_PROFILE } from '../search-query.ts';
import { searchIndex, type SearchRequest } from '../search.ts';
import { locationCodeValue } from '../store/index.ts';
import { claimUnique, releaseUnique } from '../unique.ts';
import { afterLocationWrite } from './effects.ts';
import type { CreateLocationRequest, UpdateLocationRequest } from './schemas.ts';

/** Creates a location under its parent (by id or code); the parent must be of a higher type. */
export async function createLocation(deps: UserOrgDeps, r: CreateLocationRequest, caller: Caller | null): Promise<{ id: string }> {
  const op: Operation = 'createLocation';
  const { store } = deps;
  const code = r.code.trim();
  let parentId: string | null = null;
  if (r.parentId !== undefined || r.parentCode !== undefined) {
    const given = r.parentId ?? r.parentCode ?? '';
    parentId = r.parentId?.trim() ?? (await store.unique.owner(locationCodeValue(given)));
    const parent = parentId ? await store.locations.get(parentId) : null;
    if (!parent) throw fail.invalidValue(op, given, r.parentId ? 'parentId' : 'parentCode');
    const types: readonly string[] = LOCATION_TYPES;
    if (types.indexOf(parent.type) >= types.indexOf(r.type)) throw fail.invalidValue(op, parent.id, 'parentId');
  }
  const id = randomUUID();
  const location: LocationRecord = { id, code, name: r.name.trim(), type: r.type, parentId, createdBy: byOf(caller), createdDate: sunbirdTimestamp() };
  const claims = [{ value: locationCodeValue(code), field: 'code', shown: code }];
  await claimUnique(store.unique, { owner: id, claims, taken: (c) => fail.duplicate(op, c.shown, c.field) }, async () => {
    await store.locations.put(location);
    if (parentId) await store.locations.addChild(parentId, id);
  });
  await afterLocationWrite(deps, location, { action: 'create', caller, fields: ['code', 'name', 'type', 'parentId'] });
  return { id };
}

/** Renames or re-codes a location. */
export async function updateLocation(deps: UserOrgDeps, r: UpdateLocationRequest, caller: Caller | null): Promise<void> {
  const op: Operation = 'updateLocation';
  const { store } = deps;
  const location = await store.locations.get(r.id);
  if (!location) throw fail.notFound(op, 'location');
  const code = r.code?.trim();
  const recoded = code !== undefined && code.toLowerCase() !== location.code.toLowerCase();
  const updated: LocationRecord = { ...location, ...(r.name ? { name: r.name.trim() } : {}), ...(code ? { code } : {}), updatedBy: byOf(caller), updatedDate: sunbirdTimestamp() };
  const claims = recoded ? [{ value: locationCodeValue(code), field: 'code', shown: code }] : [];
  await claimUnique(store.unique, { owner: location.id, claims, taken: (c) => fail.duplicate(op, c.shown, c.field) }, () => store.locations.put(updated));
  if (recoded) await releaseUnique(store.unique, location.id, [locationCodeValue(location.code)]);
  await afterLocationWrite(deps, updated, { action: 'update', caller, fields: [...(r.name ? ['name'] : []), ...(code ? ['code'] : [])] });
}

/** Deletes a location that has no children, freeing its code. */
export async function deleteLocation(deps: UserOrgDeps, id: string, caller: Caller | null): Promise<void> {
  const op: Operation = 'deleteLocation';
  const { store } = deps;
  const location = await store.locations.get(id);
  if (!location) throw fail.notFound(op, 'location');
  if (await store.locations.hasChildren(id)) throw uosError(op, 'invalidLocationDeleteRequest');
  await store.locations.delete(id);
  await releaseUnique(store.unique, id, [locationCodeValue(location.code)]);
  if (location.parentId) await store.locations.removeChild(location.parentId, id);
  await afterLocationWrite(deps, location, { action: 'delete', caller, fields: [] });
}

/** Location search; no filters lists all. Upstream answers `{ response: [...], count }`. */
export async function searchLocations(deps: UserOrgDeps, request: SearchRequest): Promise<{ response: Record<string, unknown>[]; count: number }> {
  const { count, content } = await searchIndex(deps, INDEX.location, request, LOCATION_SEARCH_PROFILE, 'searchLocation');
  return { response: content, count };
}
