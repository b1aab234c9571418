/**
 * The partition loop without a broker: an in-memory batch records what was resolved, heartbeats and
 * dead letters, and a fake clock records the waits.
 */
import { describe, expect, it } from 'vitest';
import {
  createJobMetrics,
  defineJob,
  DEAD_LETTER_HEADERS,
  done,
  fail,
  processBatch,
  retry,
  type DeadLetter,
  type JobEvent,
  type JobRuntime,
  type Outcome,
  type PartitionDeps,
  type SourceBatch,
} from '../src/index.ts';

interface MemoryBatch extends SourceBatch {
  resolved: string[];
  heartbeats: number;
}

function memoryBatch(values: (string | null)[], firstOffset = 10): MemoryBatch {
  const batch: MemoryBatch = {
    topic: 'user.events',
    partition: 2,
    highWatermark: String(firstOffset + values.length),
    messages: values.map((v, i) => ({ offset: String(firstOffset + i), key: Buffer.from(`k${i}`), value: v === null ? null : Buffer.from(v), headers: { trace: `t${i}` }, timestamp: '1700000000000' })),
    resolved: [],
    heartbeats: 0,
    resolve(offset) {
      batch.resolved.push(offset);
    },
    heartbeat() {
      batch.heartbeats += 1;
      return Promise.resolve();
    },
    commitIfDue: () => Promise.resolve(),
    isActive: () => true,
  };
  return batch;
}

const runtime = {} as JobRuntime;

/** Loop dependencies over a job whose handler is `handle`; records waits and dead letters. */
async function loop(handle: (event: JobEvent) => Promise<Outcome>, opts: { batch?: boolean; maxAttempts?: number; deadLetter?: (l: DeadLetter) => Promise<void> } = {}) {
  const job = defineJob({
    name: 'test-job',
    topics: ['user.events'],
    connectors: [],
    setup: () => null,
    ...(opts.batch
      ? {
          async handleBatch(events: readonly JobEvent[]) {
            const out: Outcome[] = [];
            for (const e of events) out.push(await handle(e));
            return out;
          },
        }
      : { handle: (event: JobEvent) => handle(event) }),
  });
  const waits: number[] = [];
  const letters: DeadLetter[] = [];
  let clock = 1_000_000;
  const metrics = createJobMetrics('test-job');
  const deps: PartitionDeps = {
    job: 'test-job',
    bound: await job.bind(runtime),
    policy: { maxAttempts: opts.maxAttempts ?? 3, initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0 },
    batchSize: 2,
    metrics,
    log: { warn: () => undefined, error: () => undefined },
    deadLetter:
      opts.deadLetter ??
      ((l) => {
        letters.push(l);
        return Promise.resolve();
      }),
    sleep: (ms) => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    random: () => 0.5,
  };
  const counter = async (name: string, labels: Record<string, string> = {}): Promise<number> =>
    (await metrics.registry.getSingleMetric(name)!.get()).values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((n, v) => n + v.value, 0);
  return { deps, waits, letters, counter };
}

