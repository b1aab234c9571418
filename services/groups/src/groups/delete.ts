/**
 * Deleting a group (upstream DeleteGroupActor, and `status: inactive` in an update): only its
 * creator may; the group row and its member rows go, the group leaves every member's list, the
 * other members are told (`group-deleted`), and every cache entry of the group and its members is
 * dropped.
 */
import type { Caller } from '@lern/kit';
import { cacheKeys } from '../cache.ts';
import { writeChange, type GroupsDeps } from '../context.ts';
import { gsError } from '../errors.ts';
import { isActive, type GroupRecord, type MemberRecord } from '../model.ts';
import { groupNotification } from '../notifications/events.ts';
import { mayDelete } from './operations.ts';

/** Deletes a group the caller may delete (checked by the caller of this function). */
export async function deleteStoredGroup(deps: GroupsDeps, group: GroupRecord, members: readonly MemberRecord[], caller: Caller): Promise<void> {
  const userIds = [...new Set(members.map((m) => m.userId))];
  // The lists go first when the change is split: a list entry of a missing group is not listed.
  const change = { core: [deps.groups.delete(group.id), deps.members.deleteAll(group.id)], members: userIds.map((u) => deps.members.unlinkUser(u, group.id)) };
  const active = members.filter(isActive).map((m) => m.userId);
  const actorName = deps.notifies ? ((await deps.directory.users([caller.userId])).get(caller.userId)?.name ?? '') : '';
  const notification = groupNotification({ type: 'group-deleted', recipients: active, group: { id: group.id, name: group.name }, actor: { id: caller.userId, name: actorName } });
  await writeChange(deps, change, [notification], [cacheKeys.group(group.id), cacheKeys.members(group.id), ...userIds.map(cacheKeys.userGroups)]);
}

/** POST /v1/group/delete. */
export async function deleteGroup(deps: GroupsDeps, groupId: string, caller: Caller): Promise<void> {
  const group = await deps.groups.get(groupId);
  if (!group) throw gsError('GS_DLT07', 'RESOURCE_NOT_FOUND');
  if (!mayDelete(group, caller.userId)) throw gsError('GS_DLT10', 'FORBIDDEN');
  await deleteStoredGroup(deps, group, await deps.members.ofGroup(groupId), caller);
}
