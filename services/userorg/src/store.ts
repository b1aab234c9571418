/**
 * Every Cassandra query of the service (keyspace `sunbird`). Returns records or null; uniqueness is
 * claimed with lightweight transactions (INSERT ... IF NOT EXISTS) on the lookup tables.
 */
import cassandra from 'cassandra-driver';
import type { CassandraConnector } from '@lern/kit';
import {
  orgToRow,
  rowToGrant,
  rowToLocation,
  rowToMembership,
  rowToOrg,
  rowToUser,
  userToRow,
  type LocationRecord,
  type MembershipRecord,
  type OrgRecord,
  type RoleGrant,
  type UserRecord,
} from './model.ts';
import type { PiiCipher } from './pii.ts';

const KS = 'sunbird';

/** Lightweight transactions stay within the local data centre. */
const LWT = { serialConsistency: cassandra.types.consistencies.localSerial };

type Row = Record<string, unknown>;

function insertCql(table: string, row: Row): { query: string; params: unknown[] } {
  const cols = Object.keys(row);
  return {
    query: `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    params: cols.map((c) => row[c] ?? null),
  };
}

/** A row as a plain object (by the result's column list: a column may be named like a Row method). */
const plain = (r: cassandra.types.Row, columns: { name: string }[]): Row => {
  const out: Row = {};
  for (const c of columns) out[c.name] = r.get(c.name);
  return out;
};

/** Cassandra access for users, organisations, locations, roles, settings and preferences. */
export class UserOrgStore {
  readonly db: CassandraConnector;
  readonly cipher: PiiCipher;
  private readonly t: (name: string) => string;

  constructor(db: CassandraConnector, cipher: PiiCipher) {
    this.db = db;
    this.cipher = cipher;
    this.t = (name) => db.table(KS, name);
  }

  private async rows(cql: string, params: unknown[]): Promise<Row[]> {
    const rs = await this.db.execute(cql, params);
    return rs.rows.map((r) => plain(r, rs.columns));
  }

  private async one(cql: string, params: unknown[]): Promise<Row | null> {
    const rs = await this.db.execute(cql, params);
    const r = rs.first();
    return r ? plain(r, rs.columns) : null;
  }

  // ---- users

  async getUser(id: string): Promise<UserRecord | null> {
    const r = await this.one(`SELECT * FROM ${this.t('user')} WHERE id = ?`, [id]);
    return r ? rowToUser(r, this.cipher) : null;
  }

  async putUser(u: UserRecord): Promise<void> {
    const { query, params } = insertCql(this.t('user'), userToRow(u, this.cipher));
    await this.db.execute(query, params);
  }

  /** Claims a unique identifier for a user; false when another user holds it. */
  async claimLookup(type: string, key: string, userId: string): Promise<boolean> {
    const rs = await this.db.execute(
      `INSERT INTO ${this.t('user_lookup')} (type, value, userid) VALUES (?, ?, ?) IF NOT EXISTS`,
      [type, key, userId],
      LWT,
    );
    const row = rs.first();
    if (row.get('[applied]') === true) return true;
    return row.get('userid') === userId;
  }

  /** Frees an identifier held by the user (no-op when someone else holds it). */
  async releaseLookup(type: string, key: string, userId: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.t('user_lookup')} WHERE type = ? AND value = ? IF userid = ?`, [type, key, userId], LWT);
  }

  async findLookup(type: string, key: string): Promise<string | null> {
    const r = await this.one(`SELECT userid FROM ${this.t('user_lookup')} WHERE type = ? AND value = ?`, [type, key]);
    return r ? (r.userid as string) : null;
  }

  async putExternalIdentity(userId: string, e: { id: string; idType: string; provider: string }, by: string | null): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.t('usr_external_identity')} (provider, idtype, externalid, userid, originalexternalid, originalidtype, originalprovider, createdby, createdon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.provider.toLowerCase(), e.idType.toLowerCase(), e.id.toLowerCase(), userId, e.id, e.idType, e.provider, by, new Date()],
    );
  }

  async getMemberships(userId: string): Promise<MembershipRecord[]> {
    return (await this.rows(`SELECT * FROM ${this.t('user_organisation')} WHERE userid = ?`, [userId])).map(rowToMembership);
  }

  async putMembership(m: MembershipRecord): Promise<void> {
    const { query, params } = insertCql(this.t('user_organisation'), {
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
    await this.db.execute(query, params);
  }

  async getGrants(userId: string): Promise<RoleGrant[]> {
    return (await this.rows(`SELECT * FROM ${this.t('user_roles')} WHERE userid = ?`, [userId])).map(rowToGrant);
  }

  async putGrant(userId: string, g: RoleGrant): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.t('user_roles')} (userid, role, scope, createdby, createddate, updatedby, updateddate) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [userId, g.role, JSON.stringify(g.scope), g.createdBy ?? null, g.createdDate ?? null, g.updatedBy ?? null, g.updatedDate ?? null],
    );
  }

  async deleteGrant(userId: string, role: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.t('user_roles')} WHERE userid = ? AND role = ?`, [userId, role]);
  }

  /** Streams every user id (for re-indexing). */
  async *allUserIds(): AsyncGenerator<string> {
    let pageState: string | undefined;
    do {
      const rs = await this.db.execute(`SELECT id FROM ${this.t('user')}`, [], { fetchSize: 500, pageState, prepare: true });
      for (const r of rs.rows) yield r.get('id') as string;
      pageState = rs.pageState ?? undefined;
    } while (pageState);
  }

  // ---- roles

  async listRoles(): Promise<{ id: string; name: string; status: number; roleGroupId: string[] }[]> {
    return (await this.rows(`SELECT * FROM ${this.t('role')}`, [])).map((r) => ({
      id: String(r.id),
      name: String(r.name ?? r.id),
      status: typeof r.status === 'number' ? r.status : 1,
      roleGroupId: Array.isArray(r.rolegroupid) ? (r.rolegroupid as string[]) : [],
    }));
  }

  // ---- organisations

  async getOrg(id: string): Promise<OrgRecord | null> {
    const r = await this.one(`SELECT * FROM ${this.t('organisation')} WHERE id = ?`, [id]);
    return r ? rowToOrg(r) : null;
  }

  async putOrg(o: OrgRecord): Promise<void> {
    const { query, params } = insertCql(this.t('organisation'), orgToRow(o));
    await this.db.execute(query, params);
  }

  /** Claims a unique organisation key (channel, externalid); false when taken. */
  async claimOrgKey(type: string, value: string, orgId: string): Promise<boolean> {
    const rs = await this.db.execute(
      `INSERT INTO ${this.t('org_lookup')} (type, value, orgid) VALUES (?, ?, ?) IF NOT EXISTS`,
      [type, value.toLowerCase(), orgId],
      LWT,
    );
    const row = rs.first();
    return row.get('[applied]') === true || row.get('orgid') === orgId;
  }

  async findOrgByKey(type: string, value: string): Promise<string | null> {
    const r = await this.one(`SELECT orgid FROM ${this.t('org_lookup')} WHERE type = ? AND value = ?`, [type, value.toLowerCase()]);
    return r ? (r.orgid as string) : null;
  }

  async *allOrgIds(): AsyncGenerator<string> {
    let pageState: string | undefined;
    do {
      const rs = await this.db.execute(`SELECT id FROM ${this.t('organisation')}`, [], { fetchSize: 500, pageState, prepare: true });
      for (const r of rs.rows) yield r.get('id') as string;
      pageState = rs.pageState ?? undefined;
    } while (pageState);
  }

  // ---- locations

  async getLocation(id: string): Promise<LocationRecord | null> {
    const r = await this.one(`SELECT * FROM ${this.t('location')} WHERE id = ?`, [id]);
    return r ? rowToLocation(r) : null;
  }

  async putLocation(l: LocationRecord): Promise<void> {
    const { query, params } = insertCql(this.t('location'), {
      id: l.id,
      code: l.code,
      name: l.name,
      type: l.type,
      parentid: l.parentId,
      createdby: l.createdBy ?? null,
      createddate: l.createdDate ?? null,
      updatedby: l.updatedBy ?? null,
      updateddate: l.updatedDate ?? null,
    });
    await this.db.execute(query, params);
  }

  async claimLocationCode(code: string, id: string): Promise<boolean> {
    const rs = await this.db.execute(`INSERT INTO ${this.t('location_code')} (code, id) VALUES (?, ?) IF NOT EXISTS`, [code.toLowerCase(), id], LWT);
    const row = rs.first();
    return row.get('[applied]') === true || row.get('id') === id;
  }

  async releaseLocationCode(code: string, id: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.t('location_code')} WHERE code = ? IF id = ?`, [code.toLowerCase(), id], LWT);
  }

  async findLocationByCode(code: string): Promise<string | null> {
    const r = await this.one(`SELECT id FROM ${this.t('location_code')} WHERE code = ?`, [code.toLowerCase()]);
    return r ? (r.id as string) : null;
  }

  async addChild(parentId: string, id: string): Promise<void> {
    await this.db.execute(`INSERT INTO ${this.t('location_children')} (parentid, id) VALUES (?, ?)`, [parentId, id]);
  }

  async removeChild(parentId: string, id: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.t('location_children')} WHERE parentid = ? AND id = ?`, [parentId, id]);
  }

  async hasChildren(parentId: string): Promise<boolean> {
    return (await this.one(`SELECT id FROM ${this.t('location_children')} WHERE parentid = ? LIMIT 1`, [parentId])) !== null;
  }

  async deleteLocation(id: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.t('location')} WHERE id = ?`, [id]);
  }

  async *allLocationIds(): AsyncGenerator<string> {
    let pageState: string | undefined;
    do {
      const rs = await this.db.execute(`SELECT id FROM ${this.t('location')}`, [], { fetchSize: 500, pageState, prepare: true });
      for (const r of rs.rows) yield r.get('id') as string;
      pageState = rs.pageState ?? undefined;
    } while (pageState);
  }

  // ---- settings and preferences

  async getSetting(id: string): Promise<{ id: string; field: string; value: string } | null> {
    const r = await this.one(`SELECT * FROM ${this.t('system_settings')} WHERE id = ?`, [id]);
    return r ? { id: String(r.id), field: String(r.field ?? r.id), value: typeof r.value === 'string' ? r.value : '' } : null;
  }

  async listSettings(): Promise<{ id: string; field: string; value: string }[]> {
    return (await this.rows(`SELECT * FROM ${this.t('system_settings')}`, [])).map((r) => ({
      id: String(r.id),
      field: String(r.field ?? r.id),
      value: typeof r.value === 'string' ? r.value : '',
    }));
  }

  async putSetting(s: { id: string; field: string; value: string }): Promise<void> {
    await this.db.execute(`INSERT INTO ${this.t('system_settings')} (id, field, value) VALUES (?, ?, ?)`, [s.id, s.field, s.value]);
  }

  async getPreference(orgId: string, key: string): Promise<Row | null> {
    return this.one(`SELECT * FROM ${this.t('tenant_preference_v2')} WHERE orgid = ? AND key = ?`, [orgId, key]);
  }

  /** Inserts a preference only when absent; false when it exists. */
  async createPreference(orgId: string, key: string, data: string, by: string | null): Promise<boolean> {
    const rs = await this.db.execute(
      `INSERT INTO ${this.t('tenant_preference_v2')} (orgid, key, data, createdby, createdon) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS`,
      [orgId, key, data, by, new Date()],
      LWT,
    );
    return rs.first().get('[applied]') === true;
  }

  async updatePreference(orgId: string, key: string, data: string, by: string | null): Promise<void> {
    await this.db.execute(
      `UPDATE ${this.t('tenant_preference_v2')} SET data = ?, updatedby = ?, updatedon = ? WHERE orgid = ? AND key = ?`,
      [data, by, new Date(), orgId, key],
    );
  }
}
