/**
 * The transactional outbox: a change's CQL statements and the Kafka messages and index updates it
 * causes are written in one logged batch (both land or neither), then delivered at once on the
 * request path (bounded in time), and otherwise by the background relay with backoff until they
 * arrive. Delivery is at least once.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cassandra from 'cassandra-driver';
import { Registry } from 'prom-client';
import type { CassandraConnector } from '../connectors/cassandra.ts';
import type { LernApp } from '../service.ts';
import { DEFAULT_RETRY_POLICY, bucketOf, groupDeliveries, shouldTryFastPath, sliceOf, type RetryPolicy } from './decide.ts';
import { InFlight, attemptDelivery, type DeliveryContext, type IndexHandler, type OutboxKafka, type OutboxLog } from './deliver.ts';
import { destinationOf, type CqlStatement, type OutboxEntry, type StoredEntry } from './entries.ts';
import { BucketLeases } from './lease.ts';
import { createOutboxMetrics } from './metrics.ts';
import { OutboxRelay, type OutboxBacklog, type RelayPassReport } from './relay.ts';
import { OutboxTables } from './tables.ts';

/** Timing of delivery; the defaults suit a service, tests shorten them. */
export interface OutboxTiming {
  /** Longest a write waits for its request-path delivery before leaving it to the relay. @default 2000 */
  requestDeliveryTimeoutMs: number;
  /**
   * How long a new entry is left to the request path before a relay may take it; longer than
   * requestDeliveryTimeoutMs, so a relay rarely delivers what the request path is still sending.
   * @default 15000
   */
  relayGraceMs: number;
  /** Pause between relay passes. @default 5000 */
  pollIntervalMs: number;
  /** Longest the relay waits for one delivery (one Kafka send or one index handler call). @default 10000 */
  relayDeliveryTimeoutMs: number;
  /** Lifetime of a bucket lease; more than twice relayDeliveryTimeoutMs. @default 30 */
  leaseTtlSeconds: number;
  /** Largest clock difference between the service's hosts (cursors stay this far behind). @default 60000 */
  maxClockSkewMs: number;
  /** After a request-path failure, how long the request path leaves that destination to the relay. @default 10000 */
  requestPathCooldownMs: number;
  /** Backoff of failed deliveries. @default DEFAULT_RETRY_POLICY */
  retry: RetryPolicy;
  /** Rows one pass reads per bucket. @default 500 */
  maxRowsPerBucket: number;
  /** Time slices one pass reads per bucket (a cursor far behind catches up over several passes). @default 60 */
  maxSlicesPerPass: number;
}

export const DEFAULT_OUTBOX_TIMING: OutboxTiming = {
  requestDeliveryTimeoutMs: 2_000,
  relayGraceMs: 15_000,
  pollIntervalMs: 5_000,
  relayDeliveryTimeoutMs: 10_000,
  leaseTtlSeconds: 30,
  maxClockSkewMs: 60_000,
  requestPathCooldownMs: 10_000,
  retry: DEFAULT_RETRY_POLICY,
  maxRowsPerBucket: 500,
  maxSlicesPerPass: 60,
};

/** Options of createOutbox. */
export interface OutboxOptions {
  cassandra: CassandraConnector;
  /** Keyspace (unprefixed) holding the outbox tables: the one of the changes, e.g. 'sunbird'. */
  keyspace: string;
  /** Where Kafka entries go (the kit's KafkaConnector); without it, writing a Kafka entry is an error. */
  kafka?: OutboxKafka | null;
  /** Index targets by name, e.g. { user: (id) => reindexUser(id) }. */
  indexHandlers?: Record<string, IndexHandler>;
  log?: OutboxLog;
  /** Registry for the lern_outbox_* metrics. @default a registry of its own (outbox.registry) */
  registry?: Registry;
  /** This relay's name in leases. @default host:pid:random */
  owner?: string;
  timing?: Partial<OutboxTiming>;
}

/** What write() did. */
export interface OutboxWriteResult {
  /** Time UUIDs of the stored entries, in the order given. */
  ids: string[];
  /** Entries delivered on the request path. */
  delivered: number;
  /** Entries left to the relay. */
  pending: number;
}

/** A service's outbox. */
export interface Outbox {
  /**
   * Writes the change's statements and the entries in one logged batch, then delivers the entries
   * (waiting at most requestDeliveryTimeoutMs). Rejects only when the batch fails, and then nothing
   * of it was written. The statements must be batchable: no lightweight transactions (IF ...) and
   * no counters; claim uniqueness first, outside the batch.
   */
  write(statements: readonly CqlStatement[], entries: readonly OutboxEntry[]): Promise<OutboxWriteResult>;
  /** Starts the background relay (idempotent). */
  start(): void;
  /** Stops the relay, waits briefly for deliveries in flight, frees its leases. Leaves the connectors open. */
  close(): Promise<void>;
  /** Starts the relay when the app is ready and closes the outbox when the app closes (before its connectors). */
  attach(app: LernApp): void;
  /** One relay pass now (also without start(): for jobs, command-line tools and tests). */
  runRelayPass(): Promise<RelayPassReport>;
  /** What the last relay pass saw, for /health. */
  backlog(): OutboxBacklog;
  /** The registry holding the lern_outbox_* metrics. */
  readonly registry: Registry;
}

