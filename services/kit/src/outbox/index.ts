/** The transactional outbox (see ../../API.md, "Outbox"). */
export { createOutbox, DEFAULT_OUTBOX_TIMING, type Outbox, type OutboxOptions, type OutboxTiming, type OutboxWriteResult } from './outbox.ts';
export { kafkaEntry, indexEntry, destinationOf, type CqlStatement, type OutboxEntry, type KafkaEntry, type IndexEntry, type StoredEntry } from './entries.ts';
export type { IndexHandler, OutboxKafka, OutboxLog } from './deliver.ts';
export type { OutboxBacklog, RelayPassReport } from './relay.ts';
export { OUTBOX_CQL_PATH, OUTBOX_TABLES, OUTBOX_BUCKETS, OUTBOX_SLICE_MS } from './schema.ts';
export {
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
  afterFailure,
  planBucket,
  groupDeliveries,
  isBacklog,
  nextCursor,
  slicesToRead,
  rememberScan,
  leaseStep,
  shouldTryFastPath,
  bucketOf,
  orderingKeyOf,
  sliceOf,
  type RetryPolicy,
  type BucketPlan,
  type DeliveryGroup,
  type LeaseStep,
  type FastPathState,
  type ScanMemory,
  type SliceRead,
} from './decide.ts';
