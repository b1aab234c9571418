/**
 * `sunbird_courses.user_content_consumption` (per user, collection, context = batch id and content)
 * and the reads of `assessment_aggregator` (scored attempts, written by the assessment-aggregator
 * job): the only CQL of progress. Writes are statements for the outbox's logged batch.
 */
import type cassandra from 'cassandra-driver';
import type { CassandraConnector, CqlStatement } from '@lern/kit';
import { KEYSPACE } from '../batches/store.ts';
import type { ConsumptionState } from './decide.ts';

/** `context_id` of a batch in the aggregate tables (upstream's `cb:<batchId>`). */
export const batchContextId = (batchId: string): string => `cb:${batchId}`;

/** A stored content state with its keys. */
export interface ConsumptionRow extends ConsumptionState {
  userId: string;
  courseId: string;
  batchId: string;
  dateTime: Date | null;
  completionPercentage: number | null;
}

/** A scored attempt. */
export interface AttemptScore {
  attemptId: string;
  lastAttemptedOn: Date | null;
  totalMaxScore: number | null;
  totalScore: number | null;
}

const COLUMNS =
  'userid, collectionid, contextid, contentid, status, progress, viewcount, completedcount, completionpercentage, datetime, ' +
  'last_access_time, last_completed_time, last_updated_time, lastaccesstime, lastcompletedtime, lastupdatedtime, progressdetails';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const date = (v: unknown): Date | null => (v instanceof Date ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A timestamp column, or (rows upstream wrote before the timestamp columns) its text column. */
function timeOf(row: cassandra.types.Row, column: string, legacy: string): Date | null {
  const t = date(row.get(column));
  if (t) return t;
  const text = str(row.get(legacy));
  const parsed = text ? new Date(text.replace(/^(\S+) (\S+):(\d{3})([+-]\d{4})$/, '$1T$2.$3$4')) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
}

function toRow(row: cassandra.types.Row): ConsumptionRow {
  return {
    userId: row.get('userid') as string,
    courseId: row.get('collectionid') as string,
    batchId: row.get('contextid') as string,
    contentId: row.get('contentid') as string,
    status: num(row.get('status')) ?? 0,
    progress: num(row.get('progress')) ?? 0,
    viewCount: num(row.get('viewcount')),
    completedCount: num(row.get('completedcount')),
    completionPercentage: num(row.get('completionpercentage')),
    dateTime: date(row.get('datetime')),
    lastAccessTime: timeOf(row, 'last_access_time', 'lastaccesstime'),
    lastCompletedTime: timeOf(row, 'last_completed_time', 'lastcompletedtime'),
    lastUpdatedTime: timeOf(row, 'last_updated_time', 'lastupdatedtime'),
    progressDetails: str(row.get('progressdetails')),
  };
}

/** Reads and writes content consumption; reads assessment scores. */
export class ProgressStore {
  private readonly db: CassandraConnector;
  private readonly consumption: string;
  private readonly assessments: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.consumption = db.table(KEYSPACE, 'user_content_consumption');
    this.assessments = db.table(KEYSPACE, 'assessment_aggregator');
  }

  /** A user's content states in a course's batch (only `contentIds` when given). */
  async states(userId: string, courseId: string, batchId: string, contentIds?: readonly string[]): Promise<ConsumptionRow[]> {
    const where = 'WHERE userid = ? AND collectionid = ? AND contextid = ?';
    const rs =
      contentIds && contentIds.length > 0
        ? await this.db.execute(`SELECT ${COLUMNS} FROM ${this.consumption} ${where} AND contentid IN ?`, [userId, courseId, batchId, [...new Set(contentIds)]])
        : await this.db.execute(`SELECT ${COLUMNS} FROM ${this.consumption} ${where}`, [userId, courseId, batchId], { fetchSize: 5000 });
    return rs.rows.map(toRow);
  }

  /** The statement storing a content's state (an upsert of every column it owns). */
  write(userId: string, courseId: string, batchId: string, s: ConsumptionState): CqlStatement {
    return {
      query:
        `INSERT INTO ${this.consumption} (userid, collectionid, contextid, contentid, status, progress, viewcount, completedcount, ` +
        'last_access_time, last_completed_time, last_updated_time, progressdetails) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      params: [userId, courseId, batchId, s.contentId, s.status, s.progress, s.viewCount, s.completedCount, s.lastAccessTime, s.lastCompletedTime, s.lastUpdatedTime, s.progressDetails],
    };
  }

  /** A user's scored attempts of a content in a course's batch (at most `limit`). */
  async attempts(courseId: string, batchId: string, userId: string, contentId: string, limit: number): Promise<AttemptScore[]> {
    const rs = await this.db.execute(
      `SELECT attempt_id, last_attempted_on, total_max_score, total_score FROM ${this.assessments} ` +
        'WHERE collection_id = ? AND context_id = ? AND user_id = ? AND content_id = ? LIMIT ?',
      [courseId, batchContextId(batchId), userId, contentId, limit],
    );
    return rs.rows.map((r) => ({
      attemptId: r.get('attempt_id') as string,
      lastAttemptedOn: date(r.get('last_attempted_on')),
      totalMaxScore: num(r.get('total_max_score')),
      totalScore: num(r.get('total_score')),
    }));
  }
}
