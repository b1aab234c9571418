/**
 * `sunbird_courses.user_enrolments` (the only CQL of enrolments): one row per user, course and batch
 * with upstream's columns; `active` false is an unenrolment (the row and its progress stay). Writes
 * are statements for the outbox's logged batch.
 */
import type cassandra from 'cassandra-driver';
import type { CassandraConnector, CqlStatement } from '@lern/kit';
import { KEYSPACE } from '../batches/store.ts';

/** An enrolment as stored. */
export interface EnrolmentRecord {
  userId: string;
  courseId: string;
  batchId: string;
  active: boolean;
  addedBy: string | null;
  status: number;
  progress: number;
  completedOn: Date | null;
  completionPercentage: number | null;
  contentStatus: Record<string, number>;
  dateTime: Date | null;
  enrolledDate: Date | null;
  /** Upstream's older text column `enrolleddate`. */
  oldEnrolledDate: string | null;
  issuedCertificates: Record<string, string>[];
  certificates: Record<string, string>[];
  lastContentAccessTime: Date | null;
  lastReadContentId: string | null;
  lastReadContentStatus: number | null;
}

/** A new enrolment's columns. */
export interface NewEnrolment {
  userId: string;
  courseId: string;
  batchId: string;
  addedBy: string;
  at: Date;
}

const COLUMNS =
  'userid, courseid, batchid, active, addedby, status, progress, completedon, completionpercentage, contentstatus, datetime, ' +
  'enrolled_date, enrolleddate, issued_certificates, certificates, lastcontentaccesstime, lastreadcontentid, lastreadcontentstatus';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const date = (v: unknown): Date | null => (v instanceof Date ? v : null);
const maps = (v: unknown): Record<string, string>[] => (Array.isArray(v) ? v.map((m) => ({ ...(m as Record<string, string>) })) : []);

function toRecord(row: cassandra.types.Row): EnrolmentRecord {
  return {
    userId: row.get('userid') as string,
    courseId: row.get('courseid') as string,
    batchId: row.get('batchid') as string,
    active: row.get('active') === true,
    addedBy: str(row.get('addedby')),
    status: num(row.get('status')) ?? 0,
    progress: num(row.get('progress')) ?? 0,
    completedOn: date(row.get('completedon')),
    completionPercentage: num(row.get('completionpercentage')),
    contentStatus: { ...((row.get('contentstatus') as Record<string, number> | null) ?? {}) },
    dateTime: date(row.get('datetime')),
    enrolledDate: date(row.get('enrolled_date')),
    oldEnrolledDate: str(row.get('enrolleddate')),
    issuedCertificates: maps(row.get('issued_certificates')),
    certificates: maps(row.get('certificates')),
    lastContentAccessTime: date(row.get('lastcontentaccesstime')),
    lastReadContentId: str(row.get('lastreadcontentid')),
    lastReadContentStatus: num(row.get('lastreadcontentstatus')),
  };
}

/** Reads and writes enrolments. */
export class EnrolmentStore {
  private readonly db: CassandraConnector;
  private readonly table: string;

  constructor(db: CassandraConnector) {
    this.db = db;
    this.table = db.table(KEYSPACE, 'user_enrolments');
  }

  /** The enrolment of a user in a course's batch; null when there never was one. */
  async get(userId: string, courseId: string, batchId: string): Promise<EnrolmentRecord | null> {
    const rs = await this.db.execute(`SELECT ${COLUMNS} FROM ${this.table} WHERE userid = ? AND courseid = ? AND batchid = ?`, [userId, courseId, batchId]);
    const row = rs.first();
    return row ? toRecord(row) : null;
  }

  /** A user's enrolments (active or not), of the given courses only when `courseIds` is set. */
  async listByUser(userId: string, courseIds?: readonly string[]): Promise<EnrolmentRecord[]> {
    const rs =
      courseIds && courseIds.length > 0
        ? await this.db.execute(`SELECT ${COLUMNS} FROM ${this.table} WHERE userid = ? AND courseid IN ?`, [userId, [...new Set(courseIds)]])
        : await this.db.execute(`SELECT ${COLUMNS} FROM ${this.table} WHERE userid = ?`, [userId], { fetchSize: 5000 });
    return rs.rows.map(toRecord);
  }

  /** The statement storing a new enrolment (upstream's initial columns: not started, no progress). */
  insert(e: NewEnrolment): CqlStatement {
    return {
      query: `INSERT INTO ${this.table} (userid, courseid, batchid, active, addedby, enrolled_date, status, datetime, progress) VALUES (?, ?, ?, true, ?, ?, 0, ?, 0)`,
      params: [e.userId, e.courseId, e.batchId, e.addedBy, e.at, e.at],
    };
  }

  /** The statement making an enrolment active (enrol again) or inactive (unenrol); its progress stays. */
  setActive(userId: string, courseId: string, batchId: string, active: boolean): CqlStatement {
    return {
      query: `UPDATE ${this.table} SET active = ? WHERE userid = ? AND courseid = ? AND batchid = ?`,
      params: [active, userId, courseId, batchId],
    };
  }

  /** The statement recording the content read last (progress updates). */
  lastRead(userId: string, courseId: string, batchId: string, contentId: string, status: number, at: Date): CqlStatement {
    return {
      query: `UPDATE ${this.table} SET lastreadcontentid = ?, lastreadcontentstatus = ?, lastcontentaccesstime = ? WHERE userid = ? AND courseid = ? AND batchid = ?`,
      params: [contentId, status, at, userId, courseId, batchId],
    };
  }
}
