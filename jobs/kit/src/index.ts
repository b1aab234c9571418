/**
 * @lern/job-kit: the runtime every Lern job shares. A job declares its topics, connectors and a
 * handler returning an Outcome per event; the kit consumes at least once, retries with bounded
 * backoff, dead-letters to `<topic>.failed`, and serves /livez, /readyz, /health and /metrics.
 * See ../API.md.
 */
export { done, retry, fail, type Outcome, type Done, type Retry, type Fail, type AttemptResult } from './outcome.ts';
export { decide, backoffMs, countAttempt, DEFAULT_RETRY_POLICY, type RetryPolicy, type AttemptCount, type Decision } from './decide.ts';
export { defineJob, errorMessage, errorResult, type Job, type JobDefinition, type JobEvent, type JobRuntime, type JobContext, type BoundJob } from './define.ts';
export { createDeduplicator, type Deduplicator, type DeduplicatorOptions, type OnceResult, type RedisCommand } from './dedup.ts';
export { toDeadLetter, deadLetterTopic, DEAD_LETTER_SUFFIX, DEAD_LETTER_HEADERS, type DeadLetter, type Failure } from './dead-letter.ts';
export { processBatch, toJobEvent, type SourceBatch, type SourceMessage, type PartitionDeps, type LoopLog } from './partition.ts';
export { createKafkaSource, createDeadLetterProducer, isMember, type MessageSource, type Membership, type KafkaSourceOptions, type DeadLetterProducer } from './consumer.ts';
export { createJobMetrics, type JobMetrics } from './metrics.ts';
export { startProbeServer, readiness, type Readiness, type ProbeServer, type ProbeServerOptions } from './http.ts';
export { loadJobSettings, JOB_VARIABLES, type JobSettings } from './settings.ts';
export { runJob, type RunJobOptions, type RunningJob } from './run.ts';
