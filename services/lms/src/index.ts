/**
 * @lern/lms: course batches, course structures, enrolment, progress and certificates
 * (`lern service lms`), on upstream lms-service's paths, envelope and `err` codes.
 *
 * Cassandra (keyspace `sunbird_courses`) is the source of truth; the `course-batch` index is written
 * through the outbox after each batch change and rebuilt by POST /v1/data/sync or `lern reindex`;
 * course structures are learnt from the content platform's post-publish events (a consumer in this
 * process) and cached in Redis; PostgreSQL holds report job requests. Callers and their grants come
 * from User-Org's `sunbird` keyspace (the kit's caller directory).
 */
import { addRoutes, defineService, type ServiceDefinition } from '@lern/kit';
import { batchRoutes } from './batches/routes.ts';
import { certificateTemplateRoutes } from './certificates/routes.ts';
import { createDeps } from './context.ts';
import { createStructureConsumer } from './courses/consumer.ts';
import { courseStructureRoutes } from './courses/routes.ts';
import { KIT_ERROR_CODES } from './errors.ts';
import { operationRoutes } from './operations/routes.ts';
import { enrolmentRoutes } from './enrolments/routes.ts';
import { progressRoutes } from './progress/routes.ts';
import { certificateIssueRoutes } from './certificates/issue.ts';
import { aggregateRoutes } from './aggregates/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { resolveOptions, type LmsServiceOptions } from './options.ts';

/** The LMS service with the given settings. */
export function createLmsService(given: LmsServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'lms',
    connectors: ['cassandra', 'search', 'redis', 'kafka', 'postgres'],
    primary: 'cassandra',
    errorCodes: KIT_ERROR_CODES,
    register(app, kit) {
      const options = resolveOptions(given);
      const deps = createDeps({
        cassandra: kit.connectors.cassandra!,
        search: kit.connectors.search!,
        redis: kit.connectors.redis ?? null,
        kafka: kit.connectors.kafka ?? null,
        log: kit.log,
        timeZone: options.timeZone,
        cachePrefix: options.cachePrefix,
        refreshIndex: options.refreshIndex,
        now: options.now,
        outboxTiming: options.outboxTiming,
      });
      deps.outbox.attach(app);
      // One line per resource.
      addRoutes(
        app,
        ...batchRoutes(deps),
        ...certificateTemplateRoutes(deps),
        ...courseStructureRoutes(deps),
        ...operationRoutes(deps),
        ...enrolmentRoutes(deps, kit.connectors.redis?.client ?? null),
        ...progressRoutes(deps, kit.connectors.redis?.client ?? null),
        ...certificateIssueRoutes(deps),
        ...aggregateRoutes(deps, kit.connectors.redis?.client ?? null),
        ...reportRoutes(deps, kit.connectors.postgres!, kit.config.encryptionKey),
      );
      if (options.consumeCourseStructures && kit.connectors.kafka) {
        const consumer = createStructureConsumer({
          kafka: kit.connectors.kafka,
          apply: (structure) => deps.structures.apply(structure, 'content-platform', null),
          log: kit.log,
          reconnectDelayMs: options.consumerReconnectDelayMs,
        });
        app.addHook('onReady', (done) => {
          consumer.start();
          done();
        });
        // Added after the connectors' plugins, so it stops before they close.
        app.addHook('onClose', async () => consumer.stop());
      }
    },
  });
}

/** The LMS service definition (`lern service lms`). */
export const service: ServiceDefinition = createLmsService();

export { createDeps, INDEX, type LmsDeps, type DepsOptions } from './context.ts';
export { BatchStore, KEYSPACE, type BatchRecord } from './batches/store.ts';
export { batchView, type BatchView } from './batches/view.ts';
export { CourseStructures } from './courses/structures.ts';
export { parseHierarchy, type CourseStructure } from './courses/hierarchy.ts';
export { LmsCache, CACHE_MAPS } from './cache.ts';
export { reindexCommand, REINDEX_HELP } from './reindex.ts';
export { resolveOptions, type LmsServiceOptions } from './options.ts';
