/**
 * The service's records and their pure mappings: Cassandra rows <-> records <-> API views and
 * search documents. Records hold email/phone in clear; rows hold them sealed; views and
 * documents only masked.
 */
import { lookupKey, maskEmail, maskPhone, type PiiCipher } from './pii.ts';

/** Upstream's user status values. */
export const USER_STATUS = { INACTIVE: 0, ACTIVE: 1, DELETED: 2 } as const;
/** Upstream's organisation status values. */
export const ORG_STATUS = { INACTIVE: 0, ACTIVE: 1, BLOCKED: 2, RETIRED: 3 } as const;
/** Organisation types by name (upstream orgTypeConfig: school 2, board 5). */
export const ORG_TYPES: Readonly<Record<string, number>> = { school: 2, board: 5 };
/** Location types, top first (upstream sunbird_valid_location_types). */
export const LOCATION_TYPES = ['state', 'district', 'block', 'cluster', 'school'] as const;

/** A role held by a user, scoped to organisations. */
export interface RoleGrant {
  role: string;
  scope: { organisationId: string }[];
  createdBy?: string | null;
  createdDate?: string | null;
  updatedBy?: string | null;
  updatedDate?: string | null;
}

/** A user as the service handles it (email and phone in clear). */
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
  profileUserTypes: { type: string; subType: string | null }[];
  profileLocation: { id: string; type: string }[];
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

/** An organisation. */
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
  orgLocation: { id: string; type: string }[];
  isSSOEnabled: boolean;
  license: string | null;
  createdBy: string | null;
  createdDate: string;
  updatedBy: string | null;
  updatedDate: string | null;
}

/** A location. */
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

