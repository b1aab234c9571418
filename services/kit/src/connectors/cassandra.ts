import type { Readable } from 'node:stream';
import cassandra from 'cassandra-driver';
import type { LernConfig } from '../config.ts';

/** Cassandra client with the kit's defaults: prepared statements, configured consistency, keyspace prefix. */
export interface CassandraConnector {
  /** The driver client, for what the helpers below do not cover. */
  readonly client: cassandra.Client;
  /** The keyspace name with LERN_CASSANDRA_KEYSPACE_PREFIX: keyspace('sunbird') -> 't_abc_sunbird'. */
  keyspace(name: string): string;
  /** A quoted, qualified table name: table('sunbird', 'user') -> '"t_abc_sunbird"."user"'. */
  table(keyspace: string, table: string): string;
  /** Runs a prepared statement at the configured consistency unless options say otherwise. */
  execute(cql: string, params?: unknown[] | Record<string, unknown>, options?: cassandra.QueryOptions): Promise<cassandra.types.ResultSet>;
  /** A logged batch of prepared statements. */
  batch(queries: { query: string; params?: unknown[] }[], options?: cassandra.QueryOptions): Promise<void>;
  /** Every row of a query, fetched page by page. */
  eachRow(cql: string, params: unknown[] | undefined, onRow: (row: cassandra.types.Row) => void | Promise<void>, options?: cassandra.QueryOptions): Promise<void>;
  /** Resolves when a host answers; throws when none does. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of createCassandra. */
export interface CassandraOptions {
  /** Keyspace (unprefixed) the connections use. @default none */
  keyspace?: string;
  /** @default 'lern' */
  applicationName?: string;
  /** Driver request timeout. @default 12000 */
  readTimeoutMs?: number;
}

/** Quotes a CQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Rejects when `promise` does not settle within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`${what} did not answer within ${ms} ms`);
      error.name = 'TimeoutError';
      reject(error);
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Creates a Cassandra connector. It connects lazily (the first query), so a service starts while
 * Cassandra is down and recovers by itself: the driver reconnects with exponential backoff, and a
 * failed first connect is retried on the next query.
 */
export function createCassandra(config: LernConfig['cassandra'], options: CassandraOptions = {}): CassandraConnector {
  if (!config.contactPoints) throw new Error('LERN_CASSANDRA_CONTACT_POINTS is not set');
  const prefix = config.keyspacePrefix;
  const keyspace = (name: string): string => `${prefix}${name}`;
  const consistency = cassandra.types.consistencies[config.consistency as keyof typeof cassandra.types.consistencies];
  const client = new cassandra.Client({
    contactPoints: config.contactPoints,
    localDataCenter: config.localDataCenter,
    keyspace: options.keyspace !== undefined ? keyspace(options.keyspace) : undefined,
    applicationName: options.applicationName ?? 'lern',
    credentials: config.username !== undefined ? { username: config.username, password: config.password ?? '' } : undefined,
    queryOptions: { consistency, prepare: true },
    policies: {
      // Short, capped backoff: a restarted Cassandra is used again within seconds.
      reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(500, 5_000, false),
    },
    socketOptions: { connectTimeout: 5_000, readTimeout: options.readTimeoutMs ?? 12_000 },
    pooling: { heartBeatInterval: 10_000 },
  });

  return {
    client,
    keyspace,
    table: (ks, table) => `${quoteIdentifier(keyspace(ks))}.${quoteIdentifier(table)}`,
    execute: (cql, params, queryOptions) => client.execute(cql, params, { prepare: true, ...queryOptions }),
    async batch(queries, queryOptions) {
      await client.batch(
        queries.map((q) => ({ query: q.query, params: q.params ?? [] })),
        { prepare: true, ...queryOptions },
      );
    },
    eachRow(cql, params, onRow, queryOptions) {
      return new Promise<void>((resolve, reject) => {
        const stream = client.stream(cql, params, { prepare: true, fetchSize: 500, ...queryOptions }) as unknown as Readable;
        let chain = Promise.resolve();
        stream.on('readable', () => {
          let row: cassandra.types.Row | null;
          while ((row = stream.read() as cassandra.types.Row | null) !== null) {
            const current = row;
            chain = chain.then(() => onRow(current));
          }
        });
        stream.on('end', () => {
          chain.then(resolve, reject);
        });
        stream.on('error', reject);
      });
    },
    async ping(timeoutMs = 3_000) {
      await withTimeout(
        client.execute('SELECT release_version FROM system.local', [], { prepare: false, consistency: cassandra.types.consistencies.one }),
        timeoutMs,
        'Cassandra',
      );
    },
    close: () => client.shutdown(),
  };
}
