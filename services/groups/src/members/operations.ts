/**
 * Member changes of a group (pure): what `members.add/edit/remove` of an update (and the members of
 * a create) do to the stored rows, and the member limit (upstream UpdateGroupActor,
 * GroupRequestHandler.validate{Add,Edit,Remove}Members, GroupUtil.totalMemberCount):
 * - add: a new user or a removed member becomes an active member with the given role (default
 *   member); adding someone who is already an active member changes nothing;
 * - edit: changes an active member's role; editing someone who is not a member is an error;
 * - remove: marks an active member removed; removing a non-member changes nothing;
 * - a user named in two of the lists is an error (the request is ambiguous);
 * - active members after the change must not exceed the limit (the creator counts).
 */
import { isActive, type MemberRecord, type MemberRole } from '../model.ts';

/** A member to add. */
export interface MemberAddition {
  userId: string;
  role?: MemberRole;
}

/** The `members` of an update. */
export interface MemberChanges {
  add?: readonly MemberAddition[];
  edit?: readonly { userId: string; role: MemberRole }[];
  remove?: readonly string[];
}

/** What changes: users added (new or back), roles changed, members removed. */
export interface MemberPlan {
  added: { userId: string; role: MemberRole }[];
  roleChanged: { userId: string; role: MemberRole }[];
  removed: string[];
  /** Active members after the change. */
  activeAfter: number;
}

/** Why a member change is refused. */
export type MemberRefusal = { kind: 'limit'; limit: number } | { kind: 'notMember'; userId: string } | { kind: 'ambiguous'; userId: string };

/** The plan of `changes` against the stored members, or why it is refused. */
export function planMemberChanges(stored: readonly MemberRecord[], changes: MemberChanges, maxMembers: number): MemberPlan | MemberRefusal {
  const active = new Map(stored.filter(isActive).map((m) => [m.userId, m]));
  const named = new Map<string, string>();
  const lists: [string, readonly string[]][] = [
    ['add', (changes.add ?? []).map((a) => a.userId)],
    ['edit', (changes.edit ?? []).map((e) => e.userId)],
    ['remove', changes.remove ?? []],
  ];
  for (const [list, ids] of lists) {
    for (const id of ids) {
      const seen = named.get(id);
      if (seen !== undefined && seen !== list) return { kind: 'ambiguous', userId: id };
      named.set(id, list);
    }
  }
  const added = new Map<string, MemberRole>();
  for (const a of changes.add ?? []) if (!active.has(a.userId) && !added.has(a.userId)) added.set(a.userId, a.role ?? 'member');
  const roleChanged = new Map<string, MemberRole>();
  for (const e of changes.edit ?? []) {
    const member = active.get(e.userId);
    if (!member) return { kind: 'notMember', userId: e.userId };
    if (member.role !== e.role) roleChanged.set(e.userId, e.role);
  }
  const removed = [...new Set(changes.remove ?? [])].filter((id) => active.has(id));
  const activeAfter = active.size + added.size - removed.length;
  if (added.size > 0 && activeAfter > maxMembers) return { kind: 'limit', limit: maxMembers };
  return {
    added: [...added].map(([userId, role]) => ({ userId, role })),
    roleChanged: [...roleChanged].map(([userId, role]) => ({ userId, role })),
    removed,
    activeAfter,
  };
}

/** True when `result` is a refusal. */
export const isRefusal = (result: MemberPlan | MemberRefusal): result is MemberRefusal => 'kind' in result;

/** The members of a new group: the creator as admin, then the requested members (the creator once). */
export function initialMembers(creatorId: string, requested: readonly MemberAddition[]): { userId: string; role: MemberRole }[] {
  const members = new Map<string, MemberRole>([[creatorId, 'admin']]);
  for (const m of requested) if (!members.has(m.userId)) members.set(m.userId, m.role ?? 'member');
  return [...members].map(([userId, role]) => ({ userId, role }));
}

/** True when a user already in `groupCount` groups may not create another (upstream: count >= limit). */
export const groupLimitReached = (groupCount: number, maxGroupsPerUser: number): boolean => groupCount >= maxGroupsPerUser;
