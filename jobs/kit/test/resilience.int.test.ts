/**
 * At-least-once delivery with exactly-once effects under failure, against real Kafka and Redis:
 * a job process killed with SIGKILL mid-batch and restarted loses no event and counts none twice;
 * SIGTERM stops it within the deadline having committed what it did (nothing is delivered again);
 * three replicas share the partitions and the survivors take over when one leaves.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, createRedis, loadConfig, type KafkaConnector, type RedisConnector } from '@lern/kit';
import { runJob, type RunningJob } from '../src/index.ts';
import { fixtureJob, fixtureKeys } from './fixture-job.ts';
import { createTopics, deleteRedisKeys, deleteSuiteTopics, eventually, freePort, spawnJob, suiteEnv, type JobProcess } from './helpers.ts';

const MAIN = fileURLToPath(new URL('./fixture-main.ts', import.meta.url));
let env: Record<string, string>;
let names: Awaited<ReturnType<typeof suiteEnv>>['names'];
let kafka: KafkaConnector;
let redis: RedisConnector;
const processes: JobProcess[] = [];
const running: RunningJob[] = [];

beforeAll(async () => {
  ({ env, names } = await suiteEnv(import.meta.url, ['kafka', 'redis']));
  const config = loadConfig(env);
  kafka = createKafka(config.kafka);
  redis = createRedis(config.redis);
  await createTopics(kafka, { 'kill.events': 3, 'kill.events.failed': 1, 'term.events': 2, 'term.events.failed': 1, 'shared.events': 6, 'shared.events.failed': 1 });
});

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.allSettled(running.map((r) => r.stop()));
  await deleteSuiteTopics(kafka, names.topic, names.id);
  await deleteRedisKeys(redis.client, [`${names.redisPrefix}*`, `lern:job:*${names.id}*`, `lern:job:*${names.redisPrefix}*`]);
  await kafka.close();
  await redis.close();
});

/** Publishes `count` events `{id, n}` (n = 1..count) spread over keys; returns the expected total. */
async function publish(topic: string, prefix: string, count: number, extra: Record<string, unknown> = {}): Promise<number> {
  let total = 0;
  for (let from = 0; from < count; from += 200) {
    const messages = [];
    for (let i = from; i < Math.min(count, from + 200); i++) {
      messages.push({ key: `k${i % 17}`, value: { id: `${prefix}-${i}`, n: i + 1, ...extra } });
      total += i + 1;
    }
    await kafka.send(topic, messages);
  }
  return total;
}

async function counted(ns: string): Promise<{ total: number; ids: number; deliveries: number; byReplica: Record<string, string> }> {
  const keys = fixtureKeys(ns);
  const [total, ids, deliveries, byReplica] = await Promise.all([redis.client.get(keys.total), redis.client.scard(keys.ids), redis.client.get(keys.deliveries), redis.client.hgetall(keys.byReplica)]);
  return { total: Number(total ?? 0), ids, deliveries: Number(deliveries ?? 0), byReplica };
}

async function start(topic: string, ns: string, replica: string, group: string): Promise<JobProcess> {
  const p = spawnJob(MAIN, { ...env, LERN_HTTP_PORT: String(await freePort()), LERN_JOB_GROUP_ID: group, FIXTURE_TOPIC: topic, FIXTURE_NS: ns, FIXTURE_REPLICA: replica });
  processes.push(p);
  await p.ready;
  return p;
}

