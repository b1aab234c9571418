/**
 * The job's only CQL: reads of the user, their external identities and memberships, and the writes
 * of a {@link CleanupPlan}, in User-Org's `sunbird` keyspace. Lookup and identity rows are removed
 * only while they still name this user (lightweight transactions), so a value someone else has
 * claimed since is never taken from them.
 */
import cassandra from 'cassandra-driver';
import { sunbirdTimestamp, type CassandraConnector } from '@lern/kit';
import type { CleanupPlan, ExternalIdentityRow, MembershipRow, UserRow, UserSnapshot } from './plan.ts';
import { DELETED_STATUS } from './plan.ts';

/** The keyspace of User-Org's tables. */
const KEYSPACE = 'sunbird';
const LWT = { serialConsistency: cassandra.types.consistencies.localSerial };

/** Personal columns of `user` that a deleted user must not keep (upstream blanks the same ones). */
export const PERSONAL_COLUMNS = ['firstname', 'lastname', 'username', 'email', 'maskedemail', 'phone', 'maskedphone', 'recoveryemail', 'recoveryphone', 'dob'] as const;

/** The schema lacks what the job needs (a migration has not run): retrying will not help. */
export class SchemaNotReadyError extends Error {
  override readonly name = 'SchemaNotReadyError';
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Reads and writes of the cleanup. */
export class CleanupStore {
  private readonly db: CassandraConnector;
  private readonly t: (table: string) => string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.t = (table) => db.table(KEYSPACE, table);
  }

  async user(id: string): Promise<UserRow | null> {
    const row = (await this.db.execute(`SELECT id, rootorgid, managedby, status, isdeleted, ${PERSONAL_COLUMNS.join(', ')} FROM ${this.t('user')} WHERE id = ?`, [id])).first();
    if (!row) return null;
    return {
      id: String(row.get('id')),
      rootOrgId: text(row.get('rootorgid')),
      managedBy: text(row.get('managedby')),
      email: text(row.get('email')),
      phone: text(row.get('phone')),
      userName: text(row.get('username')),
      status: typeof row.get('status') === 'number' ? (row.get('status') as number) : null,
      isDeleted: row.get('isdeleted') === true,
      holdsPersonalData: PERSONAL_COLUMNS.some((c) => row.get(c) !== null && row.get(c) !== undefined),
    };
  }

  /** The user's external identities, through the index on `usr_external_identity.userid`. */
  async externalIdentities(userId: string): Promise<ExternalIdentityRow[]> {
    try {
      const rs = await this.db.execute(`SELECT provider, idtype, externalid FROM ${this.t('usr_external_identity')} WHERE userid = ?`, [userId]);
      return rs.rows.map((r) => ({ provider: String(r.get('provider')), idType: String(r.get('idtype')), externalId: String(r.get('externalid')) }));
    } catch (error) {
      if (error instanceof Error && error.name === 'ResponseError' && /ALLOW FILTERING/.test(error.message)) {
        throw new SchemaNotReadyError('usr_external_identity has no index on userid (User-Org migration missing)', { cause: error });
      }
      throw error;
    }
  }

  async memberships(userId: string): Promise<MembershipRow[]> {
    const rs = await this.db.execute(`SELECT organisationid, isdeleted FROM ${this.t('user_organisation')} WHERE userid = ?`, [userId]);
    return rs.rows.map((r) => ({ organisationId: String(r.get('organisationid')), isDeleted: r.get('isdeleted') === true }));
  }

  /** Everything the plan is made from. */
  async snapshot(userId: string): Promise<UserSnapshot> {
    const [user, externalIdentities, memberships] = await Promise.all([this.user(userId), this.externalIdentities(userId), this.memberships(userId)]);
    return { user, externalIdentities, memberships };
  }

  /**
   * Applies a plan: lookups and identities first, memberships, then the row (its email and phone
   * are how a replay finds the lookups, so they go last). `at` is the instruction's time, so a replay
   * writes the same dates.
   */
  async apply(plan: CleanupPlan, at: Date): Promise<void> {
    const id = plan.userId;
    await Promise.all([
      ...plan.lookups.map((l) => this.db.execute(`DELETE FROM ${this.t('user_lookup')} WHERE type = ? AND value = ? IF userid = ?`, [l.type, l.value, id], LWT)),
      ...plan.externalIdentities.map((e) =>
        this.db.execute(`DELETE FROM ${this.t('usr_external_identity')} WHERE provider = ? AND idtype = ? AND externalid = ? IF userid = ?`, [e.provider, e.idType, e.externalId, id], LWT),
      ),
    ]);
    const when = sunbirdTimestamp(at);
    await Promise.all(
      plan.leaveOrganisations.map((orgId) =>
        this.db.execute(`UPDATE ${this.t('user_organisation')} SET isdeleted = true, orgleftdate = ?, updateddate = ? WHERE userid = ? AND organisationid = ?`, [when, when, id, orgId]),
      ),
    );
    if (plan.blankUser) {
      await this.db.execute(`UPDATE ${this.t('user')} SET status = ?, isdeleted = true, updateddate = ?, ${PERSONAL_COLUMNS.map((c) => `${c} = null`).join(', ')} WHERE id = ?`, [
        DELETED_STATUS,
        when,
        id,
      ]);
    }
  }
}
