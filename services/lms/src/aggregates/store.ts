/**
 * What the aggregates read (the only CQL of aggregates): `sunbird_courses.user_activity_agg`
 * (written by the activity-aggregate-updater job), the members of a group from the groups service's
 * `sunbird_groups.group_member` (read in place, as LMS has no call to the groups service), and member
 * names from User-Org's `sunbird.user`. All read-only.
 */
import type cassandra from 'cassandra-driver';
import type { CassandraConnector } from '@lern/kit';
import { KEYSPACE } from '../batches/store.ts';

/** One user's aggregates of an activity in one context. */
export interface ActivityAgg {
  userId: string;
  contextId: string;
  /** Counts, e.g. `completedCount`. */
  agg: Record<string, number>;
  /** Other figures (doubles), e.g. scores. */
  aggregates: Record<string, number>;
  /** When each figure last changed. */
  lastUpdated: Record<string, Date>;
}

/** A member of a group. */
export interface GroupMember {
  userId: string;
  role: string | null;
  status: string | null;
  createdBy: string | null;
}

/** Largest IN list of one query. */
const CHUNK = 100;

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Cassandra's "Invalid query" (0x2200): here, a keyspace or table that does not exist (the groups service is not installed). */
const isMissingTable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 0x2200 && /does not exist|unconfigured table/i.test(String((error as Error).message));

function toAgg(row: cassandra.types.Row): ActivityAgg {
  return {
    userId: row.get('user_id') as string,
    contextId: row.get('context_id') as string,
    agg: { ...((row.get('agg') as Record<string, number> | null) ?? {}) },
    aggregates: { ...((row.get('aggregates') as Record<string, number> | null) ?? {}) },
    lastUpdated: { ...((row.get('agg_last_updated') as Record<string, Date> | null) ?? {}) },
  };
}

/** Reads aggregates and group members. */
export class AggregateStore {
  private readonly db: CassandraConnector;
  private readonly aggs: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.aggs = db.table(KEYSPACE, 'user_activity_agg');
  }

  /** The aggregates of users for an activity: in one context when `contextId` is set, else in every context. */
  async activityAggs(activityType: string, activityId: string, userIds: readonly string[], contextId?: string): Promise<ActivityAgg[]> {
    const out: ActivityAgg[] = [];
    const where = `WHERE activity_type = ? AND activity_id = ? AND user_id IN ?${contextId === undefined ? '' : ' AND context_id = ?'}`;
    for (const part of chunks([...new Set(userIds)])) {
      const params = contextId === undefined ? [activityType, activityId, part] : [activityType, activityId, part, contextId];
      const rs = await this.db.execute(`SELECT user_id, context_id, agg, aggregates, agg_last_updated FROM ${this.aggs} ${where}`, params, { fetchSize: 5000 });
      out.push(...rs.rows.map(toAgg));
    }
    return out;
  }

  /** The active members of a group; null when the group has none (or the groups tables do not exist). */
  async groupMembers(groupId: string): Promise<GroupMember[] | null> {
    try {
      const rs = await this.db.execute(`SELECT userid, role, status, createdby FROM ${this.db.table('sunbird_groups', 'group_member')} WHERE groupid = ?`, [groupId], { fetchSize: 5000 });
      const members = rs.rows
        .map((r) => ({ userId: r.get('userid') as string, role: str(r.get('role')), status: str(r.get('status')), createdBy: str(r.get('createdby')) }))
        .filter((m) => m.status === null || m.status === 'active');
      return members.length > 0 ? members : null;
    } catch (error) {
      if (isMissingTable(error)) return null;
      throw error;
    }
  }

  /** Display names (first and last name) of users. */
  async names(userIds: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const part of chunks([...new Set(userIds)])) {
      const rs = await this.db.execute(`SELECT id, firstname, lastname FROM ${this.db.table('sunbird', 'user')} WHERE id IN ?`, [part]);
      for (const r of rs.rows) {
        const name = [str(r.get('firstname')), str(r.get('lastname'))].filter((n) => n !== null).join(' ');
        if (name !== '') names.set(r.get('id') as string, name);
      }
    }
    return names;
  }
}
