/* eslint-disable @typescript-eslint/no-explicit-any -- Kafka messages are untyped JSON that the assertions walk */
/**
 * Fixture of the enrolment, progress, certificate issue, aggregate and report suites: the LMS
 * fixture (helpers.ts: isolated names, migrations, seeding, tokens) with the app rebuilt from
 * {@link learnerService} — the service's resources plus these ones — optionally with its Kafka
 * reached through a loopback proxy the suite can cut, and a consumer recording what reaches the
 * topics. Outbox timings are short, so a cut Kafka is retried within a test.
 */
import { connect } from 'node:net';
import { Kafka, logLevel, type Admin, type Consumer, type ISocketFactory, type Producer } from 'kafkajs';
import { addRoutes, createApp, createPostgres, defineService, withTimeout, type KafkaConnector, type LernApp, type PostgresConnector, type OutboxTiming, type ServiceDefinition } from '@lern/kit';
import { TcpProxy } from '../../kit/test/outbox-proxy.ts';
import { aggregateRoutes } from '../src/aggregates/routes.ts';
import { batchRoutes } from '../src/batches/routes.ts';
import { certificateIssueRoutes } from '../src/certificates/issue.ts';
import { certificateTemplateRoutes } from '../src/certificates/routes.ts';
import { createDeps } from '../src/context.ts';
import { courseStructureRoutes } from '../src/courses/routes.ts';
import { enrolmentRoutes } from '../src/enrolments/routes.ts';
import { KIT_ERROR_CODES } from '../src/errors.ts';
import { operationRoutes } from '../src/operations/routes.ts';
import { progressRoutes } from '../src/progress/routes.ts';
import { reportRoutes } from '../src/reports/routes.ts';
import { startFixture, type Fixture } from './helpers.ts';

/** Short outbox timings (as the kit's outbox suites use). */
export const TEST_TIMING: Partial<OutboxTiming> = {
  requestDeliveryTimeoutMs: 500,
  relayGraceMs: 1_500,
  pollIntervalMs: 200,
  relayDeliveryTimeoutMs: 2_000,
  leaseTtlSeconds: 5,
  requestPathCooldownMs: 2_000,
  retry: { baseMs: 200, maxMs: 1_000, jitter: 0.2 },
};

/**
 * The LMS service with every resource: what `createLmsService` registers plus enrolment, progress,
 * certificate issue, aggregates and reports, each registered by its one line.
 */
export function learnerService(options: { cachePrefix: string; outboxTiming?: Partial<OutboxTiming>; now?: () => Date }): ServiceDefinition {
  return defineService({
    name: 'lms',
    connectors: ['cassandra', 'search', 'redis', 'kafka', 'postgres'],
    primary: 'cassandra',
    errorCodes: KIT_ERROR_CODES,
    register(app, kit) {
      const deps = createDeps({
        cassandra: kit.connectors.cassandra!,
        search: kit.connectors.search!,
        redis: kit.connectors.redis ?? null,
        kafka: kit.connectors.kafka ?? null,
        log: kit.log,
        timeZone: 'UTC',
        cachePrefix: options.cachePrefix,
        refreshIndex: true,
        now: options.now,
        outboxTiming: options.outboxTiming,
      });
      deps.outbox.attach(app);
      const redis = kit.connectors.redis?.client ?? null;
      addRoutes(
        app,
        ...batchRoutes(deps),
        ...certificateTemplateRoutes(deps),
        ...courseStructureRoutes(deps),
        ...operationRoutes(deps),
        ...enrolmentRoutes(deps, redis),
        ...progressRoutes(deps, redis),
        ...certificateIssueRoutes(deps),
        ...aggregateRoutes(deps, redis),
        ...reportRoutes(deps, kit.connectors.postgres!, kit.config.encryptionKey),
      );
    },
  });
}

/**
 * A Kafka connector whose every connection goes through `proxy`: the broker advertises its own
 * address, so only a socket factory sends the broker connections (not just the bootstrap) to the
 * proxy, which makes cutting it an outage.
 */
export function kafkaThrough(proxy: TcpProxy, topicPrefix: string): KafkaConnector {
  const socketFactory: ISocketFactory = ({ onConnect }) => {
    const socket = connect({ host: proxy.host, port: proxy.port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  const kafka = new Kafka({
    clientId: 'lms-outage-test',
    brokers: [proxy.address],
    socketFactory,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
  });
  let producer: Promise<Producer> | undefined;
  let admin: Promise<Admin> | undefined;
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
  const getAdmin = (): Promise<Admin> => {
    if (!admin) {
      const a = kafka.admin();
      admin = a.connect().then(
        () => a,
        (error: unknown) => {
          admin = undefined;
          throw error;
        },
      );
    }
    return admin;
  };
  return {
    kafka,
    topic: (name) => `${topicPrefix}${name}`,
    async send(name, messages) {
      const p = await getProducer();
      await p.send({
        topic: `${topicPrefix}${name}`,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key ?? null, value: typeof m.value === 'string' ? m.value : JSON.stringify(m.value), headers: m.headers })),
      });
    },
    admin: getAdmin,
    async ping(timeoutMs = 2_000) {
      await withTimeout(getAdmin().then((a) => a.describeCluster()), timeoutMs, 'Kafka');
    },
    async close() {
      const pending = [producer, admin];
      producer = undefined;
      admin = undefined;
      await Promise.allSettled(pending.map(async (c) => (await c?.catch(() => undefined))?.disconnect()));
    },
  };
}

