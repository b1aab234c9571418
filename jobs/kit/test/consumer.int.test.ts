/**
 * The job kit against real Kafka and Redis, in-process: dead letters for poison events while the
 * partition proceeds, the probes (/readyz follows the primary store through a cut proxy), the
 * metrics, and the run-once helper.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, createRedis, loadConfig, type KafkaConnector, type RedisConnector } from '@lern/kit';
import { createDeduplicator, DEAD_LETTER_HEADERS, runJob, type RunningJob } from '../src/index.ts';
import { fixtureJob, fixtureKeys } from './fixture-job.ts';
import { createTopics, deleteRedisKeys, deleteSuiteTopics, eventually, metricValue, readTopic, suiteEnv, TcpProxy } from './helpers.ts';

let env: Record<string, string>;
let names: Awaited<ReturnType<typeof suiteEnv>>['names'];
let kafka: KafkaConnector;
let redis: RedisConnector;
const running: RunningJob[] = [];

beforeAll(async () => {
  ({ env, names } = await suiteEnv(import.meta.url, ['kafka', 'redis']));
  const config = loadConfig(env);
  kafka = createKafka(config.kafka);
  redis = createRedis(config.redis);
  await createTopics(kafka, { 'poison.events': 1, 'poison.events.failed': 1, 'probe.events': 2, 'probe.events.failed': 1 });
});

afterAll(async () => {
  await Promise.allSettled(running.map((r) => r.stop()));
  await deleteSuiteTopics(kafka, names.topic, names.id);
  await deleteRedisKeys(redis.client, [`${names.redisPrefix}*`, `lern:job:*${names.id}*`, `lern:job:*${names.redisPrefix}*`]);
  await kafka.close();
  await redis.close();
});

const count = async (ns: string): Promise<{ total: number; ids: number }> => {
  const keys = fixtureKeys(ns);
  return { total: Number((await redis.client.get(keys.total)) ?? 0), ids: await redis.client.scard(keys.ids) };
};

describe('dead letters', () => {
  it('a poison event lands in <topic>.failed with its error and attempts while its partition proceeds', async () => {
    const ns = `${names.redisPrefix}poison`;
    const ok = (id: string, n: number) => ({ key: id, value: { id, n } });
    // One partition: the events after the poison ones can only be counted if the partition moved on.
    await kafka.send('poison.events', [
      ok('a', 1),
      { key: 'p', value: { id: 'p', n: 100, poison: true } },
      ok('b', 2),
      { key: 'garbage', value: '{not json' },
      ok('c', 4),
    ]);
    const job = await runJob(fixtureJob({ topic: 'poison.events', ns, replica: 'r1' }), { ...env, LERN_JOB_GROUP_ID: `${names.id}-poison` }, { port: 0, signals: false });
    running.push(job);
    await eventually(async () => ((await count(ns)).ids === 3 ? true : undefined), 60_000, 'the good events counted');
    expect(await count(ns)).toEqual({ total: 7, ids: 3 });

    const letters = await readTopic(kafka, 'poison.events.failed', 2);
    const byKey = new Map(letters.map((m) => [m.key!.toString(), m]));
    const poison = byKey.get('p')!;
    expect(JSON.parse(poison.value!.toString())).toEqual({ id: 'p', n: 100, poison: true });
    expect(poison.headers![DEAD_LETTER_HEADERS.error]!.toString()).toBe('gave up after 2 attempts: Error: poison event p');
    expect(poison.headers![DEAD_LETTER_HEADERS.attempts]!.toString()).toBe('2');
    expect(poison.headers![DEAD_LETTER_HEADERS.job]!.toString()).toBe('fixture-counter');
    expect(poison.headers![DEAD_LETTER_HEADERS.topic]!.toString()).toBe('poison.events');
    expect(poison.headers![DEAD_LETTER_HEADERS.offset]!.toString()).toBe('1');
    const garbage = byKey.get('garbage')!;
    // The original bytes, even when they are not JSON.
    expect(garbage.value!.toString()).toBe('{not json');
    expect(garbage.headers![DEAD_LETTER_HEADERS.error]!.toString()).toBe('not JSON');
    expect(garbage.headers![DEAD_LETTER_HEADERS.attempts]!.toString()).toBe('1');

    const metrics = await (await fetch(`${job.url}/metrics`)).text();
    expect(metricValue(metrics, 'lern_job_events_processed_total', { topic: 'poison.events' })).toBe(3);
    expect(metricValue(metrics, 'lern_job_events_dead_lettered_total', { topic: 'poison.events' })).toBe(2);
    expect(metricValue(metrics, 'lern_job_events_retried_total', { topic: 'poison.events' })).toBe(1);
    expect(metricValue(metrics, 'lern_job_events_failed_total', { topic: 'poison.events', kind: 'error' })).toBe(2);
    expect(metricValue(metrics, 'lern_job_event_duration_seconds_count', { topic: 'poison.events' })).toBe(5);
    expect(metricValue(metrics, 'lern_job_consumer_lag', { topic: 'poison.events', partition: '0' })).toBe(0);
    expect(metricValue(metrics, 'lern_job_group_member')).toBe(1);
    expect(metrics).toContain('job="fixture-counter"');

    // The committed offset is past every event, dead letters included.
    const admin = await kafka.admin();
    await eventually(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: job.groupId, topics: [kafka.topic('poison.events')] });
      return offsets!.partitions[0]!.offset === '5' ? true : undefined;
    }, 15_000, 'offsets committed');
    await job.stop();
  });
});

describe('probes', () => {
  it('/readyz follows the primary store and the group membership; /livez stays up', async () => {
    const proxy = new TcpProxy(new URL(env.LERN_REDIS_URL!).host);
    await proxy.start();
    const ns = `${names.redisPrefix}probe`;
    const job = await runJob(fixtureJob({ topic: 'probe.events', ns, replica: 'r1' }), { ...env, LERN_JOB_GROUP_ID: `${names.id}-probe`, LERN_REDIS_URL: `redis://127.0.0.1:${proxy.port}`, LERN_REDIS_COMMAND_TIMEOUT_MS: '500' }, { port: 0, signals: false });
    running.push(job);
    const get = async (path: string) => {
      const res = await fetch(`${job.url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await get('/livez')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready', primary: true, member: true } });
    expect(job.membership().assignment).toEqual({ 'probe.events': [0, 1] });

    await proxy.cut();
    await eventually(async () => ((await get('/readyz')).status === 503 ? true : undefined), 20_000, '/readyz 503');
    expect((await get('/readyz')).body).toEqual({ status: 'not ready', primary: false, member: true });
    const health = await get('/health');
    expect(health.status).toBe(503);
    expect(health.body.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'redis', healthy: false }), { name: 'kafka', healthy: true }]));
    expect((await get('/livez')).status).toBe(200);

    await proxy.restore();
    await eventually(async () => ((await get('/readyz')).status === 200 ? true : undefined), 30_000, '/readyz 200 again');
    // Events published during and after the outage are counted once Redis is back.
    await kafka.send('probe.events', [{ key: 'x', value: { id: 'x', n: 5 } }]);
    await eventually(async () => ((await count(ns)).total === 5 ? true : undefined), 30_000, 'counted after the outage');

    await job.stop();
    expect(job.membership().joined).toBe(false);
    await proxy.cut();
  });
});

describe('run-once keys', () => {
  it('applyOnce applies commands and key together, once', async () => {
    const dedup = createDeduplicator(redis.client, { namespace: `${names.id}-apply`, ttlSeconds: 60 });
    const counter = `${names.redisPrefix}apply-counter`;
    const cmd = [{ command: 'INCRBY', keys: [counter], args: [3] }];
    expect(await dedup.applyOnce('e1', cmd)).toBe(true);
    expect(await dedup.applyOnce('e1', cmd)).toBe(false);
    expect(await dedup.applyOnce('e2', cmd)).toBe(true);
    expect(await redis.client.get(counter)).toBe('6');
    expect(await dedup.seen('e1')).toBe(true);
    await dedup.forget('e1');
    expect(await dedup.seen('e1')).toBe(false);
    expect(await redis.client.ttl(`lern:job:${names.id}-apply:once:e2`)).toBeGreaterThan(50);
  });

  it('once runs an effect once, reports a concurrent claim as busy, and frees the key when the effect fails', async () => {
    const dedup = createDeduplicator(redis.client, { namespace: `${names.id}-once`, ttlSeconds: 60, leaseMs: 5_000 });
    const key = randomUUID();
    let runs = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const first = dedup.once(key, async () => {
      runs += 1;
      await gate;
    });
    await eventually(async () => ((await redis.client.exists(`lern:job:${names.id}-once:once:${key}`)) === 1 ? true : undefined), 5_000);
    expect(await dedup.once(key, () => Promise.resolve(void (runs += 1)))).toBe('busy');
    release();
    expect(await first).toBe('ran');
    expect(await dedup.once(key, () => Promise.resolve(void (runs += 1)))).toBe('skipped');
    expect(runs).toBe(1);

    const failing = randomUUID();
    await expect(dedup.once(failing, () => Promise.reject(new Error('send failed')))).rejects.toThrow('send failed');
    expect(await dedup.once(failing, () => Promise.resolve(void (runs += 1)))).toBe('ran');
    expect(runs).toBe(2);
  });
});