type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const json = <T>(v: unknown, fallback: T): T => {
  if (typeof v !== 'string' || v === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
};

/** Cassandra `user` row of a record, sealing email and phone. */
export function userToRow(u: UserRecord, cipher: PiiCipher): Row {
  return {
    id: u.id,
    userid: u.id,
    firstname: u.firstName,
    lastname: u.lastName,
    username: u.userName,
    email: u.email === null ? null : cipher.encrypt(u.email),
    maskedemail: u.email === null ? null : maskEmail(u.email),
    emailverified: u.emailVerified,
    phone: u.phone === null ? null : cipher.encrypt(u.phone),
    maskedphone: u.phone === null ? null : maskPhone(u.phone),
    phoneverified: u.phoneVerified,
    countrycode: u.countryCode,
    recoveryemail: u.recoveryEmail === null ? null : cipher.encrypt(u.recoveryEmail),
    recoveryphone: u.recoveryPhone === null ? null : cipher.encrypt(u.recoveryPhone),
    dob: u.dob,
    gender: u.gender,
    language: u.language,
    subject: u.subject,
    channel: u.channel,
    rootorgid: u.rootOrgId,
    status: u.status,
    isdeleted: u.isDeleted,
    roles: u.roles,
    usertype: u.userType,
    usersubtype: u.userSubType,
    profileusertypes: JSON.stringify(u.profileUserTypes),
    profilelocation: JSON.stringify(u.profileLocation),
    profiledetails: u.profileDetails === null ? null : JSON.stringify(u.profileDetails),
    locationids: u.locationIds,
    framework: u.framework,
    managedby: u.managedBy,
    flagsvalue: u.flagsValue,
    tncacceptedon: u.tncAcceptedOn,
    tncacceptedversion: u.tncAcceptedVersion,
    createdby: u.createdBy,
    createddate: u.createdDate,
    updatedby: u.updatedBy,
    updateddate: u.updatedDate,
  };
}

/** Record of a Cassandra `user` row, unsealing email and phone (unreadable values become null). */
export function rowToUser(r: Row, cipher: PiiCipher): UserRecord {
  const open = (v: unknown): string | null => {
    if (typeof v !== 'string' || v === '') return null;
    try {
      return cipher.decrypt(v);
    } catch {
      return null;
    }
  };
  const framework: Record<string, string[]> = {};
  if (r.framework && typeof r.framework === 'object') {
    for (const [k, v] of Object.entries(r.framework as Record<string, unknown>)) framework[k] = list(v);
  }
  return {
    id: String(r.id),
    firstName: str(r.firstname) ?? '',
    lastName: str(r.lastname),
    userName: str(r.username),
    email: open(r.email),
    phone: open(r.phone),
    emailVerified: r.emailverified === true,
    phoneVerified: r.phoneverified === true,
    countryCode: str(r.countrycode),
    recoveryEmail: open(r.recoveryemail),
    recoveryPhone: open(r.recoveryphone),
    dob: str(r.dob),
    gender: str(r.gender),
    language: list(r.language),
    subject: list(r.subject),
    channel: str(r.channel),
    rootOrgId: str(r.rootorgid),
    status: typeof r.status === 'number' ? r.status : USER_STATUS.ACTIVE,
    isDeleted: r.isdeleted === true,
    roles: list(r.roles),
    userType: str(r.usertype),
    userSubType: str(r.usersubtype),
    profileUserTypes: json(r.profileusertypes, []),
    profileLocation: json(r.profilelocation, []),
    profileDetails: json(r.profiledetails, null),
    locationIds: list(r.locationids),
    framework,
    managedBy: str(r.managedby),
    flagsValue: typeof r.flagsvalue === 'number' ? r.flagsvalue : 0,
    tncAcceptedOn: r.tncacceptedon instanceof Date ? r.tncacceptedon : null,
    tncAcceptedVersion: str(r.tncacceptedversion),
    createdBy: str(r.createdby),
    createdDate: str(r.createddate) ?? '',
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}

/** The user as API responses show it: personal data masked, never sealed values. */
export function userView(
  u: UserRecord,
  extra: { organisations?: MembershipRecord[]; roles?: RoleGrant[]; rootOrg?: Record<string, unknown> | null } = {},
): Record<string, unknown> {
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
    roles: extra.roles ?? u.roles.map((role) => ({ role, scope: [] })),
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
    organisations: (extra.organisations ?? []).map(membershipView),
    rootOrg: extra.rootOrg ?? null,
    createdBy: u.createdBy,
    createdDate: u.createdDate,
    updatedBy: u.updatedBy,
    updatedDate: u.updatedDate,
  };
}

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

/** Search document of a user: masked values plus lookup hashes, never clear or sealed email/phone. */
export function userDocument(u: UserRecord, memberships: MembershipRecord[], grants: RoleGrant[]): Record<string, unknown> {
  const view = userView(u, { organisations: memberships, roles: grants });
  delete view.rootOrg;
  return {
    ...view,
    emailHash: u.email === null ? null : lookupKey('email', u.email),
    phoneHash: u.phone === null ? null : lookupKey('phone', u.phone),
  };
}

/** Cassandra `organisation` row. */
export function orgToRow(o: OrgRecord): Row {
  return {
    id: o.id,
    orgname: o.orgName,
    description: o.description,
    channel: o.channel,
    slug: o.slug,
    istenant: o.isTenant,
    isrootorg: o.isTenant,
    rootorgid: o.rootOrgId,
    organisationtype: o.organisationType,
    organisationsubtype: o.organisationSubType,
    status: o.status,
    email: o.email,
    externalid: o.externalId,
    provider: o.provider,
    orgcode: o.orgCode,
    homeurl: o.homeUrl,
    imgurl: o.imgUrl,
    preferredlanguage: o.preferredLanguage,
    locationids: o.locationIds,
    orglocation: JSON.stringify(o.orgLocation),
    issssoenabled: o.isSSOEnabled,
    license: o.license,
    createdby: o.createdBy,
    createddate: o.createdDate,
    updatedby: o.updatedBy,
    updateddate: o.updatedDate,
  };
}

/** Record of an `organisation` row. */
export function rowToOrg(r: Row): OrgRecord {
  return {
    id: String(r.id),
    orgName: str(r.orgname) ?? '',
    description: str(r.description),
    channel: str(r.channel),
    slug: str(r.slug),
    isTenant: r.istenant === true,
    rootOrgId: str(r.rootorgid) ?? String(r.id),
    organisationType: typeof r.organisationtype === 'number' ? r.organisationtype : null,
    organisationSubType: str(r.organisationsubtype),
    status: typeof r.status === 'number' ? r.status : ORG_STATUS.ACTIVE,
    email: str(r.email),
    externalId: str(r.externalid),
    provider: str(r.provider),
    orgCode: str(r.orgcode),
    homeUrl: str(r.homeurl),
    imgUrl: str(r.imgurl),
    preferredLanguage: str(r.preferredlanguage),
    locationIds: list(r.locationids),
    orgLocation: json(r.orglocation, []),
    isSSOEnabled: r.issssoenabled === true,
    license: str(r.license),
    createdBy: str(r.createdby),
    createdDate: str(r.createddate) ?? '',
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}

/** The organisation as API responses and the search index show it. */
export function orgView(o: OrgRecord): Record<string, unknown> {
  return {
    id: o.id,
    identifier: o.id,
    hashTagId: o.id,
    orgName: o.orgName,
    description: o.description,
    channel: o.channel,
    slug: o.slug,
    isTenant: o.isTenant,
    isRootOrg: o.isTenant,
    rootOrgId: o.rootOrgId,
    organisationType: o.organisationType,
    organisationSubType: o.organisationSubType,
    isSchool: o.organisationType === ORG_TYPES.school,
    isBoard: o.organisationType === ORG_TYPES.board,
    status: o.status,
    email: o.email,
    externalId: o.externalId,
    provider: o.provider,
    orgCode: o.orgCode,
    homeUrl: o.homeUrl,
    imgUrl: o.imgUrl,
    preferredLanguage: o.preferredLanguage,
    locationIds: o.locationIds,
    orgLocation: o.orgLocation,
    isSSOEnabled: o.isSSOEnabled,
    license: o.license,
    keys: {},
    createdBy: o.createdBy,
    createdDate: o.createdDate,
    updatedBy: o.updatedBy,
    updatedDate: o.updatedDate,
  };
}

/** Record of a `location` row. */
export function rowToLocation(r: Row): LocationRecord {
  return {
    id: String(r.id),
    code: str(r.code) ?? '',
    name: str(r.name) ?? '',
    type: str(r.type) ?? '',
    parentId: str(r.parentid),
    createdBy: str(r.createdby),
    createdDate: str(r.createddate),
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}

/** The location as API responses and the search index show it. */
export function locationView(l: LocationRecord): Record<string, unknown> {
  const view: Record<string, unknown> = { id: l.id, identifier: l.id, code: l.code, name: l.name, type: l.type };
  if (l.parentId) view.parentId = l.parentId;
  return view;
}

/** Record of a `user_organisation` row. */
export function rowToMembership(r: Row): MembershipRecord {
  return {
    userId: String(r.userid),
    organisationId: String(r.organisationid),
    roles: list(r.roles),
    associationType: typeof r.associationtype === 'number' ? r.associationtype : 1,
    isDeleted: r.isdeleted === true,
    orgJoinDate: str(r.orgjoindate),
    addedBy: str(r.addedby),
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}

/** Record of a `user_roles` row. */
export function rowToGrant(r: Row): RoleGrant {
  return {
    role: String(r.role),
    scope: json(r.scope, []),
    createdBy: str(r.createdby),
    createdDate: str(r.createddate),
    updatedBy: str(r.updatedby),
    updatedDate: str(r.updateddate),
  };
}
