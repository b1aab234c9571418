/**
 * CQL of user consent: the `user_consent` table (one row per user, consumer organisation and
 * object), plus the organisation and system-setting reads the consent rules need.
 */
import type { CassandraConnector, TargetScope } from '@lern/kit';

/** A stored consent. */
export interface ConsentRecord {
  id: string;
  userId: string;
  consumerId: string;
  objectId: string;
  consumerType: string | null;
  objectType: string | null;
  status: string;
  categories: string[] | null;
  expiry: Date | null;
  createdOn: Date | null;
  lastUpdatedOn: Date | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const date = (v: unknown): Date | null => (v instanceof Date ? v : null);

/** Reads and writes `sunbird.user_consent`. */
export class ConsentStore {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  private t(table: string): string {
    return this.db.table('sunbird', table);
  }

  /** The consent of a user for one consumer and object; null when none was given. */
  async get(userId: string, consumerId: string, objectId: string): Promise<ConsentRecord | null> {
    const rs = await this.db.execute(`SELECT * FROM ${this.t('user_consent')} WHERE user_id = ? AND consumer_id = ? AND object_id = ?`, [userId, consumerId, objectId]);
    const r = rs.first();
    if (!r) return null;
    return {
      id: str(r.id) ?? '',
      userId: String(r.user_id),
      consumerId: String(r.consumer_id),
      objectId: String(r.object_id),
      consumerType: str(r.consumer_type),
      objectType: str(r.object_type),
      status: str(r.status) ?? '',
      categories: Array.isArray(r.categories) ? (r.categories as string[]) : null,
      expiry: date(r.expiry),
      createdOn: date(r.created_on),
      lastUpdatedOn: date(r.last_updated_on),
    };
  }

  /** Inserts or replaces a consent (created_on is kept when the row exists). */
  async put(c: Omit<ConsentRecord, 'categories'>): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.t('user_consent')} (user_id, consumer_id, object_id, id, consumer_type, object_type, status, expiry, created_on, last_updated_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [c.userId, c.consumerId, c.objectId, c.id, c.consumerType, c.objectType, c.status, c.expiry, c.createdOn, c.lastUpdatedOn],
    );
  }

  /** The organisation's scope (itself and its root), or null when it does not exist. */
  async orgScope(orgId: string): Promise<TargetScope | null> {
    const r = (await this.db.execute(`SELECT id, rootorgid FROM ${this.t('organisation')} WHERE id = ?`, [orgId])).first();
    if (!r) return null;
    return { orgIds: [orgId], rootOrgId: str(r.rootorgid) };
  }

  /** A system setting's value (`system_settings.value`), or null. */
  async setting(id: string): Promise<string | null> {
    const r = (await this.db.execute(`SELECT value FROM ${this.t('system_settings')} WHERE id = ?`, [id])).first();
    return r ? str(r.value) : null;
  }
}