function checkTiming(t: OutboxTiming): void {
  if (t.relayGraceMs <= t.requestDeliveryTimeoutMs) throw new Error('outbox: relayGraceMs must be longer than requestDeliveryTimeoutMs');
  if (t.leaseTtlSeconds * 1000 <= 2 * t.relayDeliveryTimeoutMs) throw new Error('outbox: leaseTtlSeconds must be more than twice relayDeliveryTimeoutMs');
}

/** Creates a service's outbox; nothing runs until start() (or attach) and the first write. */
export function createOutbox(options: OutboxOptions): Outbox {
  const timing: OutboxTiming = { ...DEFAULT_OUTBOX_TIMING, ...options.timing };
  checkTiming(timing);
  const registry = options.registry ?? new Registry();
  const tables = new OutboxTables(options.cassandra, options.keyspace);
  const log: OutboxLog = options.log ?? { warn: () => undefined, error: () => undefined };
  const handlers = new Map(Object.entries(options.indexHandlers ?? {}));
  const ctx: DeliveryContext = {
    tables,
    destinations: { kafka: options.kafka ?? null, index: handlers },
    metrics: createOutboxMetrics(registry),
    inFlight: new InFlight(),
    log,
  };
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leases = new BucketLeases(options.cassandra, options.keyspace, owner, timing.leaseTtlSeconds);

  // Cursors exist before the first entry is written; retried after a failure.
  let cursorsReady: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (cursorsReady ??= tables.ensureCursors(sliceOf(Date.now() - timing.maxClockSkewMs)).catch((error: unknown) => {
      cursorsReady = undefined;
      throw error;
    }));
  const relay = new OutboxRelay(ctx, leases, timing, ready);
  const lastFailureAt = new Map<string, number>();

  const check = (entry: OutboxEntry): void => {
    if (entry.kind === 'kafka' && !ctx.destinations.kafka) throw new Error(`outbox: Kafka entry for '${entry.topic}' but the outbox has no Kafka connector`);
    if (entry.kind === 'index' && !handlers.has(entry.target)) throw new Error(`outbox: no index handler registered for '${entry.target}'`);
  };

  async function write(statements: readonly CqlStatement[], entries: readonly OutboxEntry[]): Promise<OutboxWriteResult> {
    entries.forEach(check);
    if (entries.length > 0) await ready();
    const now = Date.now();
    const state = { backlog: relay.backlogDestinations, lastFailureAt };
    const rows: (StoredEntry & { fast: boolean })[] = entries.map((entry) => {
      const id = cassandra.types.TimeUuid.now().toString();
      // An entry whose destination has a backlog is due at once: the relay delivers it after that backlog.
      const fast = shouldTryFastPath(destinationOf(entry), state, now, timing.requestPathCooldownMs);
      const nextAttemptAt = fast ? now + timing.relayGraceMs : now;
      return { bucket: bucketOf(entry, id), slice: sliceOf(now), id, entry, attempts: 0, nextAttemptAt, createdAt: now, lastError: null, fast };
    });
    const batch = [...statements, ...rows.map((row) => tables.insert(row))];
    if (batch.length > 0) await options.cassandra.batch(batch.map((s) => ({ query: s.query, params: s.params ?? [] })));
    for (const entry of entries) ctx.metrics.written.inc({ destination: destinationOf(entry) });

    const fastRows = rows.filter((row) => row.fast);
    if (fastRows.length < rows.length) relay.kick();
    const outcomes = await Promise.all(
      groupDeliveries(fastRows).map(async (group) => {
        const outcome = await attemptDelivery(ctx, group, 'request', timing.requestDeliveryTimeoutMs);
        if (!outcome.ok) {
          lastFailureAt.set(group.destination, Date.now());
          ctx.metrics.retried.inc({ destination: group.destination }, group.rows.length);
          log.warn({ err: outcome.error, destination: group.destination, entries: group.rows.length }, 'outbox: not delivered on the request path; the relay will');
        }
        return outcome.ok ? group.rows.length : 0;
      }),
    );
    const delivered = outcomes.reduce((a, b) => a + b, 0);
    return { ids: rows.map((r) => r.id), delivered, pending: rows.length - delivered };
  }

  const outbox: Outbox = {
    write,
    start: () => relay.start(),
    async close() {
      await relay.stop();
      await ctx.inFlight.settle(timing.requestDeliveryTimeoutMs);
      await leases.releaseAll();
    },
    attach(app) {
      app.addHook('onReady', (done) => {
        outbox.start();
        done();
      });
      // Added after the connectors' plugins, so it runs before they close.
      app.addHook('onClose', async () => outbox.close());
    },
    runRelayPass: () => relay.pass(),
    backlog: () => relay.backlog,
    registry,
  };
  return outbox;
}
