/**
 * A user's own memberships (upstream UpdateGroupMembershipActor): the `visited` flag of groups the
 * caller is an active member of. Someone else's memberships, or a group the caller is not in,
 * GS_MBRSHP_UDT01.
 */
import type { Caller, Static } from '@lern/kit';
import { cacheKeys } from '../cache.ts';
import { writeChange, type GroupsDeps } from '../context.ts';
import { gsError } from '../errors.ts';
import { isActive } from '../model.ts';
import type { MembershipUpdateBody } from './schemas.ts';

/** The `request` of a membership update. */
export type MembershipUpdateRequest = Static<typeof MembershipUpdateBody>['request'];

/** Applies the membership update. */
export async function updateMemberships(deps: GroupsDeps, request: MembershipUpdateRequest, caller: Caller): Promise<void> {
  if (request.userId !== caller.userId) throw gsError('GS_MBRSHP_UDT01', 'FORBIDDEN');
  const visitedOf = new Map(request.groups.map((g) => [g.groupId, g.visited]));
  const rows = await deps.members.ofUserIn(caller.userId, [...visitedOf.keys()]);
  const memberOf = new Set(rows.filter(isActive).map((m) => m.groupId));
  if ([...visitedOf.keys()].some((id) => !memberOf.has(id))) throw gsError('GS_MBRSHP_UDT01', 'FORBIDDEN');
  const now = deps.now();
  const statements = [...visitedOf].map(([groupId, visited]) => deps.members.setVisited(groupId, caller.userId, visited, now));
  await writeChange(deps, { core: [], members: statements }, [], [...[...visitedOf.keys()].map(cacheKeys.members), cacheKeys.userGroups(caller.userId)]);
}
