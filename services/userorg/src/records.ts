/**
 * The records the service works with, between the store (Cassandra rows) and the resources (API
 * views, search documents). Records hold email and phone in clear; rows hold them sealed; views and
 * documents only masked.
 */

/** Upstream's user status values. */
export const USER_STATUS = { INACTIVE: 0, ACTIVE: 1, DELETED: 2 } as const;
/** Upstream's organisation status values. */
export const ORG_STATUS = { INACTIVE: 0, ACTIVE: 1, BLOCKED: 2, RETIRED: 3 } as const;
/** Organisation types by name (upstream orgTypeConfig: school 2, board 5). */
export const ORG_TYPES = { school: 2, board: 5 } as const;
/** Location types, top first (upstream sunbird_valid_location_types). */
export const LOCATION_TYPES = ['state', 'district', 'block', 'cluster', 'school'] as const;

/** A location reference inside a user or an organisation. */
export interface LocationRef {
  id: string;
  type: string;
}

/** A user type with its sub-type. */
export interface ProfileUserType {
  type: string;
  subType: string | null;
}

/** A role held by a user, scoped to organisations (`*` = the system). */
export interface RoleGrant {
  role: string;
  scope: { organisationId: string }[];
  createdBy?: string | null;
  createdDate?: string | null;
  updatedBy?: string | null;
  updatedDate?: string | null;
}

/** A user (email and phone in clear). */
export interface UserRecord {
  id: string;
  firstName: string;
  lastName: string | null;
  userName: string | null;
  email: string | null;
  phone: string | null;
  emailVerified: boolean;
  phoneVerified: boolean;
  countryCode: string | null;
  recoveryEmail: string | null;
  recoveryPhone: string | null;
  dob: string | null;
  gender: string | null;
  language: string[];
  subject: string[];
  channel: string | null;
  rootOrgId: string | null;
  status: number;
  isDeleted: boolean;
  roles: string[];
  userType: string | null;
  userSubType: string | null;
  profileUserTypes: ProfileUserType[];
  profileLocation: LocationRef[];
  profileDetails: Record<string, unknown> | null;
  locationIds: string[];
  framework: Record<string, string[]>;
  managedBy: string | null;
  flagsValue: number;
  tncAcceptedOn: Date | null;
  tncAcceptedVersion: string | null;
  createdBy: string | null;
  createdDate: string;
  updatedBy: string | null;
  updatedDate: string | null;
}

/** A membership of a user in an organisation. */
export interface MembershipRecord {
  userId: string;
  organisationId: string;
  roles: string[];
  associationType: number;
  isDeleted: boolean;
  orgJoinDate: string | null;
  addedBy: string | null;
  updatedBy: string | null;
  updatedDate: string | null;
}

/** An organisation: a root organisation (tenant, with a unique channel) or a sub-organisation. */
export interface OrgRecord {
  id: string;
  orgName: string;
  description: string | null;
  channel: string | null;
  slug: string | null;
  isTenant: boolean;
  rootOrgId: string;
  organisationType: number | null;
  organisationSubType: string | null;
  status: number;
  email: string | null;
  externalId: string | null;
  provider: string | null;
  orgCode: string | null;
  homeUrl: string | null;
  imgUrl: string | null;
  preferredLanguage: string | null;
  locationIds: string[];
  orgLocation: LocationRef[];
  isSSOEnabled: boolean;
  license: string | null;
  createdBy: string | null;
  createdDate: string;
  updatedBy: string | null;
  updatedDate: string | null;
}

/** A location of the state > district > block > cluster > school hierarchy. */
export interface LocationRecord {
  id: string;
  code: string;
  name: string;
  type: string;
  parentId: string | null;
  createdBy?: string | null;
  createdDate?: string | null;
  updatedBy?: string | null;
  updatedDate?: string | null;
}

/** A system setting. */
export interface SettingRecord {
  id: string;
  field: string;
  value: string;
}

/** A tenant preference (data is JSON text). */
export interface PreferenceRecord {
  orgId: string;
  key: string;
  data: string;
  createdBy: string | null;
  createdOn: Date | null;
  updatedBy: string | null;
  updatedOn: Date | null;
}

/** A role of the role table. */
export interface RoleRecord {
  id: string;
  name: string;
  status: number;
  roleGroupId: string[];
}
