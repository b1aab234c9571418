/** The only CQL of the feed: `sunbird_notifications.notification_feed`, one partition per user. */
import type { CassandraConnector } from '@lern/kit';

/** The keyspace of every Notification table. */
export const KEYSPACE = 'sunbird_notifications';

/** A feed row as stored. */
export interface FeedRow {
  userId: string;
  id: string;
  /** JSON text of the v2 action, or of a v1 entry's data. */
  action: string | null;
  category: string | null;
  priority: number | null;
  status: string;
  version: string | null;
  expireOn: Date | null;
  createdBy: string | null;
  createdOn: Date | null;
  updatedBy: string | null;
  updatedOn: Date | null;
}

/** A batchable statement (for the outbox or a logged batch). */
export interface Statement {
  query: string;
  params: unknown[];
}

export class FeedStore {
  private readonly table: string;

  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.table = db.table(KEYSPACE, 'notification_feed');
  }

  /** Every entry of a user (a user's feed is bounded by the feed limit). */
  async list(userId: string): Promise<FeedRow[]> {
    const rs = await this.db.execute(
      `SELECT userid, id, action, category, priority, status, version, expireon, createdby, createdon, updatedby, updatedon FROM ${this.table} WHERE userid = ?`,
      [userId],
    );
    return rs.rows.map((r) => ({
      userId: r.get('userid') as string,
      id: r.get('id') as string,
      action: (r.get('action') as string | null) ?? null,
      category: (r.get('category') as string | null) ?? null,
      priority: (r.get('priority') as number | null) ?? null,
      status: (r.get('status') as string | null) ?? 'unread',
      version: (r.get('version') as string | null) ?? null,
      expireOn: (r.get('expireon') as Date | null) ?? null,
      createdBy: (r.get('createdby') as string | null) ?? null,
      createdOn: (r.get('createdon') as Date | null) ?? null,
      updatedBy: (r.get('updatedby') as string | null) ?? null,
      updatedOn: (r.get('updatedon') as Date | null) ?? null,
    }));
  }

  /** The statement that stores a new entry. */
  insert(row: FeedRow): Statement {
    return {
      query: `INSERT INTO ${this.table} (userid, id, action, category, priority, status, version, expireon, createdby, createdon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [row.userId, row.id, row.action, row.category, row.priority, row.status, row.version, row.expireOn, row.createdBy, row.createdOn],
    };
  }

  /** Stores entries in one logged batch. */
  async insertAll(rows: readonly FeedRow[]): Promise<void> {
    if (rows.length > 0) await this.db.batch(rows.map((r) => this.insert(r)), { prepare: true });
  }

  /** Sets the status of existing entries of one user. */
  async setStatus(userId: string, ids: readonly string[], status: string, by: string, at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db.batch(
      ids.map((id) => ({ query: `UPDATE ${this.table} SET status = ?, updatedby = ?, updatedon = ? WHERE userid = ? AND id = ?`, params: [status, by, at, userId, id] })),
      { prepare: true },
    );
  }

  /** Deletes entries of one user (absent ids are no-ops). */
  async remove(userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.execute(`DELETE FROM ${this.table} WHERE userid = ? AND id IN ?`, [userId, [...ids]], { prepare: true });
  }
}
