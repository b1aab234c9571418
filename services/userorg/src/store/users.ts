/**
 * The `user`, `user_organisation` and `usr_external_identity` tables. Email, phone and recovery
 * contacts are sealed with the PII cipher in the row and opened when read (an unreadable value
 * becomes null); the masked copies are kept for display.
 */
import type { TargetScope } from '@lern/kit';
import { maskEmail, maskPhone, type PiiCipher } from '../pii.ts';
import { USER_STATUS, type MembershipRecord, type UserRecord } from '../records.ts';
import { json, list, RecordTable, str, type Cql, type Row } from './cql.ts';

/** Cassandra `user` row of a record, sealing email and phone. */
export function userToRow(u: UserRecord, cipher: PiiCipher): Row {
  const seal = (v: string | null) => (v === null ? null : cipher.encrypt(v));
  return {
    id: u.id,
    userid: u.id,
    firstname: u.firstName,
    lastname: u.lastName,
    username: u.userName,
    email: seal(u.email),
    maskedemail: u.email === null ? null : maskEmail(u.email),
    emailverified: u.emailVerified,
    phone: seal(u.phone),
    maskedphone: u.phone === null ? null : maskPhone(u.phone),
    phoneverified: u.phoneVerified,
    countrycode: u.countryCode,
    recoveryemail: seal(u.recoveryEmail),
    recoveryphone: seal(u.recoveryPhone),
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

/** Record of a Cassandra `user` row, opening email and phone. */
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

/** An external identity of a user (provider + idType + id). */
export interface ExternalIdentity {
  id: string;
  idType: string;
  provider: string;
}

/** Users (email and phone sealed with the cipher), their memberships and external identities. */
export class UserTables extends RecordTable<UserRecord> {
  constructor(cql: Cql, cipher: PiiCipher) {
    super(cql, 'user', (u) => userToRow(u, cipher), (r) => rowToUser(r, cipher));
  }

  async memberships(userId: string): Promise<MembershipRecord[]> {
    return (await this.cql.rows(`SELECT * FROM ${this.cql.table('user_organisation')} WHERE userid = ?`, [userId])).map(rowToMembership);
  }

  async putMembership(m: MembershipRecord): Promise<void> {
    await this.cql.insert('user_organisation', {
      userid: m.userId,
      organisationid: m.organisationId,
      roles: m.roles,
      associationtype: m.associationType,
      isdeleted: m.isDeleted,
      orgjoindate: m.orgJoinDate,
      addedby: m.addedBy,
      updatedby: m.updatedBy,
      updateddate: m.updatedDate,
    });
  }

  async putExternalIdentity(userId: string, e: ExternalIdentity, by: string | null): Promise<void> {
    await this.cql.insert('usr_external_identity', {
      provider: e.provider.toLowerCase(),
      idtype: e.idType.toLowerCase(),
      externalid: e.id.toLowerCase(),
      userid: userId,
      originalexternalid: e.id,
      originalidtype: e.idType,
      originalprovider: e.provider,
      createdby: by,
      createdon: new Date(),
    });
  }

  /**
   * Where a user lives, for authorisation: the organisations of their memberships and their root
   * organisation, and who manages them. Null when no such user exists.
   */
  async scope(userId: string): Promise<TargetScope | null> {
    const [user, memberships] = await Promise.all([
      this.cql.one(`SELECT rootorgid, managedby FROM ${this.cql.table('user')} WHERE id = ?`, [userId]),
      this.cql.rows(`SELECT organisationid, isdeleted FROM ${this.cql.table('user_organisation')} WHERE userid = ?`, [userId]),
    ]);
    if (!user) return null;
    return {
      orgIds: memberships.filter((m) => m.isdeleted !== true).map((m) => String(m.organisationid)),
      rootOrgId: str(user.rootorgid),
      managedBy: str(user.managedby),
    };
  }
}
