/**
 * The group rules (pure), after upstream's UpdateGroupActor, DeleteGroupActor, ReadGroupActor and
 * GroupServiceImpl.handleActivityOperations:
 * - only an active member may read a group (upstream lets any signed-in user; here members, and
 *   system administrators for support); an admin of the group manages it: name, description,
 *   membership type, status, members and activities (upstream lets any caller change activities;
 *   here admins only);
 * - every member may leave: an update whose only content is `members.remove: [<self>]`, also in a
 *   suspended group;
 * - only the creator deletes a group (POST /v1/group/delete, or `status: inactive` in an update);
 * - a suspended group takes no change but leaving and re-activation (GS_UDT08);
 * - activities: added ones not yet present (by id) are appended, removed ones go; at most the limit.
 */
import { isSystemAdmin, type Grant } from '@lern/kit';
import type { GsCode } from '../errors.ts';
import type { MemberChanges } from '../members/operations.ts';
import { isActive, type Activity, type GroupRecord, type MemberRecord } from '../model.ts';

/** The fields of an update request the rules look at. */
export interface UpdateIntent {
  name?: string | undefined;
  description?: string | null | undefined;
  membershipType?: string | undefined;
  status?: string | undefined;
  members?: MemberChanges | undefined;
  activities?: { add?: readonly Activity[]; remove?: readonly string[] } | undefined;
}

const hasMemberChanges = (m: MemberChanges | undefined): boolean => !!m && ((m.add?.length ?? 0) > 0 || (m.edit?.length ?? 0) > 0 || (m.remove?.length ?? 0) > 0);
const hasActivityChanges = (a: UpdateIntent['activities']): boolean => !!a && ((a.add?.length ?? 0) > 0 || (a.remove?.length ?? 0) > 0);

/** True when the update only removes the caller from the group (leaving it). */
export function isExitRequest(intent: UpdateIntent, callerId: string): boolean {
  const changesGroup = intent.name !== undefined || intent.description !== undefined || intent.membershipType !== undefined || intent.status !== undefined;
  if (changesGroup || hasActivityChanges(intent.activities)) return false;
  const m = intent.members;
  if (!m || (m.add?.length ?? 0) > 0 || (m.edit?.length ?? 0) > 0) return false;
  return m.remove?.length === 1 && m.remove[0] === callerId;
}

/** What the rules read of a member (a stored row or a cached view). */
export interface MemberFacts {
  userId: string;
  status: string;
  role: string;
}

/** The caller's active membership of the group, if any. */
export const activeMembership = <M extends MemberFacts>(members: readonly M[], userId: string): M | undefined =>
  members.find((m) => m.userId === userId && isActive(m));

/** Why the caller may not apply the update to the group (a `GS_*` code and its status), or null when it may. */
export function refuseUpdate(group: GroupRecord, members: readonly MemberRecord[], callerId: string, intent: UpdateIntent): { code: GsCode; status: 403 | 400 } | null {
  const membership = activeMembership(members, callerId);
  if (isExitRequest(intent, callerId)) return membership ? null : { code: 'GS_UDT09', status: 403 };
  if (intent.status === 'inactive') return group.createdBy === callerId ? null : { code: 'GS_UDT09', status: 403 };
  if (membership?.role !== 'admin') return { code: 'GS_UDT09', status: 403 };
  if (group.status === 'suspended' && intent.status !== 'active') return { code: 'GS_UDT08', status: 400 };
  return null;
}

/** True when the update changes something (an empty one is accepted and changes nothing). */
export function changesAnything(intent: UpdateIntent): boolean {
  return (
    intent.name !== undefined ||
    intent.description !== undefined ||
    intent.membershipType !== undefined ||
    intent.status !== undefined ||
    hasMemberChanges(intent.members) ||
    hasActivityChanges(intent.activities)
  );
}

/** The activities after adding and removing, or null when they would exceed `max`. */
export function planActivities(stored: readonly Activity[], change: NonNullable<UpdateIntent['activities']>, max: number): Activity[] | null {
  const result = [...stored];
  for (const a of change.add ?? []) if (!result.some((r) => r.id === a.id)) result.push({ id: a.id, type: a.type });
  const removed = new Set(change.remove ?? []);
  const after = result.filter((a) => !removed.has(a.id));
  const grew = after.length > stored.length;
  return grew && after.length > max ? null : after;
}

/** May the caller read the group (its members and activities)? */
export function mayRead(members: readonly MemberFacts[], callerId: string, grants: readonly Grant[]): boolean {
  return activeMembership(members, callerId) !== undefined || isSystemAdmin(grants);
}

/** May the caller delete the group? Only its creator (upstream GS_DLT10). */
export const mayDelete = (group: GroupRecord, callerId: string): boolean => group.createdBy === callerId;

/** What a read returns, from upstream's `fields` (comma-separated): none -> activities, no members. */
export function readParts(fields: string | undefined): { members: boolean; activities: boolean } {
  const list = (fields ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (list.length === 0) return { members: false, activities: true };
  return { members: list.includes('members'), activities: list.includes('activities') };
}

/** Sorts a user's groups as upstream lists them: by the user's role (admin first), then stable. */
export function sortByRole<T extends { memberRole: string }>(groups: readonly T[]): T[] {
  return [...groups].sort((a, b) => a.memberRole.localeCompare(b.memberRole));
}
