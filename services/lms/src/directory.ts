/**
 * What LMS reads of User-Org's data (the shared `sunbird` keyspace, as the kit's caller directory
 * does): whether users and organisations exist, and their root organisations. Read-only; the only
 * CQL against that keyspace in this service.
 */
import type { CassandraConnector } from '@lern/kit';

/** A user as batch rules need it. */
export interface DirectoryUser {
  id: string;
  rootOrgId: string | null;
  deleted: boolean;
}

/** An organisation and its root (a root organisation is its own root). */
export interface DirectoryOrg {
  id: string;
  rootOrgId: string;
}

/** Largest number of ids read in one IN query. */
const CHUNK = 100;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Reads users and organisations from the `sunbird` keyspace. */
export class Directory {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  /** The users among `ids` that exist (deleted ones included, flagged). */
  async users(ids: readonly string[]): Promise<Map<string, DirectoryUser>> {
    const found = new Map<string, DirectoryUser>();
    for (const part of chunks([...new Set(ids)])) {
      const rs = await this.db.execute(`SELECT id, rootorgid, isdeleted, status FROM ${this.db.table('sunbird', 'user')} WHERE id IN ?`, [part]);
      for (const row of rs.rows) {
        const id = row.get('id') as string;
        const rootOrgId = row.get('rootorgid') as string | null;
        found.set(id, { id, rootOrgId: rootOrgId || null, deleted: row.get('isdeleted') === true || row.get('status') === 2 });
      }
    }
    return found;
  }

  /** The organisations among `ids` that exist. */
  async orgs(ids: readonly string[]): Promise<Map<string, DirectoryOrg>> {
    const found = new Map<string, DirectoryOrg>();
    for (const part of chunks([...new Set(ids)])) {
      const rs = await this.db.execute(`SELECT id, rootorgid, isrootorg, istenant FROM ${this.db.table('sunbird', 'organisation')} WHERE id IN ?`, [part]);
      for (const row of rs.rows) {
        const id = row.get('id') as string;
        const root = row.get('rootorgid') as string | null;
        const isRoot = row.get('isrootorg') === true || row.get('istenant') === true || !root;
        found.set(id, { id, rootOrgId: isRoot ? id : root });
      }
    }
    return found;
  }
}
