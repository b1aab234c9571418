/**
 * The course batch tables of `sunbird_courses` (the only CQL of batches): `course_batch` keyed by
 * (courseid, batchid) with upstream's columns, and `batch_course`, the batch id -> course id lookup
 * that lets a batch be found by its id alone and that claims new batch ids. Writes are returned as
 * statements for the outbox's logged batch; reads return {@link BatchRecord}s.
 */
import cassandra from 'cassandra-driver';
import type { CassandraConnector, CqlStatement } from '@lern/kit';
import { dateIn, endOfDay, startOfDay, type CalendarDate } from '../dates.ts';

/** The keyspace of every LMS table. */
export const KEYSPACE = 'sunbird_courses';

/** A stored certificate template: upstream keeps every field as text (objects as JSON). */
export type StoredTemplate = Record<string, string>;

/** A course batch as the service works with it. */
export interface BatchRecord {
  courseId: string;
  batchId: string;
  name: string;
  description: string | null;
  enrollmentType: string;
  startDate: CalendarDate | null;
  endDate: CalendarDate | null;
  enrollmentEndDate: CalendarDate | null;
  createdFor: string[];
  mentors: string[];
  status: number;
  createdBy: string | null;
  createdDate: Date | null;
  updatedDate: Date | null;
  tandc: boolean | null;
  certTemplates: Record<string, StoredTemplate>;
}

type Row = cassandra.types.Row;

const LWT = { serialConsistency: cassandra.types.consistencies.localSerial };

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads and writes course batches; dates are calendar dates of the installation's zone. */
export class BatchStore {
  private readonly db: CassandraConnector;
  private readonly timeZone: string;
  private readonly batches: string;
  private readonly lookup: string;

  constructor(db: CassandraConnector, timeZone: string) {
    this.db = db;
    this.timeZone = timeZone;
    this.batches = db.table(KEYSPACE, 'course_batch');
    this.lookup = db.table(KEYSPACE, 'batch_course');
  }

  /** A stored date column (upstream's timestamp, or the older text column) as a calendar date. */
  private dateOf(instant: unknown, legacy: unknown): CalendarDate | null {
    if (instant instanceof Date) return dateIn(instant, this.timeZone);
    const old = text(legacy);
    return old !== null && /^\d{4}-\d{2}-\d{2}/.test(old) ? old.slice(0, 10) : null;
  }

  private toRecord(row: Row): BatchRecord {
    const templates = (row.get('cert_templates') ?? {}) as Record<string, StoredTemplate>;
    return {
      courseId: row.get('courseid') as string,
      batchId: row.get('batchid') as string,
      name: text(row.get('name')) ?? '',
      description: text(row.get('description')),
      enrollmentType: text(row.get('enrollmenttype')) ?? 'open',
      startDate: this.dateOf(row.get('start_date'), row.get('startdate')),
      endDate: this.dateOf(row.get('end_date'), row.get('enddate')),
      enrollmentEndDate: this.dateOf(row.get('enrollment_enddate'), row.get('enrollmentenddate')),
      createdFor: texts(row.get('createdfor')),
      mentors: texts(row.get('mentors')),
      status: typeof row.get('status') === 'number' ? (row.get('status') as number) : 0,
      createdBy: text(row.get('createdby')),
      createdDate: (row.get('created_date') as Date | null) ?? null,
      updatedDate: (row.get('updated_date') as Date | null) ?? null,
      tandc: typeof row.get('tandc') === 'boolean' ? (row.get('tandc') as boolean) : null,
      certTemplates: { ...templates },
    };
  }

  /** Claims a new batch id for a course; false when the id is taken (lightweight transaction, outside the outbox batch). */
  async claimId(batchId: string, courseId: string): Promise<boolean> {
    const rs = await this.db.execute(`INSERT INTO ${this.lookup} (batchid, courseid) VALUES (?, ?) IF NOT EXISTS`, [batchId, courseId], LWT);
    return rs.first().get('[applied]') === true;
  }

