/**
 * Creating a group (upstream CreateGroupActor): the caller becomes its admin, the requested members
 * join with their roles, and the activities are stored, all in one logged batch with the
 * `member-added` notification. Upstream's limits refuse the whole request (upstream created the
 * group anyway and listed the failures; a request is all or nothing here): the caller's groups
 * (GS_CRT04), the members (GS_CRT05), the activities (GS_CRT06). Members must be existing, active
 * users (GS_CRT02).
 */
import { randomUUID } from 'node:crypto';
import type { Caller, Static } from '@lern/kit';
import { cacheKeys } from '../cache.ts';
import { writeChange, type GroupsDeps } from '../context.ts';
import { gsError } from '../errors.ts';
import { groupLimitReached, initialMembers } from '../members/operations.ts';
import type { GroupRecord } from '../model.ts';
import { groupNotification } from '../notifications/events.ts';
import { planActivities } from './operations.ts';
import type { CreateGroupBody } from './schemas.ts';

/** The `request` of a create call. */
export type CreateGroupRequest = Static<typeof CreateGroupBody>['request'];

/** Creates the group; returns its id. */
export async function createGroup(deps: GroupsDeps, request: CreateGroupRequest, caller: Caller): Promise<string> {
  const { limits } = deps;
  const creatorId = caller.userId;
  const members = initialMembers(creatorId, request.members ?? []);
  if (members.length > limits.maxMembers) throw gsError('GS_CRT05', 'CLIENT_ERROR', limits.maxMembers);
  const activities = planActivities([], { add: request.activities ?? [] }, limits.maxActivities);
  if (activities === null) throw gsError('GS_CRT06', 'CLIENT_ERROR', limits.maxActivities);
  const [creatorGroups, users] = await Promise.all([deps.members.groupIdsOf(creatorId), deps.directory.users(members.map((m) => m.userId))]);
  if (groupLimitReached(creatorGroups.length, limits.maxGroupsPerUser)) throw gsError('GS_CRT04', 'CLIENT_ERROR', limits.maxGroupsPerUser);
  if (members.some((m) => m.userId !== creatorId && users.get(m.userId)?.active !== true)) throw gsError('GS_CRT02');

  const now = deps.now();
  const group: GroupRecord = {
    id: randomUUID(),
    name: request.name,
    description: request.description ?? null,
    status: 'active',
    membershipType: request.membershipType ?? 'invite_only',
    activities,
    createdBy: creatorId,
    createdOn: now,
    updatedBy: null,
    updatedOn: null,
  };
  const memberStatements = members.flatMap((m) => [deps.members.upsertActive(group.id, m.userId, m.role, creatorId, now), deps.members.linkUser(m.userId, group.id)]);
  const actor = { id: creatorId, name: users.get(creatorId)?.name ?? '' };
  const ref = { id: group.id, name: group.name };
  const notifications = (['admin', 'member'] as const).map((role) =>
    groupNotification({ type: 'member-added', recipients: members.filter((m) => m.role === role).map((m) => m.userId), group: ref, actor, role }),
  );
  await writeChange(deps, { core: [deps.groups.insert(group)], members: memberStatements }, notifications, members.map((m) => cacheKeys.userGroups(m.userId)));
  return group.id;
}
