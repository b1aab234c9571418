/** Stored records as the API returns them (pure), with upstream's field names and timestamps. */
import { sunbirdTimestamp, type Static } from '@lern/kit';
import type { GroupRecord, MemberRecord } from '../model.ts';
import type { MemberView } from '../schemas.ts';
import type { GroupView, ListedGroup } from './schemas.ts';

const stamp = (d: Date | null): string | null => (d ? sunbirdTimestamp(d) : null);

/** A group with its activities (what `<groupId>` caches). */
export function groupView(g: GroupRecord): Static<typeof GroupView> {
  return {
    id: g.id,
    name: g.name,
    ...(g.description !== null ? { description: g.description } : {}),
    status: g.status,
    membershipType: g.membershipType,
    createdOn: stamp(g.createdOn),
    createdBy: g.createdBy,
    updatedOn: stamp(g.updatedOn),
    updatedBy: g.updatedBy,
    activities: g.activities.map((a) => ({ id: a.id, type: a.type })),
  };
}

/** A member with the user's display name. */
export function memberView(m: MemberRecord, name: string): Static<typeof MemberView> {
  return {
    userId: m.userId,
    groupId: m.groupId,
    role: m.role,
    status: m.status,
    createdOn: stamp(m.createdOn),
    createdBy: m.createdBy,
    updatedOn: stamp(m.updatedOn),
    updatedBy: m.updatedBy,
    removedOn: stamp(m.removedOn),
    removedBy: m.removedBy,
    visited: m.visited,
    name,
  };
}

/** A group in a user's list. */
export function listedGroup(g: GroupRecord, membership: MemberRecord): Static<typeof ListedGroup> {
  const { activities: _activities, ...group } = groupView(g);
  return { ...group, memberRole: membership.role, visited: membership.visited };
}
