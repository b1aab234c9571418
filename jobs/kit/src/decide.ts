/**
 * The pure decision after each attempt at an event: commit its offset, retry it in place after a
 * delay, or dead-letter it. Table-tested in test/decide.test.ts.
 *
 * Why retries happen in place (the partition waits) rather than on a retry topic: events of one key
 * keep their order, and the wait is bounded (maxAttempts with capped backoff), after which the event
 * is dead-lettered and the partition moves on, so a poison event never blocks it for long. A
 * dependency outage is different: every event would fail the same way, so dead-lettering would
 * empty the topic into the dead-letter topic. Outages are retried without limit (backoff capped at
 * maxDelayMs) and do not count as attempts; /readyz reports the store down meanwhile.
 */
import type { AttemptResult } from './outcome.ts';

/** How often and how patiently an event is retried. */
export interface RetryPolicy {
  /** Attempts (the first included) before an event that keeps failing is dead-lettered. @default 5 */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubles with each further one. @default 500 */
  initialDelayMs: number;
  /** Longest delay between attempts, also for a handler's own `retry(reason, delayMs)`. @default 30000 */
  maxDelayMs: number;
  /** Random spread of each delay, as a fraction (0.2: ±20 %), so replicas do not retry in step. @default 0.2 */
  jitter: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 5, initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.2 });

/** How an event has fared so far, counting the attempt just made. */
export interface AttemptCount {
  /** Attempts that failed because of the event (outcomes and ordinary errors). */
  attempts: number;
  /** Consecutive attempts that failed because a dependency was down. */
  outages: number;
}

/** What to do with the event now. */
export type Decision =
  | { action: 'commit' }
  | { action: 'retry'; delayMs: number; reason: string; outage: boolean }
  | { action: 'dead-letter'; reason: string };

/** Delay before retry number `n` (1-based): initial × 2^(n-1), capped, spread by ±jitter. */
export function backoffMs(n: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, n - 1));
  const spread = 1 + policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(base * spread)));
}

/** The attempt count after `result`: outages and event failures are counted apart. */
export function countAttempt(before: AttemptCount, result: AttemptResult): AttemptCount {
  if (result.kind === 'error' && result.dependencyDown) return { attempts: before.attempts, outages: before.outages + 1 };
  if (result.kind === 'outcome' && result.outcome.kind === 'done') return before;
  return { attempts: before.attempts + 1, outages: 0 };
}

/**
 * Decides after an attempt. `count` already includes this attempt (see {@link countAttempt}).
 * - done: commit.
 * - fail: dead-letter at once.
 * - retry, or an error thrown by the handler: retry after the handler's delay or the backoff, until
 *   `maxAttempts` attempts have failed; then dead-letter, naming the last reason.
 * - an error meaning a dependency is down: retry after the backoff, never dead-letter.
 */
export function decide(result: AttemptResult, count: AttemptCount, policy: RetryPolicy, random: () => number = Math.random): Decision {
  if (result.kind === 'error' && result.dependencyDown) {
    return { action: 'retry', delayMs: backoffMs(count.outages, policy, random), reason: result.message, outage: true };
  }
  let reason: string;
  let asked: number | undefined;
  if (result.kind === 'error') reason = result.message;
  else if (result.outcome.kind === 'done') return { action: 'commit' };
  else if (result.outcome.kind === 'fail') return { action: 'dead-letter', reason: result.outcome.reason };
  else ({ reason, delayMs: asked } = result.outcome);
  if (count.attempts >= policy.maxAttempts) return { action: 'dead-letter', reason: `gave up after ${count.attempts} attempts: ${reason}` };
  const delayMs = asked === undefined ? backoffMs(count.attempts, policy, random) : Math.max(0, Math.min(policy.maxDelayMs, asked));
  return { action: 'retry', delayMs, reason, outage: false };
}
