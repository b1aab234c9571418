/**
 * The one file that knows kafkajs's consumer: a consumer group over the kit's Kafka connector
 * (same brokers, client id, timeouts and retries), turned into {@link SourceBatch}es for the loop
 * in partition.ts, plus the group membership /readyz reports.
 *
 * Offsets: `eachBatchAutoResolve` is off, so only offsets the loop resolved (effect durable, or dead
 * letter acknowledged) are ever committed; kafkajs commits them every `commitIntervalMs`, after each
 * batch, before a rebalance and when the consumer stops.
 */
import type { KafkaConnector } from '@lern/kit';
import type { Consumer, EachBatchPayload, IHeaders, Producer } from 'kafkajs';
import type { DeadLetter } from './dead-letter.ts';
import type { JobMetrics } from './metrics.ts';
import type { SourceBatch, SourceMessage } from './partition.ts';

/** Where the consumer stands in its group. */
export interface Membership {
  /** Joined and not crashed, stopped or disconnected since. */
  joined: boolean;
  /** Last time the group coordinator answered (join or heartbeat), ms since the epoch; 0 before. */
  lastContactAt: number;
  /** Assigned partitions by (unprefixed) topic. */
  assignment: Readonly<Record<string, readonly number[]>>;
}

/**
 * Whether the consumer is still a member (pure): joined, and heard from the coordinator within the
 * session timeout (past it, the coordinator has evicted this member and given its partitions away).
 */
export function isMember(m: Membership, now: number, sessionTimeoutMs: number): boolean {
  return m.joined && now - m.lastContactAt <= sessionTimeoutMs;
}

/** A consumer group the job reads from. */
export interface MessageSource {
  /** Joins the group and feeds batches to `onBatch` until stopped. */
  start(onBatch: (batch: SourceBatch) => Promise<void>): Promise<void>;
  /** Lets the in-flight batches stop at their next event, commits resolved offsets and leaves the group. */
  stop(): Promise<void>;
  membership(): Membership;
}

/** Options of createKafkaSource. */
export interface KafkaSourceOptions {
  kafka: KafkaConnector;
  groupId: string;
  /** Topics without the prefix. */
  topics: readonly string[];
  /** Partitions processed at the same time. */
  concurrency: number;
  sessionTimeoutMs: number;
  /** Resolved offsets are committed at least this often. @default 1000 */
  commitIntervalMs?: number;
  metrics: JobMetrics;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** The consumer crashed and kafkajs will not restart it: the process should exit. */
  onFatal(error: Error): void;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}

/** Creates the consumer group source; nothing connects before `start`. */
export function createKafkaSource(options: KafkaSourceOptions): MessageSource {
  const { kafka, metrics, log } = options;
  const byPrefixed = new Map(options.topics.map((t) => [kafka.topic(t), t]));
  const state: { joined: boolean; lastContactAt: number; assignment: Record<string, number[]> } = { joined: false, lastContactAt: 0, assignment: {} };
  let consumer: Consumer | undefined;

  const setJoined = (joined: boolean): void => {
    state.joined = joined;
    metrics.member.set(joined ? 1 : 0);
  };
  const toBatch = (payload: EachBatchPayload): SourceBatch => {
    const { batch } = payload;
    return {
      topic: byPrefixed.get(batch.topic) ?? batch.topic,
      partition: batch.partition,
      highWatermark: batch.highWatermark,
      messages: batch.messages.map(
        (m): SourceMessage => ({ offset: m.offset, key: m.key ?? null, value: m.value ?? null, headers: headerText(m.headers), timestamp: m.timestamp }),
      ),
      resolve: (offset) => payload.resolveOffset(offset),
      heartbeat: () => payload.heartbeat(),
      commitIfDue: () => payload.commitOffsetsIfNecessary(),
      isActive: () => payload.isRunning() && !payload.isStale(),
    };
  };

  return {
    async start(onBatch) {
      const c = kafka.kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: options.sessionTimeoutMs,
        rebalanceTimeout: Math.max(60_000, options.sessionTimeoutMs),
        // A third of the session: two heartbeats may be lost before the coordinator gives up on us.
        heartbeatInterval: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3)),
        allowAutoTopicCreation: false,
        maxWaitTimeInMs: 1_000,
      });
      consumer = c;
      const { GROUP_JOIN, HEARTBEAT, CRASH, STOP, DISCONNECT, REBALANCING } = c.events;
      c.on(GROUP_JOIN, ({ payload }) => {
        state.lastContactAt = Date.now();
        state.assignment = Object.fromEntries(Object.entries(payload.memberAssignment).map(([t, ps]) => [byPrefixed.get(t) ?? t, [...ps].sort((a, b) => a - b)]));
        setJoined(true);
        // Lag of partitions given away would otherwise stay frozen at its last value.
        metrics.lag.reset();
        log.info({ memberId: payload.memberId, assignment: state.assignment }, 'joined the consumer group');
      });
      c.on(HEARTBEAT, () => (state.lastContactAt = Date.now()));
      c.on(REBALANCING, () => log.info({}, 'the consumer group is rebalancing'));
      c.on(STOP, () => setJoined(false));
      c.on(DISCONNECT, () => setJoined(false));
      c.on(CRASH, ({ payload }) => {
        setJoined(false);
        log.error({ err: payload.error.message, restart: payload.restart }, 'the consumer crashed');
        if (!payload.restart) options.onFatal(payload.error);
      });
      await c.connect();
      // A group without committed offsets starts at the beginning: no event published before the
      // job first ran is skipped.
      await c.subscribe({ topics: [...byPrefixed.keys()], fromBeginning: true });
      await c.run({
        autoCommit: true,
        autoCommitInterval: options.commitIntervalMs ?? 1_000,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: options.concurrency,
        eachBatch: (payload) => onBatch(toBatch(payload)),
      });
    },
    async stop() {
      const c = consumer;
      consumer = undefined;
      if (c) await c.disconnect();
      setJoined(false);
    },
    membership: () => ({ joined: state.joined, lastContactAt: state.lastContactAt, assignment: state.assignment }),
  };
}

/** Sends dead letters with their value byte for byte (the connector's `send` would JSON-encode a Buffer). */
export interface DeadLetterProducer {
  /** Resolves once every in-sync replica has the letter. */
  send(letter: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

/** An idempotent producer over the connector's Kafka client; connects on first use and again after a failed connect. */
export function createDeadLetterProducer(kafka: KafkaConnector): DeadLetterProducer {
  let producer: Promise<Producer> | undefined;
  const connected = (): Promise<Producer> =>
    (producer ??= (async () => {
      const p = kafka.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await p.connect();
      return p;
    })().catch((error: unknown) => {
      producer = undefined;
      throw error;
    }));
  return {
    async send(letter) {
      const p = await connected();
      await p.send({ topic: kafka.topic(letter.topic), acks: -1, messages: [{ key: letter.key, value: letter.value, headers: letter.headers }] });
    },
    async close() {
      const p = producer;
      producer = undefined;
      if (p) await (await p.catch(() => undefined))?.disconnect();
    },
  };
}
