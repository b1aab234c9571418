/**
 * CQL of self-declarations: `sunbird.user_declarations` (one row per user, organisation and persona)
 * and the user and organisation reads the declaration rules need.
 */
import type { CassandraConnector } from '@lern/kit';

/** A stored declaration; `userInfo` values of declared-email/declared-phone are ciphertexts. */
export interface DeclarationRecord {
  userId: string;
  orgId: string;
  persona: string;
  userInfo: Record<string, string>;
  status: string | null;
  errorType: string | null;
  createdBy: string | null;
  createdOn: Date | null;
  updatedBy: string | null;
  updatedOn: Date | null;
}

/** What declarations read of the declaring user. */
export interface DeclaringUser {
  id: string;
  isDeleted: boolean;
  /** Ciphertexts as stored. */
  email: string | null;
  phone: string | null;
}

/** What declarations read of an organisation. */
export interface DeclaredOrg {
  id: string;
  isTenant: boolean;
  externalId: string | null;
  orgName: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const date = (v: unknown): Date | null => (v instanceof Date ? v : null);

function record(r: Record<string, unknown>): DeclarationRecord {
  return {
    userId: String(r.userid),
    orgId: String(r.orgid),
    persona: String(r.persona),
    userInfo: (r.userinfo as Record<string, string> | null) ?? {},
    status: str(r.status),
    errorType: str(r.errortype),
    createdBy: str(r.createdby),
    createdOn: date(r.createdon),
    updatedBy: str(r.updatedby),
    updatedOn: date(r.updatedon),
  };
}

/** Reads and writes `sunbird.user_declarations`. */
export class DeclarationStore {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  private t(table: string): string {
    return this.db.table('sunbird', table);
  }

  async user(userId: string): Promise<DeclaringUser | null> {
    const r = (await this.db.execute(`SELECT id, isdeleted, status, email, phone FROM ${this.t('user')} WHERE id = ?`, [userId])).first();
    if (!r) return null;
    return { id: String(r.id), isDeleted: r.isdeleted === true || r.status === 2, email: str(r.email), phone: str(r.phone) };
  }

  async org(orgId: string): Promise<DeclaredOrg | null> {
    const r = (await this.db.execute(`SELECT id, istenant, isrootorg, externalid, orgname FROM ${this.t('organisation')} WHERE id = ?`, [orgId])).first();
    if (!r) return null;
    return { id: String(r.id), isTenant: r.istenant === true || r.isrootorg === true, externalId: str(r.externalid), orgName: str(r.orgname) };
  }

  /** Organisations the user belongs to (not left). */
  async userOrgIds(userId: string): Promise<string[]> {
    const rs = await this.db.execute(`SELECT organisationid, isdeleted FROM ${this.t('user_organisation')} WHERE userid = ?`, [userId]);
    return rs.rows.filter((r) => r.isdeleted !== true).map((r) => String(r.organisationid));
  }

  async setting(id: string): Promise<string | null> {
    const r = (await this.db.execute(`SELECT value FROM ${this.t('system_settings')} WHERE id = ?`, [id])).first();
    return r ? str(r.value) : null;
  }

  /** Every declaration of the user. */
  async list(userId: string): Promise<DeclarationRecord[]> {
    const rs = await this.db.execute(`SELECT * FROM ${this.t('user_declarations')} WHERE userid = ?`, [userId]);
    return rs.rows.map((r) => record(r as unknown as Record<string, unknown>));
  }

  /** Writes a whole declaration (replacing one with the same key). */
  async insert(d: DeclarationRecord): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.t('user_declarations')} (userid, orgid, persona, userinfo, status, errortype, createdby, createdon, updatedby, updatedon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.userId, d.orgId, d.persona, d.userInfo, d.status, d.errorType, d.createdBy, d.createdOn, d.updatedBy, d.updatedOn],
    );
  }

  /** Updates a declaration's state (userinfo only when given), creating it when absent, as upstream's upsert. */
  async update(d: Pick<DeclarationRecord, 'userId' | 'orgId' | 'persona' | 'status' | 'errorType' | 'updatedBy' | 'updatedOn'> & { userInfo?: Record<string, string> }): Promise<void> {
    const sets = ['status = ?', 'errortype = ?', 'updatedby = ?', 'updatedon = ?'];
    const params: unknown[] = [d.status, d.errorType, d.updatedBy, d.updatedOn];
    if (d.userInfo !== undefined) {
      sets.push('userinfo = ?');
      params.push(d.userInfo);
    }
    await this.db.execute(`UPDATE ${this.t('user_declarations')} SET ${sets.join(', ')} WHERE userid = ? AND orgid = ? AND persona = ?`, [...params, d.userId, d.orgId, d.persona]);
  }

  async remove(userId: string, orgId: string, persona: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.t('user_declarations')} WHERE userid = ? AND orgid = ? AND persona = ?`, [userId, orgId, persona]);
  }
}
