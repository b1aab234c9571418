import { Kafka, logLevel, type Admin, type Producer, type IHeaders, type Message } from 'kafkajs';
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

/** Most bytes of message values and keys one produce request carries when concurrent sends are joined. */
const MAX_REQUEST_BYTES = 512 * 1024;

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

  // Sends to a topic made while a produce request for it is in flight go out together in the next
  // one (up to MAX_REQUEST_BYTES): the idempotent producer keeps one request in flight per broker
  // connection, so one request per send would cap a busy service at one send per broker round trip.
  type Waiting = { messages: Message[]; bytes: number; resolve: () => void; reject: (error: unknown) => void };
  const waiting = new Map<string, Waiting[]>();
  const flush = async (topic: string): Promise<void> => {
    for (let queue = waiting.get(topic); queue && queue.length > 0; queue = waiting.get(topic)) {
      let bytes = 0;
      let count = 0;
      while (count < queue.length && (count === 0 || bytes + queue[count]!.bytes <= MAX_REQUEST_BYTES)) bytes += queue[count++]!.bytes;
      const sends = queue.splice(0, count);
      try {
        const p = await getProducer();
        await p.send({ topic, acks: -1, messages: sends.flatMap((w) => w.messages) });
        for (const w of sends) w.resolve();
      } catch (error) {
        for (const w of sends) w.reject(error);
      }
    }
    waiting.delete(topic);
  };

  return {
    kafka,
    topic: (name) => `${config.topicPrefix}${name}`,
    send(name, messages) {
      const topic = `${config.topicPrefix}${name}`;
      const converted: Message[] = messages.map((m) => ({
        key: m.key ?? null,
        value: typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
        headers: m.headers,
      }));
      const bytes = converted.reduce((n, m) => n + Buffer.byteLength(m.value as string) + (m.key ? Buffer.byteLength(m.key as string) : 0), 0);
      return new Promise<void>((resolve, reject) => {
        const queue = waiting.get(topic);
        const entry = { messages: converted, bytes, resolve, reject };
        if (queue) queue.push(entry);
        else {
          waiting.set(topic, [entry]);
          void flush(topic);
        }
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
