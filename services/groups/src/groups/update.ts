/**
 * Changing a group (upstream UpdateGroupActor): its name, description, membership type, status,
 * members (`members.add/edit/remove`) and activities (`activities.add/remove`), in one logged batch
 * with the notifications it causes. Who may do what is in operations.ts (refuseUpdate); limits refuse
 * the whole request (GS_UDT05 members, GS_UDT06 activities); added members must be existing, active
 * users, and edited ones members (GS_UDT02). `status: inactive` deletes the group (creator only).
 */
import type { Caller, CqlStatement, Static } from '@lern/kit';
import { cacheKeys } from '../cache.ts';
import { writeChange, type GroupsDeps } from '../context.ts';
import { gsError } from '../errors.ts';
import { isRefusal, planMemberChanges, type MemberPlan } from '../members/operations.ts';
import { isActive, type GroupRecord, type MemberRecord } from '../model.ts';
import { groupNotification, type FeedNotification } from '../notifications/events.ts';
import { deleteStoredGroup } from './delete.ts';
import { changesAnything, isExitRequest, planActivities, refuseUpdate } from './operations.ts';
import type { UpdateGroupBody } from './schemas.ts';

/** The `request` of an update call. */
export type UpdateGroupRequest = Static<typeof UpdateGroupBody>['request'];

function memberStatements(deps: GroupsDeps, groupId: string, plan: MemberPlan, by: string, at: Date): CqlStatement[] {
  return [
    ...plan.added.flatMap((m) => [deps.members.upsertActive(groupId, m.userId, m.role, by, at), deps.members.linkUser(m.userId, groupId)]),
    ...plan.roleChanged.map((m) => deps.members.changeRole(groupId, m.userId, m.role, by, at)),
    ...plan.removed.flatMap((userId) => [deps.members.markRemoved(groupId, userId, by, at), deps.members.unlinkUser(userId, groupId)]),
  ];
}

interface Notice {
  group: GroupRecord;
  stored: readonly MemberRecord[];
  plan: MemberPlan;
  actor: { id: string; name: string };
  exit: boolean;
  addedActivities: GroupRecord['activities'];
  removedActivities: GroupRecord['activities'];
}

function notificationsOf(n: Notice): (FeedNotification | null)[] {
  const ref = { id: n.group.id, name: n.group.name };
  const removedIds = new Set(n.plan.removed);
  const remaining = [...n.stored.filter((m) => isActive(m) && !removedIds.has(m.userId)).map((m) => m.userId), ...n.plan.added.map((m) => m.userId)];
  const admins = n.stored.filter((m) => isActive(m) && m.role === 'admin' && m.userId !== n.actor.id).map((m) => m.userId);
  return [
    ...(['admin', 'member'] as const).map((role) =>
      groupNotification({ type: 'member-added', recipients: n.plan.added.filter((m) => m.role === role).map((m) => m.userId), group: ref, actor: n.actor, role }),
    ),
    n.exit
      ? groupNotification({ type: 'member-exit', recipients: admins, group: ref, actor: n.actor })
      : groupNotification({ type: 'member-removed', recipients: n.plan.removed, group: ref, actor: n.actor }),
    ...n.addedActivities.map((activity) => groupNotification({ type: 'group-activity-added', recipients: remaining, group: ref, actor: n.actor, activity })),
    ...n.removedActivities.map((activity) => groupNotification({ type: 'group-activity-removed', recipients: remaining, group: ref, actor: n.actor, activity })),
  ];
}

/** Applies the update. */
export async function updateGroup(deps: GroupsDeps, request: UpdateGroupRequest, caller: Caller): Promise<void> {
  const stored = await deps.groups.get(request.groupId);
  if (!stored) throw gsError('GS_UDT07', 'RESOURCE_NOT_FOUND');
  const members = await deps.members.ofGroup(stored.id);
  const refusal = refuseUpdate(stored, members, caller.userId, request);
  if (refusal) throw gsError(refusal.code, refusal.status === 403 ? 'FORBIDDEN' : 'CLIENT_ERROR');
  if (!changesAnything(request)) return;
  if (request.status === 'inactive') {
    await deleteStoredGroup(deps, stored, members, caller);
    return;
  }
  const { limits } = deps;
  const plan = planMemberChanges(members, request.members ?? {}, limits.maxMembers);
  if (isRefusal(plan)) throw plan.kind === 'limit' ? gsError('GS_UDT05', 'CLIENT_ERROR', plan.limit) : gsError('GS_UDT02');
  const activities = request.activities ? planActivities(stored.activities, request.activities, limits.maxActivities) : stored.activities;
  if (activities === null) throw gsError('GS_UDT06', 'CLIENT_ERROR', limits.maxActivities);
  const users = await deps.directory.users([caller.userId, ...plan.added.map((m) => m.userId)]);
  if (plan.added.some((m) => users.get(m.userId)?.active !== true)) throw gsError('GS_UDT02');

  const now = deps.now();
  const changesGroup =
    request.name !== undefined || request.description !== undefined || request.membershipType !== undefined || request.status !== undefined || request.activities !== undefined;
  const updated: GroupRecord = {
    ...stored,
    name: request.name ?? stored.name,
    description: request.description === undefined ? stored.description : request.description,
    membershipType: request.membershipType ?? stored.membershipType,
    status: request.status ?? stored.status,
    activities,
    updatedBy: caller.userId,
    updatedOn: now,
  };
  const core = changesGroup ? [deps.groups.update(updated)] : [];
  const memberChanges = memberStatements(deps, stored.id, plan, caller.userId, now);
  const notifications = notificationsOf({
    group: updated,
    stored: members,
    plan,
    actor: { id: caller.userId, name: users.get(caller.userId)?.name ?? '' },
    exit: isExitRequest(request, caller.userId),
    addedActivities: activities.filter((a) => !stored.activities.some((s) => s.id === a.id)),
    removedActivities: stored.activities.filter((s) => !activities.some((a) => a.id === s.id)),
  });
  // A group change shows in every member's list; a member change in the changed members' lists.
  const everyone = [...members.map((m) => m.userId), ...plan.added.map((m) => m.userId)];
  const touched = [...plan.added.map((m) => m.userId), ...plan.roleChanged.map((m) => m.userId), ...plan.removed];
  const stale = [
    ...(changesGroup ? [cacheKeys.group(stored.id)] : []),
    ...(touched.length > 0 ? [cacheKeys.members(stored.id)] : []),
    ...(changesGroup ? everyone : touched).map(cacheKeys.userGroups),
  ];
  if (core.length + memberChanges.length > 0) await writeChange(deps, { core, members: memberChanges }, notifications, stale);
}
