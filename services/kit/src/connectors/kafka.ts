import { Kafka, logLevel, type Admin, type Producer, type IHeaders } from 'kafkajs';
import type { LernConfig } from '../config.ts';
import { withTimeout } from './cassandra.ts';

/** A message to publish; an object value is sent as JSON. */
export interface OutgoingMessage {
  key?: string | null;
  value: string | object;
  headers?: IHeaders;
}

/** Kafka with the kit's producer: idempotent, acks from all in-sync replicas, topic prefix. */
export interface KafkaConnector {
  readonly kafka: Kafka;
  /** The prefixed topic name: topic('user.events') -> 'dev.user.events'. */
  topic(name: string): string;
  /** Publishes to the (unprefixed) topic; connects the producer on first use. */
  send(name: string, messages: OutgoingMessage[]): Promise<void>;
  /** An admin client (connected), for migrations and checks; closed with the connector. */
  admin(): Promise<Admin>;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Creates the Kafka connector; nothing connects until the first send, admin or ping. */
export function createKafka(config: LernConfig['kafka'], options: { clientId?: string } = {}): KafkaConnector {
  if (!config.brokers) throw new Error('LERN_KAFKA_BROKERS is not set');
  const kafka = new Kafka({
    clientId: options.clientId ?? 'lern',
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
  let producer: Promise<Producer> | undefined;
  let adminClient: Promise<Admin> | undefined;

  // A failed connect is forgotten so the next call tries again (the broker may be back).
  const connected = <T extends { connect(): Promise<void> }>(make: () => T, reset: () => void): Promise<T> => {
    const client = make();
    return client.connect().then(
      () => client,
      (error: unknown) => {
        reset();
        throw error;
      },
    );
  };
  const getProducer = (): Promise<Producer> =>
    (producer ??= connected(
      () => kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }),
      () => (producer = undefined),
    ));
  const getAdmin = (): Promise<Admin> => (adminClient ??= connected(() => kafka.admin(), () => (adminClient = undefined)));

  return {
    kafka,
    topic: (name) => `${config.topicPrefix}${name}`,
    async send(name, messages) {
      const p = await getProducer();
      await p.send({
        topic: `${config.topicPrefix}${name}`,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key ?? null,
          value: typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
          headers: m.headers,
        })),
      });
    },
    admin: getAdmin,
    async ping(timeoutMs = 5_000) {
      const admin = await withTimeout(getAdmin(), timeoutMs, 'Kafka');
      await withTimeout(admin.describeCluster(), timeoutMs, 'Kafka');
    },
    async close() {
      const pending = [producer, adminClient];
      producer = undefined;
      adminClient = undefined;
      await Promise.all(pending.map(async (c) => (c ? (await c.catch(() => undefined))?.disconnect() : undefined)));
    },
  };
}