  /** The batch with this id, wherever its course; null when unknown. */
  async get(batchId: string): Promise<BatchRecord | null> {
    const link = (await this.db.execute(`SELECT courseid FROM ${this.lookup} WHERE batchid = ?`, [batchId])).first();
    const courseId = link ? text(link.get('courseid')) : null;
    return courseId === null ? null : this.getIn(courseId, batchId);
  }

  /** The batch of a course; null when unknown. */
  async getIn(courseId: string, batchId: string): Promise<BatchRecord | null> {
    const row = (await this.db.execute(`SELECT * FROM ${this.batches} WHERE courseid = ? AND batchid = ?`, [courseId, batchId])).first();
    return row ? this.toRecord(row) : null;
  }

  /** Every batch of the given courses (all batches when `courseIds` is undefined), page by page. */
  async eachBatch(courseIds: readonly string[] | undefined, onBatch: (batch: BatchRecord) => Promise<void>): Promise<void> {
    if (courseIds === undefined) {
      await this.db.eachRow(`SELECT * FROM ${this.batches}`, [], (row) => onBatch(this.toRecord(row)));
      return;
    }
    for (const courseId of new Set(courseIds)) {
      await this.db.eachRow(`SELECT * FROM ${this.batches} WHERE courseid = ?`, [courseId], (row) => onBatch(this.toRecord(row)));
    }
  }

  private instants(b: Pick<BatchRecord, 'startDate' | 'endDate' | 'enrollmentEndDate'>): [Date | null, Date | null, Date | null] {
    const tz = this.timeZone;
    return [
      b.startDate ? startOfDay(b.startDate, tz) : null,
      b.endDate ? endOfDay(b.endDate, tz) : null,
      b.enrollmentEndDate ? endOfDay(b.enrollmentEndDate, tz) : null,
    ];
  }

  /** The statement storing a new batch (its id claimed first with {@link claimId}). */
  insert(b: BatchRecord): CqlStatement {
    const [start, end, enrolEnd] = this.instants(b);
    return {
      query:
        `INSERT INTO ${this.batches} (courseid, batchid, name, description, enrollmenttype, start_date, end_date, enrollment_enddate, ` +
        'createdfor, mentors, status, createdby, created_date, tandc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      params: [b.courseId, b.batchId, b.name, b.description, b.enrollmentType, start, end, enrolEnd, b.createdFor, b.mentors, b.status, b.createdBy, b.createdDate, b.tandc],
    };
  }

  /** The statement storing an updated batch's editable fields (everything but ids, creator and templates). */
  update(b: BatchRecord): CqlStatement {
    const [start, end, enrolEnd] = this.instants(b);
    return {
      query:
        `UPDATE ${this.batches} SET name = ?, description = ?, enrollmenttype = ?, start_date = ?, end_date = ?, enrollment_enddate = ?, ` +
        'createdfor = ?, mentors = ?, status = ?, updated_date = ?, tandc = ? WHERE courseid = ? AND batchid = ?',
      params: [b.name, b.description, b.enrollmentType, start, end, enrolEnd, b.createdFor, b.mentors, b.status, b.updatedDate, b.tandc, b.courseId, b.batchId],
    };
  }

  /** The statement adding (or replacing) one certificate template of a batch. */
  addTemplate(courseId: string, batchId: string, templateId: string, template: StoredTemplate, at: Date): CqlStatement {
    return {
      query: `UPDATE ${this.batches} SET cert_templates[?] = ?, updated_date = ? WHERE courseid = ? AND batchid = ?`,
      params: [templateId, template, at, courseId, batchId],
    };
  }

  /** The statement removing one certificate template of a batch (nothing when it has none of that id). */
  removeTemplate(courseId: string, batchId: string, templateId: string, at: Date): CqlStatement {
    return {
      query: `UPDATE ${this.batches} SET cert_templates = cert_templates - ?, updated_date = ? WHERE courseid = ? AND batchid = ?`,
      params: [[templateId], at, courseId, batchId],
    };
  }
}
