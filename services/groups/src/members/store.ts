/**
 * The member tables of `sunbird_groups` (the only CQL of members): `group_member` (one row per
 * group and user; removed members stay, inactive) and `user_group` (user -> the ids of the groups
 * they are an active member of). Writes are statements for the outbox's logged batch.
 */
import type cassandra from 'cassandra-driver';
import type { CassandraConnector, CqlStatement } from '@lern/kit';
import { KEYSPACE } from '../groups/store.ts';
import type { MemberRecord, MemberRole } from '../model.ts';

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const date = (v: unknown): Date | null => (v instanceof Date ? v : null);

/** Reads and writes memberships. */
export class MemberStore {
  private readonly db: CassandraConnector;
  private readonly members: string;
  private readonly userGroups: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.members = db.table(KEYSPACE, 'group_member');
    this.userGroups = db.table(KEYSPACE, 'user_group');
  }

  private toRecord(row: cassandra.types.Row): MemberRecord {
    return {
      groupId: row.get('groupid') as string,
      userId: row.get('userid') as string,
      role: row.get('role') === 'admin' ? 'admin' : 'member',
      status: row.get('status') === 'inactive' ? 'inactive' : 'active',
      visited: typeof row.get('visited') === 'boolean' ? (row.get('visited') as boolean) : null,
      createdBy: text(row.get('createdby')),
      createdOn: date(row.get('createdon')),
      updatedBy: text(row.get('updatedby')),
      updatedOn: date(row.get('updatedon')),
      removedBy: text(row.get('removedby')),
      removedOn: date(row.get('removedon')),
    };
  }

  /** Every member row of a group (removed ones included). */
  async ofGroup(groupId: string): Promise<MemberRecord[]> {
    const rs = await this.db.execute(`SELECT * FROM ${this.members} WHERE groupid = ?`, [groupId]);
    return rs.rows.map((r) => this.toRecord(r));
  }

  /** The user's member rows in the given groups. */
  async ofUserIn(userId: string, groupIds: readonly string[]): Promise<MemberRecord[]> {
    if (groupIds.length === 0) return [];
    const rs = await this.db.execute(`SELECT * FROM ${this.members} WHERE groupid IN ? AND userid = ?`, [[...new Set(groupIds)], userId]);
    return rs.rows.map((r) => this.toRecord(r));
  }

  /** The ids of the groups the user is a member of (user_group). */
  async groupIdsOf(userId: string): Promise<string[]> {
    const row = (await this.db.execute(`SELECT groupid FROM ${this.userGroups} WHERE userid = ?`, [userId])).first();
    const ids = row?.get('groupid') as unknown;
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  }

  /** The statement making the user an active member (new, or back after a removal). */
  upsertActive(groupId: string, userId: string, role: MemberRole, by: string, at: Date): CqlStatement {
    return {
      query:
        `UPDATE ${this.members} SET role = ?, status = 'active', createdby = ?, createdon = ?, removedby = null, removedon = null, visited = null ` +
        'WHERE groupid = ? AND userid = ?',
      params: [role, by, at, groupId, userId],
    };
  }

  /** The statement changing an active member's role. */
  changeRole(groupId: string, userId: string, role: MemberRole, by: string, at: Date): CqlStatement {
    return { query: `UPDATE ${this.members} SET role = ?, updatedby = ?, updatedon = ? WHERE groupid = ? AND userid = ?`, params: [role, by, at, groupId, userId] };
  }

  /** The statement marking a member removed. */
  markRemoved(groupId: string, userId: string, by: string, at: Date): CqlStatement {
    return {
      query: `UPDATE ${this.members} SET status = 'inactive', removedby = ?, removedon = ?, updatedby = ?, updatedon = ? WHERE groupid = ? AND userid = ?`,
      params: [by, at, by, at, groupId, userId],
    };
  }

  /** The statement setting a member's `visited` flag. */
  setVisited(groupId: string, userId: string, visited: boolean, at: Date): CqlStatement {
    return { query: `UPDATE ${this.members} SET visited = ?, updatedby = ?, updatedon = ? WHERE groupid = ? AND userid = ?`, params: [visited, userId, at, groupId, userId] };
  }

  /** The statement deleting every member row of a group. */
  deleteAll(groupId: string): CqlStatement {
    return { query: `DELETE FROM ${this.members} WHERE groupid = ?`, params: [groupId] };
  }

  /** The statement adding the group to the user's list. */
  linkUser(userId: string, groupId: string): CqlStatement {
    return { query: `UPDATE ${this.userGroups} SET groupid = groupid + ? WHERE userid = ?`, params: [[groupId], userId] };
  }

  /** The statement taking the group off the user's list. */
  unlinkUser(userId: string, groupId: string): CqlStatement {
    return { query: `UPDATE ${this.userGroups} SET groupid = groupid - ? WHERE userid = ?`, params: [[groupId], userId] };
  }
}
