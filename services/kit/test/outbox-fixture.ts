/**
 * Shared setup of the outbox integration tests: a keyspace migrated with the outbox CQL and a `doc`
 * table, a Kafka topic, a search index, loopback proxies in front of the real Kafka and
 * Elasticsearch, and a consumer that records what reaches the topic.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Kafka, logLevel, type Consumer, type ISocketFactory, type Producer } from 'kafkajs';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import {
  OUTBOX_CQL_PATH,
  createCassandra,
  createKafka,
  createOutbox,
  createSearch,
  discoverComponents,
  indexEntry,
  kafkaEntry,
  loadConfig,
  migrateCassandra,
  migrateKafka,
  type CassandraConnector,
  type LernConfig,
  type Outbox,
  type OutboxKafka,
  type OutboxOptions,
  type SearchConnector,
} from '@lern/kit';
import { makeRoot } from './fixtures.ts';
import { TcpProxy } from './outbox-proxy.ts';

export const TOPIC = 'docs.events';
export const INDEX = 'docs';

/** Short timings, so outages and retries fit in a test. */
export const TEST_TIMING = {
  requestDeliveryTimeoutMs: 500,
  relayGraceMs: 1_500,
  pollIntervalMs: 200,
  relayDeliveryTimeoutMs: 2_000,
  leaseTtlSeconds: 5,
  requestPathCooldownMs: 2_000,
  retry: { baseMs: 200, maxMs: 1_000, jitter: 0.2 },
} satisfies OutboxOptions['timing'];

/** A message as it reached the topic. */
export interface Received {
  key: string | null;
  value: string;
  partition: number;
  offset: string;
}

/**
 * A kafkajs producer whose every connection goes through the proxy. The broker advertises its own
 * address, so a client merely bootstrapped through a proxy would then talk to the broker directly
 * and a cut proxy would change nothing; the socket factory sends the bootstrap and the broker
 * connections alike to the proxy. Settings as the kit's KafkaConnector (idempotent, acks all).
 */
export function kafkaThroughProxy(proxy: TcpProxy, topicPrefix: string): OutboxKafka & { close(): Promise<void> } {
  const socketFactory: ISocketFactory = ({ onConnect }) => {
    const socket = connect({ host: proxy.host, port: proxy.port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  const kafka = new Kafka({
    clientId: 'outbox-test',
    brokers: [proxy.address],
    socketFactory,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
  });
  let producer: Promise<Producer> | undefined;
  const getProducer = (): Promise<Producer> => {
    if (!producer) {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      producer = p.connect().then(
        () => p,
        (error: unknown) => {
          producer = undefined;
          throw error;
        },
      );
    }
    return producer;
  };
  return {
    async send(topic, messages) {
      const p = await getProducer();
      await p.send({
        topic: `${topicPrefix}${topic}`,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key ?? null, value: typeof m.value === 'string' ? m.value : JSON.stringify(m.value), headers: m.headers })),
      });
    },
    async close() {
      const p = producer;
      producer = undefined;
      await (await p?.catch(() => undefined))?.disconnect();
    },
  };
}

export interface OutboxFixture {
  names: ReturnType<typeof testNames>;
  config: LernConfig;
  db: CassandraConnector;
  /** Elasticsearch directly, for assertions. */
  search: SearchConnector;
  /** Elasticsearch through esProxy, for the index handler. */
  proxiedSearch: SearchConnector;
  kafkaProxy: TcpProxy;
  esProxy: TcpProxy;
  kafka: OutboxKafka & { close(): Promise<void> };
  received: Received[];
  /** The `doc` index handler: writes the doc's search document from Cassandra, or deletes it. */
  reindexDoc(id: string): Promise<void>;
  /** A new outbox on the fixture's keyspace, Kafka and index handler (closed by close()). */
  outbox(options?: Partial<OutboxOptions>): Outbox;
  /** Writes (or deletes, with title null) a doc through the outbox, with its event and index update. */
  writeDoc(outbox: Outbox, id: string, title: string | null, version: number): Promise<{ event: string; result: Awaited<ReturnType<Outbox['write']>> }>;
  /** Undelivered outbox rows (kind, ref). */
  outboxRows(): Promise<{ kind: string | null; ref: string | null; attempts: number | null }[]>;
  close(): Promise<void>;
}

