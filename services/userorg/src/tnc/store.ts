/**
 * CQL of terms acceptance: the acceptance columns of `sunbird.user` (tncacceptedversion/on for the
 * default terms, the alltncaccepted map for the others), the roles that some terms require, and the
 * system setting that names each terms type's latest version.
 */
import type { CassandraConnector, TargetScope } from '@lern/kit';
import { scopeOrgIds } from '@lern/kit';

/** What terms acceptance reads of a user. */
export interface TncUser {
  id: string;
  managedBy: string | null;
  isDeleted: boolean;
  rootOrgId: string | null;
  tncAcceptedVersion: string | null;
  tncAcceptedOn: Date | null;
  /** Terms type -> `{"version","tncAcceptedOn"}` JSON. */
  allTncAccepted: Record<string, string>;
}

/** Who changed the row and when (`updatedby`, `updateddate` in Sunbird's text format). */
export interface Audit {
  by: string;
  date: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Reads and writes the terms columns of `sunbird.user`. */
export class TncStore {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  private t(table: string): string {
    return this.db.table('sunbird', table);
  }

  async user(userId: string): Promise<TncUser | null> {
    const r = (
      await this.db.execute(
        `SELECT id, managedby, isdeleted, status, rootorgid, tncacceptedversion, tncacceptedon, alltncaccepted FROM ${this.t('user')} WHERE id = ?`,
        [userId],
      )
    ).first();
    if (!r) return null;
    const all = r.alltncaccepted as Record<string, string> | null;
    return {
      id: String(r.id),
      managedBy: str(r.managedby),
      isDeleted: r.isdeleted === true || r.status === 2,
      rootOrgId: str(r.rootorgid),
      tncAcceptedVersion: str(r.tncacceptedversion),
      tncAcceptedOn: r.tncacceptedon instanceof Date ? r.tncacceptedon : null,
      allTncAccepted: all ?? {},
    };
  }

  /** Who manages the user (for the selfOrManaged policy); null when the user does not exist. */
  async scope(userId: string): Promise<TargetScope | null> {
    const u = await this.user(userId);
    return u ? { orgIds: u.rootOrgId ? [u.rootOrgId] : [], rootOrgId: u.rootOrgId, managedBy: u.managedBy } : null;
  }

  /** Organisations in which the user holds `role`. */
  async roleOrgs(userId: string, role: string): Promise<string[]> {
    const r = (await this.db.execute(`SELECT scope FROM ${this.t('user_roles')} WHERE userid = ? AND role = ?`, [userId, role])).first();
    return r ? scopeOrgIds(r.scope) : [];
  }

  async setting(id: string): Promise<string | null> {
    const r = (await this.db.execute(`SELECT value FROM ${this.t('system_settings')} WHERE id = ?`, [id])).first();
    return r ? str(r.value) : null;
  }

  /** Records acceptance of the default terms (tncConfig). */
  async acceptDefault(userId: string, version: string, on: Date, audit: Audit): Promise<void> {
    await this.db.execute(`UPDATE ${this.t('user')} SET tncacceptedversion = ?, tncacceptedon = ?, updatedby = ?, updateddate = ? WHERE id = ?`, [version, on, audit.by, audit.date, userId]);
  }

  /** Records acceptance of another terms type: one entry of the alltncaccepted map. */
  async acceptOther(userId: string, tncType: string, acceptanceJson: string, audit: Audit): Promise<void> {
    await this.db.execute(`UPDATE ${this.t('user')} SET alltncaccepted[?] = ?, updatedby = ?, updateddate = ? WHERE id = ?`, [tncType, acceptanceJson, audit.by, audit.date, userId]);
  }
}
