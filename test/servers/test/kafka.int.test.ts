import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers, testNames } from '../../setup/servers-env.ts';
import { kafkaDescribeCluster } from '../src/servers/kafka.ts';

const names = testNames(import.meta.url);
let env: Record<string, string>;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  env = await requireServers(['kafka']);
  kafka = new Kafka({ clientId: names.id, brokers: env.LERN_KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING, connectionTimeout: 5_000 });
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  const leftovers = (await admin.listTopics()).filter((t) => t.startsWith(names.topic));
  if (leftovers.length > 0) await admin.deleteTopics({ topics: leftovers });
  await admin.disconnect();
});

/** Resolves once `check` is true, polling; fails with `what` after the deadline. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('kafka', () => {
  it('is one KRaft node that never creates topics on demand', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
    expect(cluster.controller).toBe(cluster.brokers[0]!.nodeId);
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(cluster.brokers[0]!.nodeId), configNames: ['auto.create.topics.enable'] }],
    });
    expect(resources[0]!.configEntries.map((e) => [e.configName, e.configValue])).toEqual([['auto.create.topics.enable', 'false']]);
  });

  it('describes the same cluster to the start-up probe (raw protocol) as to kafkajs', async () => {
    const port = Number(env.LERN_KAFKA_BROKERS!.split(':').at(-1));
    const [raw, viaClient] = await Promise.all([kafkaDescribeCluster(port), admin.describeCluster()]);
    expect(raw).toEqual({
      clusterId: viaClient.clusterId,
      controllerId: viaClient.controller,
      brokers: viaClient.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })),
    });
    expect(raw!.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('creates a topic, produces idempotently with acks=all, consumes in a group, commits offsets, deletes the topic', async () => {
    const topic = `${names.topic}course.batch.updater`;
    const groupId = `${names.id}-group`;
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
    expect(await admin.listTopics()).toContain(topic);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `user-${i % 4}`, value: JSON.stringify({ eid: 'BE_JOB_REQUEST', seq: i }) }));
    const acks = await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);
    expect(acks.map((a) => a.partition).sort()).toEqual([0, 1]);

    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    const received: { key: string; seq: number; partition: number }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message, partition }) => {
        received.push({ key: message.key!.toString(), seq: (JSON.parse(message.value!.toString()) as { seq: number }).seq, partition });
        return Promise.resolve();
      },
    });
    await eventually('all messages consumed', () => received.length >= sent.length);
    await consumer.disconnect();

    expect(received.map((r) => r.seq).sort((a, b) => a - b)).toEqual(sent.map((_, i) => i));
    // One key always lands on one partition.
    const partitionOfKey = new Map<string, Set<number>>();
    for (const r of received) partitionOfKey.set(r.key, (partitionOfKey.get(r.key) ?? new Set()).add(r.partition));
    expect([...partitionOfKey.values()].every((s) => s.size === 1)).toBe(true);

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const topicEnd = await admin.fetchTopicOffsets(topic);
    expect(committed!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(topicEnd.map((p) => [p.partition, p.high]).sort());
    expect(committed!.partitions.reduce((n, p) => n + Number(p.offset), 0)).toBe(sent.length);

    await admin.deleteTopics({ topics: [topic] });
    await eventually('topic gone from the topic list', async () => !(await admin.listTopics()).includes(topic), 30_000);
  });
});
