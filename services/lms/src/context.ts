/**
 * What every LMS resource works with: the stores, the search index, the cache, the outbox that
 * writes a change together with its index updates and events, and the installation's clock and time
 * zone. Built once per app by {@link createDeps}.
 */
import { createOutbox, type CassandraConnector, type KafkaConnector, type Outbox, type OutboxTiming, type RedisConnector, type SearchConnector } from '@lern/kit';
import { BatchStore } from './batches/store.ts';
import { EnrolmentParticipants, type ParticipantReader } from './batches/participants.ts';
import { indexBatch } from './batches/indexer.ts';
import { LmsCache } from './cache.ts';
import { CourseStructureStore } from './courses/store.ts';
import { CourseStructures } from './courses/structures.ts';
import { dateIn, type CalendarDate } from './dates.ts';
import { Directory } from './directory.ts';

/** Search aliases (without LERN_SEARCH_INDEX_PREFIX) and outbox index targets. */
export const INDEX = { batch: 'course-batch' } as const;

/** Logger used by the resources. Log ids, never personal data. */
export interface ServiceLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The dependencies of the LMS resources. */
export interface LmsDeps {
  db: CassandraConnector;
  search: SearchConnector;
  kafka: KafkaConnector | null;
  cache: LmsCache;
  outbox: Outbox;
  batches: BatchStore;
  structures: CourseStructures;
  directory: Directory;
  /** A batch's participants (from the enrolments). */
  participants: ParticipantReader;
  /** IANA zone of the installation's calendar (upstream's sunbird_time_zone). */
  timeZone: string;
  now(): Date;
  /** Today's date in {@link timeZone}. */
  today(): CalendarDate;
  /** Refresh the index after each write so the next search sees it (tests). */
  refreshIndex: boolean;
  log: ServiceLog;
}

/** Options of createDeps. */
export interface DepsOptions {
  cassandra: CassandraConnector;
  search: SearchConnector;
  redis: RedisConnector | null;
  kafka: KafkaConnector | null;
  log: ServiceLog;
  /** @default 'UTC' */
  timeZone?: string;
  /** Redis key prefix of the cache maps. @default 'lms:' */
  cachePrefix?: string;
  /** @default false */
  refreshIndex?: boolean;
  /** @default () => new Date() */
  now?: () => Date;
  /** Outbox timing (tests shorten it). */
  outboxTiming?: Partial<OutboxTiming>;
}

/** Builds the resources' dependencies from connectors. */
export function createDeps(options: DepsOptions): LmsDeps {
  const timeZone = options.timeZone ?? 'UTC';
  const now = options.now ?? (() => new Date());
  const cache = new LmsCache(options.redis?.client ?? null, options.cachePrefix ?? 'lms:', options.log);
  const deps: LmsDeps = {
    db: options.cassandra,
    search: options.search,
    kafka: options.kafka,
    cache,
    outbox: createOutbox({
      cassandra: options.cassandra,
      keyspace: 'sunbird_courses',
      kafka: options.kafka,
      // Called only after a write, when `deps` is complete.
      indexHandlers: { [INDEX.batch]: (batchId) => indexBatch(deps, batchId) },
      log: options.log,
      timing: options.outboxTiming,
    }),
    batches: new BatchStore(options.cassandra, timeZone),
    structures: new CourseStructures(new CourseStructureStore(options.cassandra), cache, now),
    directory: new Directory(options.cassandra),
    participants: new EnrolmentParticipants(options.cassandra),
    timeZone,
    now,
    today: () => dateIn(now(), timeZone),
    refreshIndex: options.refreshIndex ?? false,
    log: options.log,
  };
  return deps;
}
