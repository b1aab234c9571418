import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigResourceTypes } from 'kafkajs';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createKafka, discoverComponents, loadConfig, migrateCommand, migrateKafka, type KafkaConnector, type LernConfig } from '@lern/kit';
import { makeRoot } from './fixtures.ts';

const names = testNames(import.meta.url);
let env: Record<string, string>;
let config: LernConfig;
let kafka: KafkaConnector;

beforeAll(async () => {
  env = await requireServers(['kafka']);
  config = loadConfig({ ...env, LERN_KAFKA_TOPIC_PREFIX: names.topic });
  kafka = createKafka(config.kafka);
});
afterAll(async () => {
  const admin = await kafka.admin();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(names.topic));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  await kafka.close();
});

async function describeTopic(topic: string): Promise<{ partitions: number; retention: string | undefined }> {
  const admin = await kafka.admin();
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
  return {
    partitions: meta.topics[0]!.partitions.length,
    retention: configs.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
  };
}

describe('kafka topic migrations', () => {
  const fixture = makeRoot();
  fixture.write(
    'services/alpha/migrations/kafka/topics.yaml',
    `topics:
  - name: user.events
    partitions: 2
    retentionMs: 86400000
  - name: delete.user
    partitions: 1
    config:
      cleanup.policy: delete
`,
  );
  fixture.write('jobs/beta/migrations/kafka/topics.yaml', 'topics:\n  - name: user.events\n    partitions: 2\n    retentionMs: 86400000\n');

  it('creates the prefixed topics with partitions and retention', async () => {
    const report = await migrateKafka({ config, components: await discoverComponents(fixture.root) });
    expect(report.applied.sort()).toEqual([`alpha ${names.topic}delete.user`, `beta ${names.topic}user.events`]);
    expect(await describeTopic(`${names.topic}user.events`)).toEqual({ partitions: 2, retention: '86400000' });
    expect((await describeTopic(`${names.topic}delete.user`)).partitions).toBe(1);
  });

  it('a second run changes nothing', async () => {
    const report = await migrateKafka({ config, components: await discoverComponents(fixture.root) });
    expect(report.applied).toEqual([]);
    expect(report.unchanged).toHaveLength(2);
  });

  it('raises partitions and updates retention', async () => {
    fixture.write('services/alpha/migrations/kafka/topics.yaml', 'topics:\n  - name: user.events\n    partitions: 4\n    retentionMs: 172800000\n');
    const report = await migrateKafka({ config, components: await discoverComponents(fixture.root, { services: ['alpha'] }) });
    expect(report.applied).toEqual([`alpha ${names.topic}user.events`]);
    expect(await describeTopic(`${names.topic}user.events`)).toEqual({ partitions: 4, retention: '172800000' });
    const again = await migrateKafka({ config, components: await discoverComponents(fixture.root, { services: ['alpha'] }) });
    expect(again.applied).toEqual([]);
  });

  it('fewer partitions than exist, or two components disagreeing, fail with a message', async () => {
    fixture.write('services/alpha/migrations/kafka/topics.yaml', 'topics:\n  - name: user.events\n    partitions: 1\n    retentionMs: 172800000\n');
    await expect(migrateKafka({ config, components: await discoverComponents(fixture.root, { services: ['alpha'] }) })).rejects.toThrow(/cannot remove partitions/);
    await expect(migrateKafka({ config, components: await discoverComponents(fixture.root) })).rejects.toThrow(/declared differently by alpha and beta/);
    const cliEnv = { ...env, LERN_KAFKA_TOPIC_PREFIX: names.topic };
    expect(await migrateCommand(['kafka', '--services', 'alpha'], cliEnv, fixture.root)).toBe(1);
    fixture.write('services/alpha/migrations/kafka/topics.yaml', 'topics:\n  - name: user.events\n    partitions: 4\n    retentionMs: 172800000\n');
    expect(await migrateCommand(['kafka', '--services=alpha'], cliEnv, fixture.root)).toBe(0);
  });

  it('the connector publishes to the prefixed topic', async () => {
    await kafka.send('user.events', [{ key: 'u1', value: { id: 'u1', op: 'create' } }]);
    const consumer = kafka.kafka.consumer({ groupId: `${names.id}-check` });
    await consumer.connect();
    await consumer.subscribe({ topic: kafka.topic('user.events'), fromBeginning: true });
    const received = await new Promise<string>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          resolve(message.value?.toString() ?? '');
          return Promise.resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(JSON.parse(received)).toEqual({ id: 'u1', op: 'create' });
  });
});
