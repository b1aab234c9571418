/**
 * user-cache-updater against real Kafka and Redis: User-Org's change events and AUDIT telemetry
 * drop the cached user view and caller of the user they name, and nothing else; unreadable events
 * are dead-lettered; a replay changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerCacheKey, createKafka, createRedis, discoverComponents, loadConfig, migrateKafka, repoRoot, type KafkaConnector, type RedisConnector } from '@lern/kit';
import { runJob, type RunningJob } from '@lern/job-kit';
import { toChangeEvent, toUserEvent, USER_EVENTS_TOPIC, userCacheKey } from '@lern/userorg';
import { AUDIT_TOPIC, job, userCacheKeys } from '../src/index.ts';
import { deleteSuiteTopics, eventually, metricValue, readAll, suiteEnv } from '../../kit/test/helpers.ts';

let env: Record<string, string>;
let names: Awaited<ReturnType<typeof suiteEnv>>['names'];
let kafka: KafkaConnector;
let redis: RedisConnector;
let running: RunningJob | undefined;
const system = { id: 'system', type: 'System' } as const;
const [changed, audited, untouched] = [randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  ({ env, names } = await suiteEnv(import.meta.url, ['kafka', 'redis']));
  const config = loadConfig(env);
  await migrateKafka({ config, components: await discoverComponents(repoRoot(), { services: ['userorg'], jobs: ['user-cache-updater'] }) });
  kafka = createKafka(config.kafka);
  redis = createRedis(config.redis);
});

afterAll(async () => {
  await running?.stop();
  await deleteSuiteTopics(kafka, names.topic);
  await kafka.close();
  await redis.close();
});

const cached = async (id: string): Promise<number> => redis.client.exists(...userCacheKeys(id));
const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => metricValue(await (await fetch(`${running!.url}/metrics`)).text(), name, labels);

describe('user-cache-updater', () => {
  it('drops the entries of the user each event names, and dead-letters what it cannot read', async () => {
    for (const id of [changed, audited, untouched]) {
      await redis.client.set(userCacheKey(id), '{"stale":true}', 'EX', 600);
      await redis.client.set(callerCacheKey(id), '{"status":"active","grants":[]}', 'EX', 600);
    }
    const change = toUserEvent('update', { id: changed }, system, ['firstName']);
    const org = toChangeEvent({ action: 'update', objectType: 'Organisation', objectId: untouched, actor: system, changedFields: ['orgName'] });
    await kafka.send(USER_EVENTS_TOPIC, [
      { key: change.key, value: change.value },
      { key: org.key, value: org.value },
      { key: 'garbage', value: 'not an event' },
    ]);
    await kafka.send(AUDIT_TOPIC, [{ key: audited, value: { eid: 'AUDIT', ets: Date.now(), object: { id: audited, type: 'User' }, edata: { state: 'Update', props: ['phone'] } } }]);
    running = await runJob(job, env, { port: 0, signals: false });
    await eventually(async () => ((await metric('lern_job_events_processed_total')) === 3 ? true : undefined), 60_000, 'events processed');
    expect(await cached(changed)).toBe(0);
    expect(await cached(audited)).toBe(0);
    // An organisation's id is not a user's: its namesake user keeps its entries.
    expect(await cached(untouched)).toBe(2);

    const letters = await readAll(kafka, 'user.events.failed');
    expect(letters).toHaveLength(1);
    expect(letters[0]!.value!.toString()).toBe('not an event');
    expect(letters[0]!.headers!['lern-error']!.toString()).toBe('not a user change event: not JSON');
    expect(await metric('lern_job_events_dead_lettered_total', { topic: USER_EVENTS_TOPIC })).toBe(1);
  });

  it('a replayed batch leaves Redis and the dead-letter topic as they were', async () => {
    const groupId = running!.groupId;
    await running!.stop();
    const admin = await kafka.admin();
    for (const topic of [USER_EVENTS_TOPIC, AUDIT_TOPIC]) await admin.resetOffsets({ groupId, topic: kafka.topic(topic), earliest: true });
    running = await runJob(job, env, { port: 0, signals: false });
    await eventually(async () => ((await metric('lern_job_events_processed_total')) === 3 ? true : undefined), 60_000, 'events processed again');
    expect([await cached(changed), await cached(audited), await cached(untouched)]).toEqual([0, 0, 2]);
    expect(await readAll(kafka, 'user.events.failed')).toHaveLength(1);
  });
});