/** A message as it reached a topic. */
export interface Received {
  topic: string;
  key: string | null;
  value: any;
}

/** The learner suites' fixture. */
export interface LearnerFixture extends Fixture {
  /** Messages received on the recorded topics (unprefixed topic names), in arrival order. */
  received: Received[];
  /** The proxy in front of Kafka (with `viaProxy`). */
  kafkaProxy?: TcpProxy;
  /** PostgreSQL on the file's schema (the one the app uses). */
  pg: PostgresConnector;
  /** Messages of a topic matching `where`. */
  messages(topic: string, where?: (m: Received) => boolean): Received[];
}

/** Starts the LMS fixture and rebuilds the app with every resource; records `topics`. */
export async function startLearnerFixture(fileUrl: string, opts: { topics: string[]; viaProxy?: boolean; now?: () => Date }): Promise<LearnerFixture> {
  const base = await startFixture(fileUrl, { consumeCourseStructures: false });
  // The base app is replaced: one outbox relay only (the suite's), so a cut Kafka is an outage.
  await base.app.close();
  let kafkaProxy: TcpProxy | undefined;
  let proxied: KafkaConnector | undefined;
  if (opts.viaProxy) {
    kafkaProxy = new TcpProxy(base.config.kafka.brokers![0]!);
    await kafkaProxy.start();
    proxied = kafkaThrough(kafkaProxy, base.config.kafka.topicPrefix);
  }
  // PostgreSQL: the file's own schema (report requests), through the connection's search_path.
  const pgAdmin = createPostgres(base.config.postgres);
  await pgAdmin.query(`CREATE SCHEMA IF NOT EXISTS ${base.names.sql}`);
  const pgUrl = base.config.postgres.url!;
  const config = {
    ...base.config,
    postgres: { ...base.config.postgres, url: `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${base.names.sql}`)}` },
  };
  const app: LernApp = await createApp({
    service: learnerService({ cachePrefix: base.names.redisPrefix, outboxTiming: TEST_TIMING, now: opts.now }),
    config,
    ...(proxied ? { connectors: { kafka: proxied } } : {}),
    logger: false,
  });
  await app.ready();
  const pg = createPostgres(config.postgres);

  const received: Received[] = [];
  const consumer: Consumer = base.kafka.kafka.consumer({ groupId: `${base.names.id}-check`, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  if (opts.topics.length > 0) {
    await consumer.connect();
    await consumer.subscribe({ topics: opts.topics.map((t) => base.kafka.topic(t)), fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, message }) => {
        const text = message.value?.toString() ?? '';
        let value: unknown = text;
        try {
          value = JSON.parse(text);
        } catch {
          // kept as text
        }
        received.push({ topic: topic.slice(base.config.kafka.topicPrefix.length), key: message.key?.toString() ?? null, value });
        return Promise.resolve();
      },
    });
  }

  return {
    ...base,
    app,
    config,
    pg,
    received,
    kafkaProxy,
    messages: (topic, where = () => true) => received.filter((m) => m.topic === topic && where(m)),
    async close() {
      await app.close();
      await consumer.disconnect().catch(() => undefined);
      await proxied?.close();
      await kafkaProxy?.close();
      await pg.close();
      // Leave nothing behind on the shared servers: the file's keyspaces, topics and schema.
      const prefix = base.config.cassandra.keyspacePrefix;
      for (const ks of ['sunbird', 'sunbird_courses', 'sunbird_groups']) {
        await base.db.execute(`DROP KEYSPACE IF EXISTS "${prefix}${ks}"`, [], { prepare: false, readTimeout: 60_000 }).catch(() => undefined);
      }
      const admin = await base.kafka.admin().catch(() => undefined);
      const topics = (await admin?.listTopics().catch(() => [] as string[])) ?? [];
      const own = topics.filter((t) => t.startsWith(base.config.kafka.topicPrefix));
      if (own.length > 0) await admin?.deleteTopics({ topics: own }).catch(() => undefined);
      await pgAdmin.query(`DROP SCHEMA IF EXISTS ${base.names.sql} CASCADE`).catch(() => undefined);
      await pgAdmin.close();
      await base.close();
    },
  };
}
