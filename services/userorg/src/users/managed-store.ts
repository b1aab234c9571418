/**
 * CQL of the managed-user reads: a user's managed (child) users through the storage-attached index
 * on `user.managedby`, and a user's organisations for the policy.
 */
import type { CassandraConnector, TargetScope } from '@lern/kit';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Reads for the managed-user and login-id routes. */
export class ManagedUserStore {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  private t(table: string): string {
    return this.db.table('sunbird', table);
  }

  /** Ids of the users managed by `managedBy` that are not deleted. */
  async managedUserIds(managedBy: string): Promise<string[]> {
    const rs = await this.db.execute(`SELECT id, isdeleted, status FROM ${this.t('user')} WHERE managedby = ?`, [managedBy]);
    return rs.rows.filter((r) => r.isdeleted !== true && r.status !== 2).map((r) => String(r.id));
  }

  /** A user's organisations, root organisation and manager; null when the user does not exist. */
  async userScope(userId: string): Promise<TargetScope | null> {
    const [user, orgs] = await Promise.all([
      this.db.execute(`SELECT rootorgid, managedby FROM ${this.t('user')} WHERE id = ?`, [userId]),
      this.db.execute(`SELECT organisationid, isdeleted FROM ${this.t('user_organisation')} WHERE userid = ?`, [userId]),
    ]);
    const r = user.first();
    if (!r) return null;
    const orgIds = orgs.rows.filter((o) => o.isdeleted !== true).map((o) => String(o.organisationid));
    return { orgIds, rootOrgId: str(r.rootorgid), managedBy: str(r.managedby) };
  }
}
