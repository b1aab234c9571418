/** The records the Groups resources share (as the stores read them). */

/** Upstream's member roles. */
export const MEMBER_ROLES = ['admin', 'member'] as const;
/** One of {@link MEMBER_ROLES}. */
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Upstream's group states; `inactive` in an update deletes the group (upstream's old clients). */
export const GROUP_STATUSES = ['active', 'suspended', 'inactive'] as const;
/** One of {@link GROUP_STATUSES}. */
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** Upstream's membership types. */
export const MEMBERSHIP_TYPES = ['invite_only', 'moderated'] as const;

/** An activity of a group (a course, a textbook...). */
export interface Activity {
  id: string;
  type: string;
}

/** A group as stored. */
export interface GroupRecord {
  id: string;
  name: string;
  description: string | null;
  status: string;
  membershipType: string;
  activities: Activity[];
  createdBy: string | null;
  createdOn: Date | null;
  updatedBy: string | null;
  updatedOn: Date | null;
}

/** A member row: removed members stay as `inactive` rows. */
export interface MemberRecord {
  groupId: string;
  userId: string;
  role: MemberRole;
  status: 'active' | 'inactive';
  visited: boolean | null;
  createdBy: string | null;
  createdOn: Date | null;
  updatedBy: string | null;
  updatedOn: Date | null;
  removedBy: string | null;
  removedOn: Date | null;
}

/** True for an active member row. */
export const isActive = (m: { status: string }): boolean => m.status === 'active';
