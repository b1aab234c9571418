/**
 * Small CQL helpers the table stores share: rows as plain objects, INSERT statements from a row,
 * paged id scans and the serial consistency of lightweight transactions.
 */
import cassandra from 'cassandra-driver';
import type { CassandraConnector } from '@lern/kit';

/** The keyspace of every User-Org table. */
export const KEYSPACE = 'sunbird';

/** Lightweight transactions stay within the local data centre. */
export const LWT = { serialConsistency: cassandra.types.consistencies.localSerial };

/** A row as a plain object, by column name. */
export type Row = Record<string, unknown>;

/** A row as a plain object (by the result's column list: a column may be named like a Row method). */
function plain(r: cassandra.types.Row, columns: { name: string }[]): Row {
  const out: Row = {};
  for (const c of columns) out[c.name] = r.get(c.name);
  return out;
}

/** Runs queries of one keyspace and maps results to plain rows. */
export class Cql {
  readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  /** The (prefixed) name of a table of the keyspace. */
  table(name: string): string {
    return this.db.table(KEYSPACE, name);
  }

  async rows(query: string, params: unknown[]): Promise<Row[]> {
    const rs = await this.db.execute(query, params);
    return rs.rows.map((r) => plain(r, rs.columns));
  }

  async one(query: string, params: unknown[]): Promise<Row | null> {
    const rs = await this.db.execute(query, params);
    const r = rs.first();
    return r ? plain(r, rs.columns) : null;
  }

  async run(query: string, params: unknown[]): Promise<void> {
    await this.db.execute(query, params);
  }

  /** Inserts (upserts) a row: every key of `row` is a column. */
  async insert(table: string, row: Row): Promise<void> {
    const cols = Object.keys(row);
    await this.db.execute(
      `INSERT INTO ${this.table(table)} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      cols.map((c) => row[c] ?? null),
    );
  }

  /** A lightweight transaction; returns its first row (`[applied]` and, when not applied, the current values). */
  async conditional(query: string, params: unknown[]): Promise<Row> {
    const rs = await this.db.execute(query, params, LWT);
    return plain(rs.first(), rs.columns);
  }

  /** Streams the `id` column of a table (for re-indexing), 500 rows a page. */
  async *ids(table: string): AsyncGenerator<string> {
    let pageState: string | undefined;
    do {
      const rs = await this.db.execute(`SELECT id FROM ${this.table(table)}`, [], { fetchSize: 500, pageState, prepare: true });
      for (const r of rs.rows) yield r.get('id') as string;
      pageState = rs.pageState ?? undefined;
    } while (pageState);
  }
}

/** A table keyed by `id`, read and written as records through its row mapping. */
export class RecordTable<R extends { id: string }> {
  protected readonly cql: Cql;
  private readonly name: string;
  private readonly toRow: (record: R) => Row;
  private readonly fromRow: (row: Row) => R;

  constructor(cql: Cql, name: string, toRow: (record: R) => Row, fromRow: (row: Row) => R) {
    this.cql = cql;
    this.name = name;
    this.toRow = toRow;
    this.fromRow = fromRow;
  }

  async get(id: string): Promise<R | null> {
    const r = await this.cql.one(`SELECT * FROM ${this.cql.table(this.name)} WHERE id = ?`, [id]);
    return r ? this.fromRow(r) : null;
  }

  async put(record: R): Promise<void> {
    await this.cql.insert(this.name, this.toRow(record));
  }

  /** Every id (for re-indexing). */
  allIds(): AsyncGenerator<string> {
    return this.cql.ids(this.name);
  }
}

/** Text or null. */
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** A list of texts ([] for anything else). */
export const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Parsed JSON text, or the fallback when absent or unreadable. */
export function json<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string' || v === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}