describe('a job process', () => {
  it('killed with SIGKILL mid-batch and restarted, loses no event and counts none twice', async () => {
    const ns = `${names.redisPrefix}kill`;
    const group = `${names.id}-kill`;
    const count = 1_500;
    // Slow events, so the kill lands while batches are in flight.
    const expected = await publish('kill.events', 'kill', count, { slowMs: 3 });
    const first = await start('kill.events', ns, 'first', group);
    await eventually(async () => ((await counted(ns)).ids >= 300 ? true : undefined), 60_000, 'first progress');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(137);
    const atKill = await counted(ns);
    expect(atKill.ids).toBeLessThan(count);

    const second = await start('kill.events', ns, 'second', group);
    const done = await eventually(async () => {
      const c = await counted(ns);
      return c.ids === count ? c : undefined;
    }, 120_000, 'every event counted');
    expect(done.total).toBe(expected);
    expect(Number(done.byReplica.first) + Number(done.byReplica.second)).toBe(count);
    expect(Number(done.byReplica.second)).toBeGreaterThan(0);
    // At least once: events handled but not committed before the kill were delivered again (and
    // the ones in the handler's hands were cut half-way), yet the count stayed exact.
    expect(done.deliveries).toBeGreaterThan(count);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect((await counted(ns)).total).toBe(expected);
  });

  it('stopped with SIGTERM, exits 0 within the deadline with its work committed: nothing is delivered again', async () => {
    const ns = `${names.redisPrefix}term`;
    const group = `${names.id}-term`;
    const count = 800;
    const expected = await publish('term.events', 'term', count, { slowMs: 3 });
    const first = await start('term.events', ns, 'first', group);
    await eventually(async () => ((await counted(ns)).ids >= 150 ? true : undefined), 60_000, 'first progress');
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(Number(env.LERN_SHUTDOWN_DEADLINE_MS));
    expect(first.output()).not.toMatch(/deadline passed/);
    const atStop = await counted(ns);
    expect(atStop.ids).toBeLessThan(count);
    // Every delivery so far was counted: the in-flight event was finished, not dropped half-way.
    expect(atStop.deliveries).toBe(atStop.ids);

    const second = await start('term.events', ns, 'second', group);
    const done = await eventually(async () => {
      const c = await counted(ns);
      return c.ids === count ? c : undefined;
    }, 120_000, 'every event counted');
    expect(done.total).toBe(expected);
    expect(done.deliveries).toBe(count);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});

describe('three replicas', () => {
  it('share the partitions, and the survivors take over when one leaves', async () => {
    const ns = `${names.redisPrefix}shared`;
    const groupEnv = { ...env, LERN_JOB_GROUP_ID: `${names.id}-shared` };
    const replicas: RunningJob[] = [];
    for (const r of ['r1', 'r2', 'r3']) {
      const job = await runJob(fixtureJob({ topic: 'shared.events', ns, replica: r }), groupEnv, { port: 0, signals: false });
      replicas.push(job);
      running.push(job);
    }
    const assignments = await eventually(() => {
      const parts = replicas.map((j) => j.membership().assignment['shared.events'] ?? []);
      return Promise.resolve(parts.every((p) => p.length === 2) ? parts : undefined);
    }, 60_000, 'six partitions spread over three replicas');
    expect(assignments.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

    const count = 900;
    const firstHalf = await publish('shared.events', 'shared-a', count / 2, { slowMs: 2 });
    await eventually(async () => ((await counted(ns)).ids >= 150 ? true : undefined), 60_000, 'progress');
    // One replica leaves mid-stream (as in a scale-down or a rolling update).
    await replicas[2]!.stop();
    const survivors = replicas.slice(0, 2);
    await eventually(() => {
      const parts = survivors.map((j) => j.membership().assignment['shared.events'] ?? []);
      return Promise.resolve(parts.flat().length === 6 && parts.every((p) => p.length === 3) ? true : undefined);
    }, 60_000, 'partitions re-assigned to the survivors');
    const secondHalf = await publish('shared.events', 'shared-b', count / 2);
    const done = await eventually(async () => {
      const c = await counted(ns);
      return c.ids === count ? c : undefined;
    }, 120_000, 'every event counted');
    expect(done.total).toBe(firstHalf + secondHalf);
    const perReplica = Object.values(done.byReplica).map(Number);
    expect(perReplica.reduce((a, b) => a + b, 0)).toBe(count);
    expect(Object.keys(done.byReplica).sort()).toEqual(['r1', 'r2', 'r3']);
    for (const job of survivors) await job.stop();
  });
});
