/** The kit's other pure parts: settings, group membership, dead letters, readiness. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@lern/kit';
import { DEAD_LETTER_HEADERS, isMember, loadJobSettings, readiness, toDeadLetter, type JobEvent, type Membership } from '../src/index.ts';

describe('loadJobSettings', () => {
  it('has defaults', () => {
    expect(loadJobSettings({})).toEqual({ groupId: undefined, concurrency: 4, sessionTimeoutMs: 30_000, retry: {}, dedupTtlSeconds: 604_800 });
  });
  it('reads every variable', () => {
    const env = {
      LERN_JOB_GROUP_ID: 'prod.cleanup',
      LERN_JOB_CONCURRENCY: '2',
      LERN_JOB_SESSION_TIMEOUT_MS: '10000',
      LERN_JOB_MAX_ATTEMPTS: '7',
      LERN_JOB_RETRY_INITIAL_MS: '100',
      LERN_JOB_RETRY_MAX_MS: '9000',
      LERN_JOB_DEDUP_TTL_SECONDS: '3600',
    };
    expect(loadJobSettings(env)).toEqual({ groupId: 'prod.cleanup', concurrency: 2, sessionTimeoutMs: 10_000, retry: { maxAttempts: 7, initialDelayMs: 100, maxDelayMs: 9_000 }, dedupTtlSeconds: 3_600 });
  });
  const bad: [string, string][] = [
    ['LERN_JOB_CONCURRENCY', '0'],
    ['LERN_JOB_CONCURRENCY', 'four'],
    ['LERN_JOB_SESSION_TIMEOUT_MS', '1000'],
    ['LERN_JOB_MAX_ATTEMPTS', '-1'],
    ['LERN_JOB_GROUP_ID', 'has space'],
  ];
  for (const [name, value] of bad) {
    it(`refuses ${name}=${value}, naming the variable`, () => {
      expect(() => loadJobSettings({ [name]: value })).toThrow(ConfigError);
      expect(() => loadJobSettings({ [name]: value })).toThrow(name);
    });
  }
});

describe('isMember', () => {
  const m = (joined: boolean, lastContactAt: number): Membership => ({ joined, lastContactAt, assignment: {} });
  const table: [string, Membership, number, boolean][] = [
    ['joined and heard from recently', m(true, 1_000), 5_000, true],
    ['joined, silent for exactly the session', m(true, 1_000), 31_000, true],
    ['joined, silent past the session: evicted', m(true, 1_000), 31_001, false],
    ['crashed, stopped or never joined', m(false, 1_000), 1_000, false],
  ];
  for (const [name, membership, now, expected] of table) it(name, () => expect(isMember(membership, now, 30_000)).toBe(expected));
});

describe('toDeadLetter', () => {
  const event: JobEvent = { topic: 'delete.user', partition: 3, offset: '42', key: 'u-1', value: '{}', headers: { traceparent: 't' }, timestamp: '1', attempt: 2 };
  it('keeps key, raw value and headers, and adds why, how often and where from', () => {
    const raw = Buffer.from([0xff, 0x00, 0x7b]);
    const letter = toDeadLetter(event, { job: 'cleanup', reason: 'bad', attempts: 5, raw, at: new Date('2026-01-02T03:04:05.000Z') });
    expect(letter).toEqual({
      topic: 'delete.user.failed',
      key: 'u-1',
      value: raw,
      headers: {
        traceparent: 't',
        [DEAD_LETTER_HEADERS.error]: 'bad',
        [DEAD_LETTER_HEADERS.attempts]: '5',
        [DEAD_LETTER_HEADERS.job]: 'cleanup',
        [DEAD_LETTER_HEADERS.topic]: 'delete.user',
        [DEAD_LETTER_HEADERS.partition]: '3',
        [DEAD_LETTER_HEADERS.offset]: '42',
        [DEAD_LETTER_HEADERS.failedAt]: '2026-01-02T03:04:05.000Z',
      },
    });
  });
  it('cuts a very long error', () => {
    const letter = toDeadLetter(event, { job: 'cleanup', reason: 'x'.repeat(5_000), attempts: 1, raw: null, at: new Date(0) });
    expect(letter.headers[DEAD_LETTER_HEADERS.error]).toHaveLength(2_003);
  });
});

describe('readiness', () => {
  const up = { ping: () => Promise.resolve(), close: () => Promise.resolve() };
  const down = { ping: () => Promise.reject(new Error('ECONNREFUSED')), close: () => Promise.resolve() };
  it('needs the primary store and the group membership', async () => {
    expect(await readiness(up, true)).toEqual({ ready: true, primary: true, member: true });
    expect(await readiness(down, true)).toEqual({ ready: false, primary: false, member: true });
    expect(await readiness(up, false)).toEqual({ ready: false, primary: true, member: false });
    expect(await readiness(undefined, true)).toEqual({ ready: true, primary: true, member: true });
  });
});
