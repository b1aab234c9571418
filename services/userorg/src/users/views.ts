/**
 * What a user looks like outside Cassandra: the API view (personal data masked), the smaller view
 * anyone may get by email or phone, and the search document (masked values plus lookup hashes, never
 * clear or sealed email/phone).
 */
import { maskEmail, maskPhone, type LookupType } from '../pii.ts';
import type { MembershipRecord, RoleGrant, UserRecord } from '../records.ts';

/** A membership as shown inside a user. */
export function membershipView(m: MembershipRecord): Record<string, unknown> {
  return {
    userId: m.userId,
    organisationId: m.organisationId,
    hashTagId: m.organisationId,
    roles: m.roles,
    associationType: m.associationType,
    isDeleted: m.isDeleted,
    orgjoindate: m.orgJoinDate,
    addedBy: m.addedBy,
    updatedBy: m.updatedBy,
    updatedDate: m.updatedDate,
  };
}

/** What a user view is built from besides the user row. */
export interface UserViewParts {
  organisations?: MembershipRecord[];
  roles?: RoleGrant[];
  rootOrg?: Record<string, unknown> | null;
}

/** The user as API responses show it: personal data masked, never sealed values. */
export function userView(u: UserRecord, parts: UserViewParts = {}): Record<string, unknown> {
  const maskedEmail = u.email === null ? null : maskEmail(u.email);
  const maskedPhone = u.phone === null ? null : maskPhone(u.phone);
  const primaryType = u.profileUserTypes[0] ?? (u.userType ? { type: u.userType, subType: u.userSubType } : null);
  return {
    id: u.id,
    userId: u.id,
    identifier: u.id,
    firstName: u.firstName,
    lastName: u.lastName,
    userName: u.userName,
    email: maskedEmail,
    maskedEmail,
    phone: maskedPhone,
    maskedPhone,
    emailVerified: u.emailVerified,
    phoneVerified: u.phoneVerified,
    countryCode: u.countryCode,
    recoveryEmail: u.recoveryEmail === null ? '' : maskEmail(u.recoveryEmail),
    recoveryPhone: u.recoveryPhone === null ? '' : maskPhone(u.recoveryPhone),
    dob: u.dob,
    gender: u.gender,
    language: u.language,
    subject: u.subject,
    channel: u.channel,
    rootOrgId: u.rootOrgId,
    status: u.status,
    isDeleted: u.isDeleted,
    roles: parts.roles ?? u.roles.map((role) => ({ role, scope: [] })),
    userType: u.userType,
    userSubType: u.userSubType,
    profileUserType: primaryType,
    profileUserTypes: u.profileUserTypes,
    profileLocation: u.profileLocation,
    profileDetails: u.profileDetails,
    locationIds: u.locationIds,
    framework: u.framework,
    managedBy: u.managedBy,
    flagsValue: u.flagsValue,
    tncAcceptedOn: u.tncAcceptedOn?.toISOString() ?? null,
    tncAcceptedVersion: u.tncAcceptedVersion,
    organisations: (parts.organisations ?? []).map(membershipView),
    rootOrg: parts.rootOrg ?? null,
    createdBy: u.createdBy,
    createdDate: u.createdDate,
    updatedBy: u.updatedBy,
    updatedDate: u.updatedDate,
  };
}

/**
 * Fields of a user anyone may see through `/v1/user/get/email|phone/{value}`: those of upstream's
 * answer to that request (api-tests "ReadUser" example), with no roles and no roles per organisation.
 */
const PUBLIC_FIELDS = [
  'id', 'userId', 'identifier', 'firstName', 'lastName', 'userName', 'email', 'maskedEmail', 'phone', 'maskedPhone', 'countryCode',
  'recoveryEmail', 'recoveryPhone', 'dob', 'channel', 'rootOrgId', 'rootOrg', 'status', 'isDeleted', 'profileUserType', 'profileUserTypes',
  'profileLocation', 'profileDetails', 'framework', 'managedBy', 'flagsValue', 'tncAcceptedOn', 'tncAcceptedVersion', 'createdBy',
  'createdDate', 'updatedBy', 'updatedDate',
] as const;

const PUBLIC_MEMBERSHIP_FIELDS = ['userId', 'organisationId', 'hashTagId', 'associationType', 'isDeleted', 'orgjoindate', 'addedBy', 'updatedBy', 'updatedDate'] as const;

const pick = (from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]]));

/** A full user view cut down to what a caller who may not read the user sees. */
export function publicUserView(view: Record<string, unknown>): Record<string, unknown> {
  const organisations = Array.isArray(view.organisations) ? view.organisations : [];
  return {
    ...pick(view, PUBLIC_FIELDS),
    roles: [],
    organisations: organisations.map((m) => (typeof m === 'object' && m !== null ? pick(m as Record<string, unknown>, PUBLIC_MEMBERSHIP_FIELDS) : {})),
  };
}

/** Hashes an identifier the way the lookup table does (the store's identifierKey). */
export type IdentifierHash = (type: LookupType, value: string) => string;

/** Search document of a user: masked values plus lookup hashes, never clear or sealed email/phone. */
export function userDocument(u: UserRecord, memberships: MembershipRecord[], grants: RoleGrant[], hash: IdentifierHash): Record<string, unknown> {
  const view = userView(u, { organisations: memberships, roles: grants });
  delete view.rootOrg;
  return {
    ...view,
    emailHash: u.email === null ? null : hash('email', u.email),
    phoneHash: u.phone === null ? null : hash('phone', u.phone),
  };
}
