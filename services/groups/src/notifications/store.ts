/**
 * The `group_notification` table (the only CQL of notifications): a notification waiting for the
 * Notification service, written in the same logged batch as its change and deleted once sent.
 */
import type { CassandraConnector, CqlStatement } from '@lern/kit';
import { KEYSPACE } from '../groups/store.ts';
import type { NotificationRequest } from './events.ts';

/** Reads and writes pending notifications. */
export class NotificationStore {
  private readonly db: CassandraConnector;
  private readonly table: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.table = db.table(KEYSPACE, 'group_notification');
  }

  /** The statement storing a pending notification. */
  insert(id: string, request: NotificationRequest, at: Date): CqlStatement {
    return { query: `INSERT INTO ${this.table} (id, payload, createdon) VALUES (?, ?, ?)`, params: [id, JSON.stringify(request), at] };
  }

  /** The pending notification, or null when it was sent already. */
  async get(id: string): Promise<NotificationRequest | null> {
    const row = (await this.db.execute(`SELECT payload FROM ${this.table} WHERE id = ?`, [id])).first();
    const payload = row?.get('payload') as unknown;
    return typeof payload === 'string' ? (JSON.parse(payload) as NotificationRequest) : null;
  }

  /** Deletes a sent notification. */
  async delete(id: string): Promise<void> {
    await this.db.execute(`DELETE FROM ${this.table} WHERE id = ?`, [id]);
  }
}
