/**
 * The loop over one partition's fetched messages: attempt them in order, commit what is done,
 * retry in place what must be retried, dead-letter what failed for good. An offset is resolved
 * (and so, later, committed) only once its event's effect is durable or its dead letter has been
 * acknowledged by Kafka, and never past an event that is still being retried: after a crash
 * everything from the first unresolved event is delivered again (at least once).
 *
 * Broker-free: it sees Kafka through {@link SourceBatch}, so it is tested with an in-memory batch.
 */
import type { BoundJob, JobEvent } from './define.ts';
import { errorMessage } from './define.ts';
import { backoffMs, countAttempt, decide, type AttemptCount, type RetryPolicy } from './decide.ts';
import { toDeadLetter, type DeadLetter } from './dead-letter.ts';
import type { JobMetrics } from './metrics.ts';
import type { AttemptResult } from './outcome.ts';

/** One fetched message. */
export interface SourceMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Readonly<Record<string, string>>;
  timestamp: string;
}

/** One partition's fetched messages and the controls over them (kafkajs's eachBatch payload in consumer.ts). */
export interface SourceBatch {
  /** Topic as the job declared it (without prefix). */
  topic: string;
  partition: number;
  /** The offset after the partition's last message. */
  highWatermark: string;
  messages: readonly SourceMessage[];
  /** Marks an offset processed; the source commits resolved offsets. */
  resolve(offset: string): void;
  /** Keeps the group membership alive; throws when the group rebalances (the batch must stop). */
  heartbeat(): Promise<void>;
  /** Commits resolved offsets when the commit interval or threshold is reached. */
  commitIfDue(): Promise<void>;
  /** False once the consumer stops or the partition is no longer this consumer's to process. */
  isActive(): boolean;
}

/** The minimal logger the loop reports to. */
export interface LoopLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What the loop needs besides the batch. */
export interface PartitionDeps {
  job: string;
  bound: BoundJob;
  policy: RetryPolicy;
  batchSize: number;
  metrics: JobMetrics;
  log: LoopLog;
  /** Sends a dead letter, resolving once Kafka has acknowledged it. */
  deadLetter(letter: DeadLetter): Promise<void>;
  /** Longest wait between heartbeats while waiting to retry. @default 1000 */
  heartbeatEveryMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

interface Tracked {
  event: JobEvent;
  raw: Buffer | null;
  count: AttemptCount;
  /** Attempts made so far, of every kind. */
  tries: number;
  startedAt: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The event a handler sees for a message. */
export function toJobEvent(topic: string, partition: number, message: SourceMessage): JobEvent {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value === null ? null : message.value.toString('utf8'),
    headers: message.headers,
    timestamp: message.timestamp,
    attempt: 1,
  };
}

/**
 * Processes a batch until every message is resolved or the batch stops being active (shutdown,
 * rebalance). Returns the number of messages resolved. Throws only what `heartbeat` throws
 * (a rebalance), which the consumer handles by re-joining.
 */
export async function processBatch(batch: SourceBatch, deps: PartitionDeps): Promise<number> {
  const sleep = deps.sleep ?? realSleep;
  const now = deps.now ?? Date.now;
  const labels = { topic: batch.topic };
  const heartbeatEvery = deps.heartbeatEveryMs ?? 1_000;
  let resolved = 0;

  const updateLag = (nextOffset: bigint): void => {
    const lag = BigInt(batch.highWatermark) - nextOffset;
    deps.metrics.lag.set({ ...labels, partition: String(batch.partition) }, Number(lag > 0n ? lag : 0n));
  };
  const finish = (t: Tracked): void => {
    batch.resolve(t.event.offset);
    resolved += 1;
    deps.metrics.duration.observe(labels, (now() - t.startedAt) / 1000);
    updateLag(BigInt(t.event.offset) + 1n);
  };
  /** Waits, heartbeating; false when the batch stopped being active meanwhile. */
  const pause = async (ms: number): Promise<boolean> => {
    const until = now() + ms;
    for (;;) {
      if (!batch.isActive()) return false;
      await batch.heartbeat();
      const left = until - now();
      if (left <= 0) return batch.isActive();
      await sleep(Math.min(left, heartbeatEvery));
    }
  };
  /** Sends the dead letter, waiting out a Kafka outage; false when the batch stopped first. */
  const sendDeadLetter = async (t: Tracked, reason: string): Promise<boolean> => {
    const letter = toDeadLetter(t.event, { job: deps.job, reason, attempts: t.count.attempts, raw: t.raw, at: new Date(now()) });
    for (let tries = 1; ; tries++) {
      try {
        await deps.deadLetter(letter);
        deps.metrics.deadLettered.inc(labels);
        deps.log.warn({ topic: batch.topic, partition: batch.partition, offset: t.event.offset, attempts: t.count.attempts, reason }, 'event dead-lettered');
        return true;
      } catch (error) {
        deps.log.error({ err: errorMessage(error), topic: batch.topic, offset: t.event.offset }, 'dead letter not sent; retrying');
        if (!(await pause(backoffMs(tries, deps.policy, deps.random)))) return false;
      }
    }
  };

  for (let start = 0; start < batch.messages.length; start += deps.batchSize) {
    let pending: Tracked[] = batch.messages
      .slice(start, start + deps.batchSize)
      .map((m) => ({ event: toJobEvent(batch.topic, batch.partition, m), raw: m.value, count: { attempts: 0, outages: 0 }, tries: 0, startedAt: now() }));
    while (pending.length > 0) {
      if (!batch.isActive()) return resolved;
      const results: AttemptResult[] = await deps.bound.attempt(
        pending.map((t) => ({ ...t.event, attempt: t.tries + 1 })),
        () => batch.isActive(),
      );
      let waitMs = 0;
      let next = 0;
      for (; next < results.length && next < pending.length; next++) {
        const t = pending[next]!;
        const result = results[next]!;
        t.tries += 1;
        t.count = countAttempt(t.count, result);
        const decision = decide(result, t.count, deps.policy, deps.random);
        if (decision.action === 'commit') {
          deps.metrics.processed.inc(labels);
          finish(t);
          continue;
        }
        deps.metrics.failed.inc({ ...labels, kind: result.kind === 'outcome' ? result.outcome.kind : result.dependencyDown ? 'outage' : 'error' });
        if (decision.action === 'dead-letter') {
          if (!(await sendDeadLetter(t, decision.reason))) return resolved;
          finish(t);
          continue;
        }
        deps.metrics.retried.inc(labels);
        // An outage is logged when it starts, not on every wait.
        if (!decision.outage || t.count.outages === 1) {
          const where = { topic: batch.topic, partition: batch.partition, offset: t.event.offset, attempt: t.count.attempts, reason: decision.reason, delayMs: decision.delayMs };
          deps.log.warn(where, decision.outage ? 'a dependency is down; the partition waits' : 'event will be retried');
        }
        waitMs = decision.delayMs;
        break;
      }
      pending = pending.slice(next);
      // After resolving: a rebalance announced here must not cost the events just handled.
      await batch.heartbeat();
      await batch.commitIfDue();
      if (pending.length > 0 && !(await pause(waitMs))) return resolved;
    }
  }
  return resolved;
}
