/** The commit / retry / dead-letter decision and its backoff, as tables. */
import { describe, expect, it } from 'vitest';
import { backoffMs, countAttempt, decide, done, fail, retry, type AttemptCount, type AttemptResult, type Decision, type RetryPolicy } from '../src/index.ts';

const policy: RetryPolicy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, jitter: 0 };
const outcome = (o: ReturnType<typeof done | typeof retry | typeof fail>): AttemptResult => ({ kind: 'outcome', outcome: o });
const error = (message: string, dependencyDown = false): AttemptResult => ({ kind: 'error', message, dependencyDown });
const count = (attempts: number, outages = 0): AttemptCount => ({ attempts, outages });

describe('decide', () => {
  const table: [string, AttemptResult, AttemptCount, Decision][] = [
    ['done commits', outcome(done()), count(0), { action: 'commit' }],
    ['done commits even after earlier failures', outcome(done()), count(2, 3), { action: 'commit' }],
    ['fail dead-letters at once, with its reason', outcome(fail('bad shape')), count(1), { action: 'dead-letter', reason: 'bad shape' }],
    ['retry waits the first backoff', outcome(retry('busy')), count(1), { action: 'retry', delayMs: 100, reason: 'busy', outage: false }],
    ['retry doubles the backoff', outcome(retry('busy')), count(2), { action: 'retry', delayMs: 200, reason: 'busy', outage: false }],
    ['retry with its own delay', outcome(retry('later', 750)), count(1), { action: 'retry', delayMs: 750, reason: 'later', outage: false }],
    ['a retry delay is capped by the policy', outcome(retry('much later', 60_000)), count(1), { action: 'retry', delayMs: 1_000, reason: 'much later', outage: false }],
    ['a negative retry delay is none', outcome(retry('now', -5)), count(1), { action: 'retry', delayMs: 0, reason: 'now', outage: false }],
    ['retry at the last attempt dead-letters', outcome(retry('busy')), count(3), { action: 'dead-letter', reason: 'gave up after 3 attempts: busy' }],
    ['a thrown error retries like retry', error('TypeError: x is undefined'), count(1), { action: 'retry', delayMs: 100, reason: 'TypeError: x is undefined', outage: false }],
    ['a thrown error at the last attempt dead-letters', error('TypeError: x'), count(3), { action: 'dead-letter', reason: 'gave up after 3 attempts: TypeError: x' }],
    ['an outage retries with backoff by outages', error('NoHostAvailableError', true), count(0, 3), { action: 'retry', delayMs: 400, reason: 'NoHostAvailableError', outage: true }],
    ['an outage never dead-letters', error('ECONNREFUSED', true), count(99, 50), { action: 'retry', delayMs: 1_000, reason: 'ECONNREFUSED', outage: true }],
  ];
  for (const [name, result, c, expected] of table) {
    it(name, () => expect(decide(result, c, policy, () => 0.5)).toEqual(expected));
  }

  it('a single attempt policy dead-letters the first failure', () => {
    expect(decide(outcome(retry('x')), count(1), { ...policy, maxAttempts: 1 })).toEqual({ action: 'dead-letter', reason: 'gave up after 1 attempts: x' });
  });
});

describe('countAttempt', () => {
  const table: [string, AttemptCount, AttemptResult, AttemptCount][] = [
    ['done changes nothing', count(1, 2), outcome(done()), count(1, 2)],
    ['retry counts an attempt and ends an outage', count(1, 2), outcome(retry('x')), count(2, 0)],
    ['fail counts an attempt', count(0), outcome(fail('x')), count(1)],
    ['an ordinary error counts an attempt', count(0, 1), error('x'), count(1, 0)],
    ['an outage counts an outage, not an attempt', count(2, 1), error('down', true), count(2, 2)],
  ];
  for (const [name, before, result, after] of table) it(name, () => expect(countAttempt(before, result)).toEqual(after));
});

describe('backoffMs', () => {
  const table: [number, number, number][] = [
    // [retry n, random, expected ms] with initial 100, max 1000, jitter 0.2
    [1, 0.5, 100],
    [2, 0.5, 200],
    [4, 0.5, 800],
    [5, 0.5, 1_000],
    [30, 0.5, 1_000],
    [1, 0, 80],
    [1, 1, 120],
    [5, 1, 1_000],
  ];
  for (const [n, random, expected] of table) {
    it(`retry ${n} with random ${random} waits ${expected} ms`, () => expect(backoffMs(n, { ...policy, jitter: 0.2 }, () => random)).toBe(expected));
  }
});
