import pg from 'pg';
import type { LernConfig } from '../config.ts';
import { withTimeout } from './cassandra.ts';

/** PostgreSQL pool. */
export interface PostgresConnector {
  readonly pool: pg.Pool;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Creates a PostgreSQL pool; connections are opened on demand, so a restarted server is used again. */
export function createPostgres(config: LernConfig['postgres'], options: { max?: number } = {}): PostgresConnector {
  if (!config.url) throw new Error('LERN_POSTGRES_URL is not set');
  const pool = new pg.Pool({
    connectionString: config.url,
    password: config.password,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection emits on the pool; the next query opens a new one.
  pool.on('error', () => undefined);
  return {
    pool,
    query: (sql, params) => pool.query(sql, params),
    async ping(timeoutMs = 2_000) {
      await withTimeout(pool.query('SELECT 1'), timeoutMs, 'PostgreSQL');
    },
    close: () => pool.end(),
  };
}
