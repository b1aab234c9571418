/**
 * What Groups reads of User-Org's data (the shared `sunbird` keyspace, read-only, as the kit's
 * caller directory does): which users exist and are not deleted, and their display names (a read
 * with `fields=members` shows each member's name, as upstream fetches it from User-Org).
 */
import type { CassandraConnector } from '@lern/kit';

/** Largest number of ids read in one IN query. */
const CHUNK = 100;

/** A user as the member rules and views need it. */
export interface DirectoryUser {
  id: string;
  name: string;
  active: boolean;
}

/** Reads users from the `sunbird` keyspace. */
export class Directory {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  /** The users among `ids` that exist (deleted or blocked ones flagged inactive). */
  async users(ids: readonly string[]): Promise<Map<string, DirectoryUser>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, DirectoryUser>();
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      const rs = await this.db.execute(`SELECT id, firstname, lastname, status, isdeleted FROM ${this.db.table('sunbird', 'user')} WHERE id IN ?`, [part]);
      for (const row of rs.rows) {
        const id = row.get('id') as string;
        const name = [row.get('firstname'), row.get('lastname')].filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
        found.set(id, { id, name, active: row.get('isdeleted') !== true && (row.get('status') ?? 1) === 1 });
      }
    }
    return found;
  }
}
