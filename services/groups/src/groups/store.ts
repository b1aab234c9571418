/**
 * The `group` table of `sunbird_groups` (the only CQL of groups): reads return
 * {@link GroupRecord}s, writes are returned as statements for the outbox's logged batch.
 */
import type cassandra from 'cassandra-driver';
import type { CassandraConnector, CqlStatement } from '@lern/kit';
import type { Activity, GroupRecord } from '../model.ts';

/** The keyspace of every Groups table. */
export const KEYSPACE = 'sunbird_groups';

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const date = (v: unknown): Date | null => (v instanceof Date ? v : null);

function activitiesOf(v: unknown): Activity[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((a: unknown) => {
    const m = a as Record<string, unknown> | null;
    return m && typeof m.id === 'string' && typeof m.type === 'string' ? [{ id: m.id, type: m.type }] : [];
  });
}

/** Reads and writes groups. */
export class GroupStore {
  private readonly db: CassandraConnector;
  private readonly groups: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.groups = db.table(KEYSPACE, 'group');
  }

  private toRecord(row: cassandra.types.Row): GroupRecord {
    return {
      id: row.get('id') as string,
      name: text(row.get('name')) ?? '',
      description: text(row.get('description')),
      status: text(row.get('status')) ?? 'active',
      membershipType: text(row.get('membershiptype')) ?? 'invite_only',
      activities: activitiesOf(row.get('activities')),
      createdBy: text(row.get('createdby')),
      createdOn: date(row.get('createdon')),
      updatedBy: text(row.get('updatedby')),
      updatedOn: date(row.get('updatedon')),
    };
  }

  /** The group, or null when there is none. */
  async get(groupId: string): Promise<GroupRecord | null> {
    const row = (await this.db.execute(`SELECT * FROM ${this.groups} WHERE id = ?`, [groupId])).first();
    return row ? this.toRecord(row) : null;
  }

  /** The groups among `ids` that exist. */
  async getMany(ids: readonly string[]): Promise<GroupRecord[]> {
    if (ids.length === 0) return [];
    const rs = await this.db.execute(`SELECT * FROM ${this.groups} WHERE id IN ?`, [[...new Set(ids)]]);
    return rs.rows.map((r) => this.toRecord(r));
  }

  /** The statement storing a new group. */
  insert(g: GroupRecord): CqlStatement {
    return {
      query: `INSERT INTO ${this.groups} (id, name, description, activities, status, membershiptype, createdby, createdon) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [g.id, g.name, g.description, g.activities.map((a) => ({ id: a.id, type: a.type })), g.status, g.membershipType, g.createdBy, g.createdOn],
    };
  }

  /** The statement storing a changed group's editable fields. */
  update(g: GroupRecord): CqlStatement {
    return {
      query: `UPDATE ${this.groups} SET name = ?, description = ?, activities = ?, status = ?, membershiptype = ?, updatedby = ?, updatedon = ? WHERE id = ?`,
      params: [g.name, g.description, g.activities.map((a) => ({ id: a.id, type: a.type })), g.status, g.membershipType, g.updatedBy, g.updatedOn, g.id],
    };
  }

  /** The statement deleting a group (upstream deletes the row). */
  delete(groupId: string): CqlStatement {
    return { query: `DELETE FROM ${this.groups} WHERE id = ?`, params: [groupId] };
  }
}