/** Waits until `check` passes (it throws while not), polling. */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export async function startOutboxFixture(fileUrl: string): Promise<OutboxFixture> {
  const names = testNames(fileUrl);
  const env = await requireServers(['cassandra', 'kafka', 'elasticsearch']);
  const config = loadConfig({
    ...env,
    LERN_CASSANDRA_KEYSPACE_PREFIX: `${names.keyspace}_`,
    LERN_KAFKA_TOPIC_PREFIX: names.topic,
    LERN_SEARCH_ENGINE: 'elasticsearch',
    LERN_SEARCH_INDEX_PREFIX: `${names.index}-`,
  });
  const root = makeRoot();
  root.write('services/alpha/migrations/cassandra/sunbird/V001__doc.cql', 'CREATE TABLE IF NOT EXISTS doc (id text PRIMARY KEY, title text, version int);\n');
  root.write('services/alpha/migrations/cassandra/sunbird/V002__outbox.cql', readFileSync(OUTBOX_CQL_PATH, 'utf8'));
  root.write('services/alpha/migrations/kafka/topics.yaml', `topics:\n  - name: ${TOPIC}\n    partitions: 3\n`);
  const components = await discoverComponents(root.root);
  await migrateCassandra({ config, components });
  await migrateKafka({ config, components });

  const db = createCassandra(config.cassandra);
  const search = createSearch(config.search);
  await search.request('PUT', `/${search.name(INDEX)}`, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { dynamic: false, properties: { title: { type: 'text' }, version: { type: 'integer' } } } });
  const kafkaProxy = new TcpProxy(config.kafka.brokers![0]!);
  const esProxy = new TcpProxy(new URL(config.search.urls![0]!).host);
  await kafkaProxy.start();
  await esProxy.start();
  const proxiedSearch = createSearch({ ...config.search, urls: [`http://${esProxy.address}`] });
  const kafka = kafkaThroughProxy(kafkaProxy, config.kafka.topicPrefix);

  const received: Received[] = [];
  const direct = new Kafka({ brokers: config.kafka.brokers!, logLevel: logLevel.NOTHING });
  const consumer: Consumer = direct.consumer({ groupId: `${names.id}-check`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic: `${config.kafka.topicPrefix}${TOPIC}`, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      received.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', partition, offset: message.offset });
      return Promise.resolve();
    },
  });

  const docTable = db.table('sunbird', 'doc');
  const outboxTable = db.table('sunbird', 'lern_outbox');
  const outboxes: Outbox[] = [];
  const reindexDoc = async (id: string): Promise<void> => {
    const row = (await db.execute(`SELECT title, version FROM ${docTable} WHERE id = ?`, [id])).first();
    if (!row) await proxiedSearch.delete(INDEX, id);
    else await proxiedSearch.index(INDEX, id, { title: row.get('title') as string, version: row.get('version') as number });
  };

  return {
    names,
    config,
    db,
    search,
    proxiedSearch,
    kafkaProxy,
    esProxy,
    kafka,
    received,
    reindexDoc,
    outbox(options = {}) {
      const outbox = createOutbox({ cassandra: db, keyspace: 'sunbird', kafka, indexHandlers: { doc: reindexDoc }, timing: TEST_TIMING, ...options });
      outboxes.push(outbox);
      return outbox;
    },
    async writeDoc(outbox, id, title, version) {
      const value = { id, title, version, at: Date.now() };
      const change =
        title === null
          ? { query: `DELETE FROM ${docTable} WHERE id = ?`, params: [id] }
          : { query: `INSERT INTO ${docTable} (id, title, version) VALUES (?, ?, ?)`, params: [id, title, version] };
      const event = kafkaEntry(TOPIC, id, value);
      const result = await outbox.write([change], [event, indexEntry('doc', id)]);
      return { event: event.value, result };
    },
    async outboxRows() {
      const rs = await db.execute(`SELECT kind, ref, attempts FROM ${outboxTable}`);
      return rs.rows.map((r) => ({ kind: r.get('kind') as string | null, ref: r.get('ref') as string | null, attempts: r.get('attempts') as number | null }));
    },
    async close() {
      await Promise.allSettled(outboxes.map((o) => o.close()));
      await consumer.disconnect().catch(() => undefined);
      await kafka.close().catch(() => undefined);
      await kafkaProxy.close();
      await esProxy.close();
      const cleanup = createKafka(config.kafka);
      await (await cleanup.admin()).deleteTopics({ topics: [`${config.kafka.topicPrefix}${TOPIC}`] }).catch(() => undefined);
      await cleanup.close();
      await search.request('DELETE', `/${search.name(INDEX)}`).catch(() => undefined);
      await db.execute(`DROP KEYSPACE IF EXISTS "${config.cassandra.keyspacePrefix}sunbird"`, [], { prepare: false });
      await Promise.allSettled([db.close(), search.close(), proxiedSearch.close()]);
    },
  };
}
