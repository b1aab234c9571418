/**
 * Declaring a job: the topics it consumes, the connectors it needs, a `setup` that builds its stores
 * once, and a handler that returns an {@link Outcome} per event. `defineJob` checks the declaration
 * and erases the job's own dependency type, so the registry can hold every job in one table.
 */
import { isDependencyUnavailable, type ConnectorName, type Connectors, type LernConfig } from '@lern/kit';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RetryPolicy } from './decide.ts';
import type { Deduplicator } from './dedup.ts';
import { fail, type AttemptResult, type Outcome } from './outcome.ts';

/** One Kafka message as a handler sees it. */
export interface JobEvent {
  /** The topic as the job declared it (without LERN_KAFKA_TOPIC_PREFIX). */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The value as UTF-8 text; null for a tombstone. */
  value: string | null;
  headers: Readonly<Record<string, string>>;
  /** Broker timestamp, milliseconds since the epoch, as text. */
  timestamp: string;
  /** 1 on the first attempt at this event in this process, then 2, 3, ... */
  attempt: number;
}

/** What `setup` and the handlers get from the kit. */
export interface JobRuntime {
  config: LernConfig;
  /** The connectors the job declared (Kafka always). */
  connectors: Connectors;
  log: Logger;
  /** Run-once keys in Redis; null when the job does not use Redis. */
  dedup: Deduplicator | null;
  /** The job's Prometheus registry (served on /metrics): jobs may add their own metrics. */
  metrics: Registry;
}

/** The context of each handler call: the runtime plus what `setup` built. */
export interface JobContext<D> extends JobRuntime {
  deps: D;
}

/** A job as its package declares it. Give `handle` (one event at a time) or `handleBatch`. */
export interface JobDefinition<D> {
  /** The name `lern job <name>` runs; also the consumer group (with the topic prefix) and the metric label. */
  name: string;
  /** Topics to consume, without LERN_KAFKA_TOPIC_PREFIX. Dead letters go to `<topic>.failed`. */
  topics: readonly string[];
  /** Connectors the job uses; Kafka is always added. */
  connectors: readonly ConnectorName[];
  /** The store /readyz checks. @default 'cassandra' when listed, else the first connector */
  primary?: ConnectorName;
  /** Retry and backoff; LERN_JOB_* variables override. @default DEFAULT_RETRY_POLICY */
  retry?: Partial<RetryPolicy>;
  /** Most events handed to one `handleBatch` call. @default 100 */
  batchSize?: number;
  /** Builds what the handlers need from the connectors and configuration; runs once, before consuming. Throw ConfigError for missing settings. */
  setup(runtime: JobRuntime): D | Promise<D>;
  /** Handles one event; events of a partition are handled one after another, in order. */
  handle?(event: JobEvent, ctx: JobContext<D>): Promise<Outcome>;
  /** Handles consecutive events of one partition at once; returns one outcome per event, in order. */
  handleBatch?(events: readonly JobEvent[], ctx: JobContext<D>): Promise<readonly Outcome[]>;
}

/** A job bound to its runtime: a function from events to one attempt result each. */
export interface BoundJob {
  /**
   * One attempt at each event, in order. Results may be missing at the end: those events were not
   * attempted, because an earlier one must be retried first (their order is kept) or because
   * `active` turned false (one-at-a-time handlers are checked before each event).
   */
  attempt(events: readonly JobEvent[], active?: () => boolean): Promise<AttemptResult[]>;
}

/** A declared job with its dependency type erased. */
export interface Job {
  readonly name: string;
  readonly topics: readonly string[];
  readonly connectors: readonly ConnectorName[];
  readonly primary: ConnectorName | undefined;
  readonly retry: Partial<RetryPolicy>;
  readonly batchSize: number;
  /** Runs `setup` and returns the job's handler over the runtime. */
  bind(runtime: JobRuntime): Promise<BoundJob>;
}

const JOB_NAME = /^[a-z][a-z0-9-]*$/;
const TOPIC_NAME = /^[A-Za-z0-9._-]+$/;

/** The message of a thrown value, for logs and dead letters. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** An attempt result for a thrown error. */
export function errorResult(error: unknown): AttemptResult {
  return { kind: 'error', message: errorMessage(error), dependencyDown: isDependencyUnavailable(error) };
}

/** Checks a declaration and erases its dependency type. Throws on a bad name, topic or missing handler. */
export function defineJob<D>(def: JobDefinition<D>): Job {
  if (!JOB_NAME.test(def.name)) throw new Error(`job name '${def.name}' must be lowercase letters, digits and '-'`);
  if (def.topics.length === 0) throw new Error(`job ${def.name} consumes no topic`);
  for (const topic of def.topics) if (!TOPIC_NAME.test(topic)) throw new Error(`job ${def.name}: bad topic name '${topic}'`);
  if ((def.handle === undefined) === (def.handleBatch === undefined)) throw new Error(`job ${def.name} needs exactly one of handle and handleBatch`);
  const batchSize = def.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`job ${def.name}: batchSize must be a whole number >= 1`);
  const connectors: ConnectorName[] = [...new Set<ConnectorName>([...def.connectors, 'kafka'])];
  const primary = def.primary ?? (connectors.includes('cassandra') ? 'cassandra' : def.connectors[0]);
  if (primary !== undefined && !connectors.includes(primary)) throw new Error(`job ${def.name}: primary '${primary}' is not one of its connectors`);
  return {
    name: def.name,
    topics: [...def.topics],
    connectors,
    primary,
    retry: { ...def.retry },
    batchSize,
    async bind(runtime) {
      const ctx: JobContext<D> = { ...runtime, deps: await def.setup(runtime) };
      if (def.handleBatch) return { attempt: (events, active) => attemptBatch(events, (list) => def.handleBatch!(list, ctx), active) };
      return { attempt: (events, active) => attemptEach(events, (event) => def.handle!(event, ctx), active) };
    },
  };
}

/** One event after another, stopping after the first that is not done (later ones keep their turn), or when no longer active. */
async function attemptEach(events: readonly JobEvent[], handle: (event: JobEvent) => Promise<Outcome>, active: () => boolean = () => true): Promise<AttemptResult[]> {
  const results: AttemptResult[] = [];
  for (const event of events) {
    if (results.length > 0 && !active()) break;
    let result: AttemptResult;
    try {
      result = { kind: 'outcome', outcome: await handle(event) };
    } catch (error) {
      result = errorResult(error);
    }
    results.push(result);
    if (result.kind !== 'outcome' || result.outcome.kind !== 'done') break;
  }
  return results;
}

/**
 * The events in one call. When the call throws for another reason than an outage, or answers with
 * the wrong number of outcomes, the events are retried one by one, so that one poison event is
 * blamed alone instead of the whole batch.
 */
async function attemptBatch(
  events: readonly JobEvent[],
  handleBatch: (events: readonly JobEvent[]) => Promise<readonly Outcome[]>,
  active?: () => boolean,
): Promise<AttemptResult[]> {
  try {
    const outcomes = await handleBatch(events);
    if (outcomes.length === events.length) return outcomes.map((outcome) => ({ kind: 'outcome', outcome }));
    if (events.length === 1) return [{ kind: 'outcome', outcome: fail(`handleBatch returned ${outcomes.length} outcomes for 1 event`) }];
  } catch (error) {
    const result = errorResult(error);
    if (events.length === 1 || (result.kind === 'error' && result.dependencyDown)) return [result];
  }
  return attemptEach(
    events,
    async (event) => {
      const [outcome] = await handleBatch([event]);
      return outcome ?? fail('handleBatch returned no outcome');
    },
    active,
  );
}
