/**
 * Reading groups (upstream ReadGroupActor, SearchGroupActor), through the cache: `<groupId>` holds
 * the group with its activities, `<groupId>_members` its active members, `<userId>` the user's
 * list; a miss reads Cassandra and fills the entry.
 */
import { isSystemAdmin, type Caller, type Static } from '@lern/kit';
import { cacheKeys } from '../cache.ts';
import type { GroupsDeps } from '../context.ts';
import { gsError } from '../errors.ts';
import { isActive } from '../model.ts';
import type { MemberView } from '../schemas.ts';
import { mayRead, readParts, sortByRole } from './operations.ts';
import type { GroupView, ListedGroup } from './schemas.ts';
import { groupView, listedGroup, memberView } from './views.ts';

type Group = Static<typeof GroupView>;
type Member = Static<typeof MemberView>;

/** The group with its activities, or null when there is none. */
export async function cachedGroup(deps: GroupsDeps, groupId: string): Promise<Group | null> {
  const hit = await deps.cache.get<Group>(cacheKeys.group(groupId));
  if (hit) return hit;
  const stored = await deps.groups.get(groupId);
  if (!stored) return null;
  const view = groupView(stored);
  await deps.cache.set(cacheKeys.group(groupId), view, deps.groupCacheTtlSeconds);
  return view;
}

/** The group's active members with their names. */
export async function cachedMembers(deps: GroupsDeps, groupId: string): Promise<Member[]> {
  const hit = await deps.cache.get<Member[]>(cacheKeys.members(groupId));
  if (hit) return hit;
  const active = (await deps.members.ofGroup(groupId)).filter(isActive);
  const users = await deps.directory.users(active.map((m) => m.userId));
  const views = active.map((m) => memberView(m, users.get(m.userId)?.name ?? ''));
  await deps.cache.set(cacheKeys.members(groupId), views, deps.groupCacheTtlSeconds);
  return views;
}

/** GET /v1/group/read/:groupId: members and system administrators only. */
export async function readGroup(deps: GroupsDeps, groupId: string, fields: string | undefined, caller: Caller): Promise<Group> {
  const group = await cachedGroup(deps, groupId);
  if (!group) throw gsError('GS_RED07', 'RESOURCE_NOT_FOUND');
  const members = await cachedMembers(deps, groupId);
  if (!mayRead(members, caller.userId, caller.grants)) throw gsError('GS_RED01', 'FORBIDDEN');
  const parts = readParts(fields);
  const { activities, ...rest } = group;
  return { ...rest, ...(parts.activities ? { activities: activities ?? [] } : {}), ...(parts.members ? { members } : {}) };
}

/** POST /v1/group/list: the caller's own groups (system administrators: anyone's). */
export async function listGroups(deps: GroupsDeps, userId: string, caller: Caller): Promise<Static<typeof ListedGroup>[]> {
  if (userId !== caller.userId && !isSystemAdmin(caller.grants)) throw gsError('GS_LST01', 'FORBIDDEN');
  const hit = await deps.cache.get<Static<typeof ListedGroup>[]>(cacheKeys.userGroups(userId));
  if (hit) return hit;
  const ids = await deps.members.groupIdsOf(userId);
  const [groups, memberships] = await Promise.all([deps.groups.getMany(ids), deps.members.ofUserIn(userId, ids)]);
  const byGroup = new Map(memberships.filter(isActive).map((m) => [m.groupId, m]));
  const listed = sortByRole(groups.flatMap((g) => {
    const membership = byGroup.get(g.id);
    return membership ? [listedGroup(g, membership)] : [];
  }));
  await deps.cache.set(cacheKeys.userGroups(userId), listed, deps.userCacheTtlSeconds);
  return listed;
}
