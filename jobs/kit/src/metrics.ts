/**
 * The metrics of one job, in a registry of its own (so several jobs in one test process do not
 * collide), served on /metrics with the process defaults.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The job's counters, histogram and gauges. */
export interface JobMetrics {
  registry: Registry;
  /** Events whose offset may be committed because the handler said done. */
  processed: Counter<'topic'>;
  /** Attempts that did not succeed, by `kind`: `retry`, `fail`, `error` or `outage`. */
  failed: Counter<'topic' | 'kind'>;
  /** Attempts scheduled again after a failure. */
  retried: Counter<'topic'>;
  /** Events sent to the dead-letter topic. */
  deadLettered: Counter<'topic'>;
  /** From the first attempt at an event to its commit or dead letter, retries included. */
  duration: Histogram<'topic'>;
  /** Messages between the last resolved offset and the partition's end, per assigned partition. */
  lag: Gauge<'topic' | 'partition'>;
  /** 1 while the consumer is a member of its group. */
  member: Gauge;
}

/** Creates the registry with the job's metrics and the process defaults. */
export function createJobMetrics(job: string): JobMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ job });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    processed: new Counter({ name: 'lern_job_events_processed_total', help: 'Events handled successfully (offset committable)', labelNames: ['topic'] as const, registers }),
    failed: new Counter({ name: 'lern_job_events_failed_total', help: 'Attempts at events that did not succeed, by kind (retry, fail, error, outage)', labelNames: ['topic', 'kind'] as const, registers }),
    retried: new Counter({ name: 'lern_job_events_retried_total', help: 'Attempts scheduled again after a failure', labelNames: ['topic'] as const, registers }),
    deadLettered: new Counter({ name: 'lern_job_events_dead_lettered_total', help: 'Events sent to the dead-letter topic', labelNames: ['topic'] as const, registers }),
    duration: new Histogram({
      name: 'lern_job_event_duration_seconds',
      help: 'Time from the first attempt at an event to its commit or dead letter',
      labelNames: ['topic'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    lag: new Gauge({ name: 'lern_job_consumer_lag', help: 'Messages not yet processed per assigned partition', labelNames: ['topic', 'partition'] as const, registers }),
    member: new Gauge({ name: 'lern_job_group_member', help: '1 while the consumer is a member of its consumer group', registers }),
  };
}
