/** Delivering entries to Kafka and to index handlers, bounded in time, shared by the request path and the relay. */
import { withTimeout } from '../connectors/cassandra.ts';
import type { OutgoingMessage } from '../connectors/kafka.ts';
import type { DeliveryGroup } from './decide.ts';
import type { StoredEntry } from './entries.ts';
import type { OutboxMetrics } from './metrics.ts';
import type { OutboxTables } from './tables.ts';

/** What the outbox needs of Kafka: the kit's KafkaConnector fits. */
export interface OutboxKafka {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
}

/**
 * Brings the search index (or any derived store) up to date for one id, from the current state of
 * the source of truth: write the document when the object exists, delete it when it does not.
 * Called at least once per entry, maybe more often, maybe late: it must not depend on when.
 */
export type IndexHandler = (id: string) => Promise<void>;

/** The outbox's logger (pino and fastify loggers fit). */
export interface OutboxLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Where entries go. */
export interface Destinations {
  kafka: OutboxKafka | null;
  index: ReadonlyMap<string, IndexHandler>;
}

/** Row ids whose delivery has started and not settled, in this process. */
export class InFlight {
  private readonly rowIds = new Set<string>();
  private readonly running = new Set<Promise<unknown>>();

  get ids(): ReadonlySet<string> {
    return this.rowIds;
  }

  /** Marks the rows in flight until `work` settles. */
  track(rows: readonly StoredEntry[], work: Promise<unknown>): void {
    for (const row of rows) this.rowIds.add(row.id);
    const done = (): void => {
      for (const row of rows) this.rowIds.delete(row.id);
      this.running.delete(tracked);
    };
    const tracked = work.then(done, done);
    this.running.add(tracked);
  }

  /** Waits for the deliveries in flight, at most `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;
    await withTimeout(Promise.allSettled([...this.running]), timeoutMs, 'outbox deliveries in flight').catch(() => undefined);
  }
}

/** One group's delivery: one Kafka send, or one index handler call. */
function send(group: DeliveryGroup, destinations: Destinations): Promise<void> {
  const first = group.rows[0]?.entry;
  if (!first) return Promise.resolve();
  if (first.kind === 'index') {
    const handler = destinations.index.get(first.target);
    return handler ? handler(first.id) : Promise.reject(new Error(`no index handler registered for '${first.target}'`));
  }
  if (!destinations.kafka) return Promise.reject(new Error('the outbox has no Kafka connector'));
  const messages: OutgoingMessage[] = group.rows.map((row) => {
    const entry = row.entry!;
    if (entry.kind !== 'kafka') throw new Error('a Kafka delivery group holds only Kafka entries');
    return { key: entry.key, value: entry.value, ...(entry.headers ? { headers: entry.headers } : {}) };
  });
  return destinations.kafka.send(first.topic, messages);
}

/** What a delivery needs around it. */
export interface DeliveryContext {
  tables: OutboxTables;
  destinations: Destinations;
  metrics: OutboxMetrics;
  inFlight: InFlight;
  log: OutboxLog;
}

/** The outcome of one bounded delivery attempt. */
export type DeliveryOutcome = { ok: true } | { ok: false; error: unknown };

/**
 * Delivers a group, waiting at most `timeoutMs`. Delivered rows are deleted. A delivery that times
 * out keeps running: its rows stay in flight (so nothing here tries them again meanwhile) and are
 * deleted if it succeeds after all.
 */
export async function attemptDelivery(ctx: DeliveryContext, group: DeliveryGroup, path: 'request' | 'relay', timeoutMs: number): Promise<DeliveryOutcome> {
  let sent: Promise<void>;
  try {
    sent = send(group, ctx.destinations);
  } catch (error) {
    return { ok: false, error };
  }
  const finished = sent.then(async () => {
    ctx.metrics.delivered.inc({ destination: group.destination, path }, group.rows.length);
    try {
      await ctx.tables.remove(group.rows);
    } catch (error) {
      // The entries arrived; their rows stay and are delivered once more later (at least once).
      ctx.log.warn({ err: error, destination: group.destination, entries: group.rows.length }, 'outbox: delivered entries not deleted');
    }
  });
  ctx.inFlight.track(group.rows, finished);
  try {
    await withTimeout(sent, timeoutMs, `outbox delivery to ${group.destination}`);
  } catch (error) {
    return { ok: false, error };
  }
  await finished;
  return { ok: true };
}
