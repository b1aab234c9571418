/** The outbox's Cassandra statements: entry rows, cursors and leases (lease.ts uses the lease table). */
import cassandra from 'cassandra-driver';
import type { CassandraConnector } from '../connectors/cassandra.ts';
import type { CqlStatement, OutboxEntry, StoredEntry } from './entries.ts';
import { OUTBOX_BUCKETS, OUTBOX_TABLES } from './schema.ts';

type Row = cassandra.types.Row;

const COLUMNS = 'bucket, slice, id, kind, target, ref, payload, headers, attempts, next_attempt_at, last_error, created_at';

const millis = (value: unknown): number => (value instanceof Date ? value.getTime() : 0);
const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A stored row back as an entry; a row without its kind columns is a leftover (entry null). */
export function rowToStored(row: Row): StoredEntry {
  const kind = textOf(row.get('kind'));
  const target = textOf(row.get('target'));
  const ref = textOf(row.get('ref'));
  let entry: OutboxEntry | null = null;
  if (kind === 'kafka' && target !== null) {
    const headers = row.get('headers') as Record<string, string> | null;
    entry = { kind: 'kafka', topic: target, key: ref, value: textOf(row.get('payload')) ?? '', ...(headers && Object.keys(headers).length > 0 ? { headers } : {}) };
  } else if (kind === 'index' && target !== null && ref !== null) {
    entry = { kind: 'index', target, id: ref };
  }
  return {
    bucket: row.get('bucket') as number,
    slice: row.get('slice') as number,
    id: String(row.get('id')),
    entry,
    attempts: (row.get('attempts') as number | null) ?? 0,
    nextAttemptAt: millis(row.get('next_attempt_at')),
    createdAt: millis(row.get('created_at')),
    lastError: textOf(row.get('last_error')),
  };
}

/** The outbox tables of one keyspace. */
export class OutboxTables {
  readonly db: CassandraConnector;
  private readonly entries: string;
  private readonly cursors: string;

  constructor(db: CassandraConnector, keyspace: string) {
    this.db = db;
    this.entries = db.table(keyspace, OUTBOX_TABLES.entries);
    this.cursors = db.table(keyspace, OUTBOX_TABLES.cursor);
  }

  /** The INSERT of a new entry, for the change's batch. */
  insert(row: StoredEntry): CqlStatement {
    const entry = row.entry!;
    const [target, ref, payload, headers] =
      entry.kind === 'kafka' ? [entry.topic, entry.key, entry.value, entry.headers ?? null] : [entry.target, entry.id, null, null];
    return {
      query: `INSERT INTO ${this.entries} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      params: [row.bucket, row.slice, row.id, entry.kind, target, ref, payload, headers, row.attempts, new Date(row.nextAttemptAt), null, new Date(row.createdAt)],
    };
  }

  /** Up to `limit` rows of one partition, in stored order. */
  async readSlice(bucket: number, slice: number, limit: number): Promise<StoredEntry[]> {
    const result = await this.db.execute(`SELECT ${COLUMNS} FROM ${this.entries} WHERE bucket = ? AND slice = ? LIMIT ?`, [bucket, slice, limit]);
    return result.rows.map(rowToStored);
  }

  /** Deletes delivered (or leftover) rows; rows of one partition go in one unlogged batch. */
  async remove(rows: readonly Pick<StoredEntry, 'bucket' | 'slice' | 'id'>[]): Promise<void> {
    const byPartition = new Map<string, CqlStatement[]>();
    for (const row of rows) {
      const key = `${row.bucket}:${row.slice}`;
      const list = byPartition.get(key) ?? [];
      list.push({ query: `DELETE FROM ${this.entries} WHERE bucket = ? AND slice = ? AND id = ?`, params: [row.bucket, row.slice, row.id] });
      byPartition.set(key, list);
    }
    await Promise.all(
      [...byPartition.values()].map((statements) =>
        statements.length === 1 ? this.db.execute(statements[0]!.query, statements[0]!.params) : this.db.batch(statements, { logged: false }),
      ),
    );
  }

  /**
   * Records a failed delivery. If the row was deleted meanwhile (delivered elsewhere), this brings
   * back a row without its entry columns, which the relay deletes as a leftover.
   */
  async markFailed(row: Pick<StoredEntry, 'bucket' | 'slice' | 'id'>, state: { attempts: number; nextAttemptAt: number; lastError: string }): Promise<void> {
    await this.db.execute(`UPDATE ${this.entries} SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE bucket = ? AND slice = ? AND id = ?`, [
      state.attempts,
      new Date(state.nextAttemptAt),
      state.lastError,
      row.bucket,
      row.slice,
      row.id,
    ]);
  }

  /**
   * Creates the missing cursors at `initialSlice` (a lightweight transaction each, so a cursor
   * another process already moved is left alone). Every writer does this before its first write, so
   * no entry is ever stored behind a cursor that did not exist yet.
   */
  async ensureCursors(initialSlice: number): Promise<void> {
    const existing = await this.readCursors();
    const missing = [...Array(OUTBOX_BUCKETS).keys()].filter((b) => !existing.has(b));
    await Promise.all(
      missing.map((bucket) =>
        this.db.execute(`INSERT INTO ${this.cursors} (bucket, first_slice) VALUES (?, ?) IF NOT EXISTS`, [bucket, initialSlice], {
          serialConsistency: cassandra.types.consistencies.localSerial,
        }),
      ),
    );
  }

  /** Every bucket's cursor. */
  async readCursors(): Promise<Map<number, number>> {
    const result = await this.db.execute(`SELECT bucket, first_slice FROM ${this.cursors}`);
    return new Map(result.rows.map((r) => [r.get('bucket') as number, r.get('first_slice') as number]));
  }

  /**
   * Moves a cursor forward. Needs no lease: any relay only ever computes a cursor at or before the
   * first undelivered row, so concurrent writes can only leave it further back than it could be.
   */
  async moveCursor(bucket: number, slice: number): Promise<void> {
    await this.db.execute(`UPDATE ${this.cursors} SET first_slice = ? WHERE bucket = ?`, [slice, bucket]);
  }
}
