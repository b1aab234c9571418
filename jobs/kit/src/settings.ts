/**
 * Settings only jobs read (everything else, connections, ports and the shutdown deadline, is the
 * service kit's LernConfig). Pure: parsed from an environment map.
 */
import { ConfigError, type Env } from '@lern/kit';
import type { RetryPolicy } from './decide.ts';

/** A job's consumer and retry settings. */
export interface JobSettings {
  /** Consumer group id. @default `<LERN_KAFKA_TOPIC_PREFIX><job name>` */
  groupId: string | undefined;
  /** Partitions processed at the same time. @default 4 */
  concurrency: number;
  /** The group coordinator evicts a member silent for this long. @default 30000 */
  sessionTimeoutMs: number;
  /** Overrides of the job's retry policy. */
  retry: Partial<RetryPolicy>;
  /** How long run-once keys are remembered. @default 604800 (7 days) */
  dedupTtlSeconds: number;
}

/** The variables, for documentation: name, default, meaning. */
export const JOB_VARIABLES: readonly { name: string; default: string; description: string }[] = [
  { name: 'LERN_JOB_GROUP_ID', default: '<LERN_KAFKA_TOPIC_PREFIX><job>', description: 'Kafka consumer group of the job.' },
  { name: 'LERN_JOB_CONCURRENCY', default: '4', description: 'Partitions a replica processes at the same time (events of one partition are always handled in order).' },
  { name: 'LERN_JOB_SESSION_TIMEOUT_MS', default: '30000', description: 'Consumer session timeout: a replica silent this long loses its partitions to the others.' },
  { name: 'LERN_JOB_MAX_ATTEMPTS', default: '5', description: 'Attempts at a failing event before it is dead-lettered to <topic>.failed (outages do not count).' },
  { name: 'LERN_JOB_RETRY_INITIAL_MS', default: '500', description: 'Delay after the first failed attempt; doubles per attempt.' },
  { name: 'LERN_JOB_RETRY_MAX_MS', default: '30000', description: 'Longest delay between attempts.' },
  { name: 'LERN_JOB_DEDUP_TTL_SECONDS', default: '604800', description: 'How long run-once keys (effects that are not idempotent) are remembered in Redis.' },
];

function whole(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** Reads the LERN_JOB_* variables; throws ConfigError naming the first bad one. */
export function loadJobSettings(env: Env): JobSettings {
  const groupId = env.LERN_JOB_GROUP_ID?.trim() || undefined;
  if (groupId !== undefined && !/^[A-Za-z0-9._-]{1,200}$/.test(groupId)) throw new ConfigError('LERN_JOB_GROUP_ID', `expected letters, digits, ".", "_" or "-", got "${groupId}"`);
  const retry: Partial<RetryPolicy> = {};
  const maxAttempts = whole(env, 'LERN_JOB_MAX_ATTEMPTS', 1, 1_000);
  const initialDelayMs = whole(env, 'LERN_JOB_RETRY_INITIAL_MS', 0, 3_600_000);
  const maxDelayMs = whole(env, 'LERN_JOB_RETRY_MAX_MS', 0, 3_600_000);
  if (maxAttempts !== undefined) retry.maxAttempts = maxAttempts;
  if (initialDelayMs !== undefined) retry.initialDelayMs = initialDelayMs;
  if (maxDelayMs !== undefined) retry.maxDelayMs = maxDelayMs;
  return {
    groupId,
    concurrency: whole(env, 'LERN_JOB_CONCURRENCY', 1, 256) ?? 4,
    // Kafka brokers refuse sessions shorter than group.min.session.timeout.ms (6 s by default).
    sessionTimeoutMs: whole(env, 'LERN_JOB_SESSION_TIMEOUT_MS', 6_000, 3_600_000) ?? 30_000,
    retry,
    dedupTtlSeconds: whole(env, 'LERN_JOB_DEDUP_TTL_SECONDS', 1, 31_536_000) ?? 604_800,
  };
}
