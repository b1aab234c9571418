/** What every Notification resource works with. Built once per app by {@link createDeps}. */
import { createOutbox, type CassandraConnector, type KafkaConnector, type Outbox, type OutboxTiming } from '@lern/kit';
import type { Adapters } from './delivery/adapter.ts';
import { FeedStore } from './feed/store.ts';
import type { NotificationOptions } from './options.ts';
import { TemplateStore } from './templates/store.ts';
import { KEYSPACE } from './feed/store.ts';

/** Logger used by the resources. Log ids, never addresses or message bodies. */
export interface ServiceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NotificationDeps {
  feed: FeedStore;
  templates: TemplateStore;
  /** Writes async sends and dead letters to Kafka (lms.notification, lms.notification.failed). */
  outbox: Outbox;
  adapters: Adapters;
  options: NotificationOptions;
  now(): Date;
  log: ServiceLog;
}

export interface DepsOptions {
  cassandra: CassandraConnector;
  kafka: KafkaConnector | null;
  adapters: Adapters;
  options: NotificationOptions;
  log: ServiceLog;
  now?: () => Date;
  outboxTiming?: Partial<OutboxTiming>;
}

export function createDeps(o: DepsOptions): NotificationDeps {
  return {
    feed: new FeedStore(o.cassandra),
    templates: new TemplateStore(o.cassandra),
    outbox: createOutbox({ cassandra: o.cassandra, keyspace: KEYSPACE, kafka: o.kafka, log: o.log, ...(o.outboxTiming ? { timing: o.outboxTiming } : {}) }),
    adapters: o.adapters,
    options: o.options,
    now: o.now ?? (() => new Date()),
    log: o.log,
  };
}