describe('processBatch', () => {
  it('resolves every done event in order and counts them', async () => {
    const { deps, counter } = await loop(() => Promise.resolve(done()));
    const batch = memoryBatch(['a', 'b', 'c']);
    expect(await processBatch(batch, deps)).toBe(3);
    expect(batch.resolved).toEqual(['10', '11', '12']);
    expect(await counter('lern_job_events_processed_total', { topic: 'user.events' })).toBe(3);
    expect(await counter('lern_job_consumer_lag', { partition: '2' })).toBe(0);
  });

  it('retries in place with backoff, and never resolves past an event still being retried', async () => {
    const seen: string[] = [];
    let failures = 2;
    const { deps, waits, counter } = await loop((e) => {
      seen.push(`${e.value}#${e.attempt}`);
      if (e.value === 'b' && failures-- > 0) return Promise.resolve(retry('not yet'));
      return Promise.resolve(done());
    });
    const batch = memoryBatch(['a', 'b', 'c']);
    await processBatch(batch, deps);
    expect(seen).toEqual(['a#1', 'b#1', 'b#2', 'b#3', 'c#1']);
    expect(batch.resolved).toEqual(['10', '11', '12']);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(100 + 200);
    expect(await counter('lern_job_events_retried_total')).toBe(2);
    expect(await counter('lern_job_events_failed_total', { kind: 'retry' })).toBe(2);
  });

  it('dead-letters a poison event with its error and attempts, and the partition moves on', async () => {
    const { deps, letters, counter } = await loop((e) => Promise.resolve(e.value === 'poison' ? fail('not a delete.user instruction') : done()));
    const batch = memoryBatch(['a', 'poison', 'c']);
    await processBatch(batch, deps);
    expect(batch.resolved).toEqual(['10', '11', '12']);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter!.topic).toBe('user.events.failed');
    expect(letter!.key).toBe('k1');
    expect(letter!.value!.toString()).toBe('poison');
    expect(letter!.headers).toMatchObject({
      trace: 't1',
      [DEAD_LETTER_HEADERS.error]: 'not a delete.user instruction',
      [DEAD_LETTER_HEADERS.attempts]: '1',
      [DEAD_LETTER_HEADERS.job]: 'test-job',
      [DEAD_LETTER_HEADERS.topic]: 'user.events',
      [DEAD_LETTER_HEADERS.partition]: '2',
      [DEAD_LETTER_HEADERS.offset]: '11',
    });
    expect(await counter('lern_job_events_dead_lettered_total')).toBe(1);
  });

  it('dead-letters an event whose handler keeps throwing, after maxAttempts', async () => {
    const { deps, letters, waits } = await loop((e) => (e.value === 'bug' ? Promise.reject(new TypeError('cannot read x')) : Promise.resolve(done())));
    const batch = memoryBatch(['bug', 'b']);
    await processBatch(batch, deps);
    expect(batch.resolved).toEqual(['10', '11']);
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.error]).toBe('gave up after 3 attempts: TypeError: cannot read x');
    expect(letters[0]!.headers[DEAD_LETTER_HEADERS.attempts]).toBe('3');
    expect(waits).toEqual([100, 200]);
  });

  it('waits out an outage without dead-lettering, then continues', async () => {
    let outage = 6;
    const { deps, letters, counter } = await loop(() => {
      if (outage-- > 0) {
        const e = new Error('All host(s) tried for query failed');
        e.name = 'NoHostAvailableError';
        return Promise.reject(e);
      }
      return Promise.resolve(done());
    });
    const batch = memoryBatch(['a']);
    await processBatch(batch, deps);
    expect(batch.resolved).toEqual(['10']);
    expect(letters).toEqual([]);
    expect(await counter('lern_job_events_failed_total', { kind: 'outage' })).toBe(6);
  });

  it('finishes the event in hand when the batch stops being active, and leaves the rest unresolved', async () => {
    let active = true;
    const handled: string[] = [];
    const { deps } = await loop((e) => {
      handled.push(e.value!);
      active = false; // a SIGTERM arrives while the first event is being handled
      return Promise.resolve(done());
    });
    const batch = memoryBatch(['a', 'b', 'c', 'd']);
    batch.isActive = () => active;
    expect(await processBatch(batch, deps)).toBe(1);
    expect(handled).toEqual(['a']);
    expect(batch.resolved).toEqual(['10']);
  });

  it('abandons a retry wait when the batch stops being active', async () => {
    const { deps, waits } = await loop((e) => Promise.resolve(e.value === 'b' ? retry('later', 800) : done()));
    const batch = memoryBatch(['a', 'b', 'c']);
    let active = true;
    batch.isActive = () => active;
    deps.sleep = (ms) => {
      waits.push(ms);
      active = false;
      return Promise.resolve();
    };
    expect(await processBatch(batch, deps)).toBe(1);
    expect(batch.resolved).toEqual(['10']);
  });

  it('keeps sending a dead letter while Kafka refuses it, and resolves only once it is acknowledged', async () => {
    let refusals = 2;
    const sent: DeadLetter[] = [];
    const { deps } = await loop((e) => Promise.resolve(e.value === 'x' ? fail('bad') : done()), {
      deadLetter: (l) => {
        if (refusals-- > 0) return Promise.reject(new Error('KafkaJSConnectionError'));
        sent.push(l);
        return Promise.resolve();
      },
    });
    const batch = memoryBatch(['x', 'y']);
    await processBatch(batch, deps);
    expect(sent).toHaveLength(1);
    expect(batch.resolved).toEqual(['10', '11']);
  });

  it('propagates a rebalance from heartbeat, having resolved the events already handled', async () => {
    const { deps } = await loop(() => Promise.resolve(done()));
    const batch = memoryBatch(['a', 'b', 'c']);
    batch.heartbeat = () => Promise.reject(new Error('The group is rebalancing'));
    await expect(processBatch(batch, deps)).rejects.toThrow(/rebalancing/);
    expect(batch.resolved).toEqual(['10', '11']);
  });

  it('in batch mode, one poison event that makes the whole call throw is isolated and blamed alone', async () => {
    const calls: number[] = [];
    const job = defineJob({
      name: 'batch-job',
      topics: ['t'],
      connectors: [],
      setup: () => null,
      handleBatch(events: readonly JobEvent[]) {
        calls.push(events.length);
        if (events.some((e) => e.value === 'poison')) return Promise.reject(new SyntaxError('Unexpected token'));
        return Promise.resolve(events.map(() => done()));
      },
    });
    const bound = await job.bind(runtime);
    const results = await bound.attempt(['a', 'poison', 'c'].map((v, i) => ({ topic: 't', partition: 0, offset: String(i), key: null, value: v, headers: {}, timestamp: '0', attempt: 1 })));
    expect(calls).toEqual([3, 1, 1]);
    expect(results).toEqual([{ kind: 'outcome', outcome: done() }, { kind: 'error', message: 'SyntaxError: Unexpected token', dependencyDown: false }]);
  });

  it('in batch mode, per-event outcomes commit what is done and retry from the first that is not', async () => {
    let first = true;
    const { deps } = await loop(
      (e) => {
        if (e.value === 'b' && first) {
          first = false;
          return Promise.resolve(retry('busy'));
        }
        return Promise.resolve(done());
      },
      { batch: true },
    );
    const batch = memoryBatch(['a', 'b', 'c', 'd', 'e']);
    expect(await processBatch(batch, deps)).toBe(5);
    expect(batch.resolved).toEqual(['10', '11', '12', '13', '14']);
  });
});

describe('defineJob', () => {
  const base = { name: 'ok-name', topics: ['t'], connectors: [], setup: () => null, handle: () => Promise.resolve(done()) };
  it('refuses bad declarations', () => {
    expect(() => defineJob({ ...base, name: 'Bad Name' })).toThrow(/lowercase/);
    expect(() => defineJob({ ...base, topics: [] })).toThrow(/no topic/);
    expect(() => defineJob({ ...base, topics: ['a b'] })).toThrow(/bad topic/);
    expect(() => defineJob({ ...base, handle: undefined })).toThrow(/exactly one of handle and handleBatch/);
    expect(() => defineJob({ ...base, primary: 'postgres' })).toThrow(/primary 'postgres'/);
  });
  it('always adds Kafka and picks Cassandra as the primary when used', () => {
    const job = defineJob({ ...base, connectors: ['redis', 'cassandra'] });
    expect(job.connectors).toEqual(['redis', 'cassandra', 'kafka']);
    expect(job.primary).toBe('cassandra');
    expect(defineJob({ ...base, connectors: ['redis'] }).primary).toBe('redis');
  });
});
