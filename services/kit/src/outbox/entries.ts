/** A CQL statement of the change, run in the outbox's logged batch (prepared). */
export interface CqlStatement {
  query: string;
  params?: unknown[];
}

/** A Kafka message to publish once the change is committed. */
export interface KafkaEntry {
  kind: 'kafka';
  /** Topic without LERN_KAFKA_TOPIC_PREFIX (the producer adds it). */
  topic: string;
  /** Message key; messages with one key are delivered in the order they were written. */
  key: string | null;
  /** The value exactly as it is sent (an object given to kafkaEntry is serialised once, at write time). */
  value: string;
  headers?: Record<string, string>;
}

/**
 * An index update: the handler registered for `target` is called with `id` and re-reads the current
 * state (e.g. from Cassandra) to write or delete the search document, so a retry never writes a
 * stale document.
 */
export interface IndexEntry {
  kind: 'index';
  target: string;
  id: string;
}

/** What a change must cause once it is committed. */
export type OutboxEntry = KafkaEntry | IndexEntry;

/** Builds a Kafka entry; an object value is serialised as JSON now, so every delivery sends the same bytes. */
export function kafkaEntry(topic: string, key: string | null, value: string | object, headers?: Record<string, string>): KafkaEntry {
  return { kind: 'kafka', topic, key, value: typeof value === 'string' ? value : JSON.stringify(value), ...(headers ? { headers } : {}) };
}

/** Builds an index entry for the handler registered as `target`. */
export function indexEntry(target: string, id: string): IndexEntry {
  return { kind: 'index', target, id };
}

/** An entry as stored: where it lives, and its delivery state. */
export interface StoredEntry {
  bucket: number;
  /** The time slice of its partition (OUTBOX_SLICE_MS since the epoch). */
  slice: number;
  /** Time UUID (string), the clustering key. */
  id: string;
  /** Null for a leftover row: a failure update that raced the delete of a delivered entry. */
  entry: OutboxEntry | null;
  attempts: number;
  /** Epoch ms. */
  nextAttemptAt: number;
  /** Epoch ms. */
  createdAt: number;
  lastError: string | null;
}

/** Short name of where an entry goes, for metrics, logs and per-destination decisions: `kafka:<topic>` or `index:<target>`. */
export function destinationOf(entry: OutboxEntry): string {
  return entry.kind === 'kafka' ? `kafka:${entry.topic}` : `index:${entry.target}`;
}
