import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  OUTBOX_BUCKETS,
  OUTBOX_CQL_PATH,
  bucketOf,
  checksum,
  groupDeliveries,
  indexEntry,
  isBacklog,
  kafkaEntry,
  leaseStep,
  nextCursor,
  orderingKeyOf,
  planBucket,
  retryDelayMs,
  afterFailure,
  shouldTryFastPath,
  sliceOf,
  slicesToRead,
  rememberScan,
  splitCql,
  type OutboxEntry,
  type StoredEntry,
} from '@lern/kit';

const NOW = 1_750_000_000_000;
let seq = 0;
function row(entry: OutboxEntry | null, over: Partial<StoredEntry> = {}): StoredEntry {
  seq += 1;
  return { bucket: 0, slice: sliceOf(NOW), id: `id-${seq}`, entry, attempts: 0, nextAttemptAt: NOW, createdAt: NOW - 1_000, lastError: null, ...over };
}

describe('retryDelayMs', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.2 };
  it.each([
    [1, 0.5, 1_000],
    [2, 0.5, 2_000],
    [3, 0.5, 4_000],
    [6, 0.5, 32_000],
    [7, 0.5, 60_000],
    [500, 0.5, 60_000],
    [0, 0.5, 1_000],
    [1, 0, 800],
    [1, 1, 1_200],
    [7, 1, 60_000],
    [7, 0, 48_000],
  ])('after %i failures with random %d waits %i ms', (failures, random, expected) => {
    expect(retryDelayMs(failures, policy, () => random)).toBe(expected);
  });

  it('afterFailure counts the attempt, schedules the retry and keeps a short error', () => {
    const state = afterFailure({ attempts: 2 }, new Error('x'.repeat(900)), NOW, policy, () => 0.5);
    expect(state.attempts).toBe(3);
    expect(state.nextAttemptAt).toBe(NOW + 4_000);
    expect(state.lastError.startsWith('Error: xxx')).toBe(true);
    expect(state.lastError).toHaveLength(500);
  });
});

describe('where entries are stored', () => {
  it('one ordering key always lands in one bucket, whatever the row id', () => {
    const e = kafkaEntry('user.events', 'u1', { a: 1 });
    const buckets = new Set(['r1', 'r2', 'r3'].map((id) => bucketOf(e, id)));
    expect(buckets.size).toBe(1);
    expect([...buckets][0]).toBeGreaterThanOrEqual(0);
    expect([...buckets][0]).toBeLessThan(OUTBOX_BUCKETS);
  });

  it('keys spread over the buckets', () => {
    const buckets = new Set(Array.from({ length: 200 }, (_, i) => bucketOf(indexEntry('user', `u${i}`), 'r')));
    expect(buckets.size).toBe(OUTBOX_BUCKETS);
  });

  it('ordering keys: per topic and key, per target and id; none for keyless messages', () => {
    expect(orderingKeyOf(kafkaEntry('t', 'k', 'v'))).toBe('kafka\u0000t\u0000k');
    expect(orderingKeyOf(indexEntry('user', 'u1'))).toBe('index\u0000user\u0000u1');
    expect(orderingKeyOf(kafkaEntry('t', null, 'v'))).toBeNull();
  });

  it('kafkaEntry serialises an object once and keeps a string as it is', () => {
    expect(kafkaEntry('t', 'k', { b: 1, a: [2] }).value).toBe('{"b":1,"a":[2]}');
    expect(kafkaEntry('t', 'k', 'raw text').value).toBe('raw text');
  });
});

describe('planBucket', () => {
  const a1 = row(kafkaEntry('t', 'a', '1'));
  const b1 = row(kafkaEntry('t', 'b', '1'), { nextAttemptAt: NOW + 5_000 });
  const a2 = row(kafkaEntry('t', 'a', '2'));
  const b2 = row(kafkaEntry('t', 'b', '2'));
  const ghost = row(null);
  const keyless = row(kafkaEntry('t', null, 'x'));

  it('delivers due entries in order, deletes leftovers, holds a key behind an entry that is not due', () => {
    const plan = planBucket([a1, b1, ghost, a2, b2, keyless], NOW, new Set());
    expect(plan.deliver.map((r) => r.id)).toEqual([a1.id, a2.id, keyless.id]);
    expect(plan.leftovers.map((r) => r.id)).toEqual([ghost.id]);
    expect(plan.waiting.map((r) => r.id)).toEqual([b1.id, b2.id]);
  });

  it('an entry still in flight in this process waits, and so does its key', () => {
    const plan = planBucket([a1, a2, b2], NOW, new Set([a1.id]));
    expect(plan.deliver.map((r) => r.id)).toEqual([b2.id]);
    expect(plan.waiting.map((r) => r.id)).toEqual([a1.id, a2.id]);
  });

  it('a keyless message waiting holds nothing else', () => {
    const late = row(kafkaEntry('t', null, 'y'), { nextAttemptAt: NOW + 1 });
    const other = row(kafkaEntry('t', null, 'z'));
    expect(planBucket([late, other], NOW, new Set()).deliver.map((r) => r.id)).toEqual([other.id]);
  });
});

describe('groupDeliveries', () => {
  it('one send per topic in order, chunked; each index update alone', () => {
    const rows = [
      row(kafkaEntry('t1', 'a', '1')),
      row(indexEntry('user', 'u1')),
      row(kafkaEntry('t2', 'a', '1')),
      row(kafkaEntry('t1', 'b', '1')),
      row(kafkaEntry('t1', 'c', '1')),
      row(indexEntry('user', 'u2')),
    ];
    const groups = groupDeliveries(rows, 2);
    expect(groups.map((g) => [g.destination, g.rows.map((r) => rows.indexOf(r))])).toEqual([
      ['kafka:t1', [0, 3]],
      ['index:user', [1]],
      ['kafka:t2', [2]],
      ['kafka:t1', [4]],
      ['index:user', [5]],
    ]);
  });
});

describe('isBacklog', () => {
  it.each([
    ['fresh, within the request-path grace', { attempts: 0, nextAttemptAt: NOW + 1 }, false],
    ['due and never tried', { attempts: 0, nextAttemptAt: NOW }, true],
    ['failed before, waiting for its retry', { attempts: 1, nextAttemptAt: NOW + 60_000 }, true],
  ])('%s: %s', (_label, over, expected) => {
    expect(isBacklog(row(indexEntry('user', 'u'), over), NOW)).toBe(expected);
  });
  it('a leftover is no backlog', () => {
    expect(isBacklog(row(null, { attempts: 3 }), NOW)).toBe(false);
  });
});

describe('cursor', () => {
  it('without memory, reads from the cursor to now, bounded', () => {
    expect(slicesToRead(10, undefined, 12, 60)).toEqual([10, 11, 12]);
    expect(slicesToRead(10, undefined, 100, 3)).toEqual([10, 11, 12]);
    expect(slicesToRead(13, undefined, 12, 60)).toEqual([]);
  });

  it('with memory, reads the closed slices known to hold rows, then goes on where it stopped', () => {
    // A row stuck in slice 10 for hours does not keep the relay from slices 500 and later.
    expect(slicesToRead(10, { through: 499, withRows: [10, 200] }, 502, 60)).toEqual([10, 200, 500, 501, 502]);
    // Another relay moved the cursor past what this one remembers.
    expect(slicesToRead(300, { through: 250, withRows: [10, 200] }, 302, 60)).toEqual([300, 301, 302]);
  });

  it.each([
    [
      'closed, whole slices extend what is known; open ones (at or after safeSlice) do not',
      undefined,
      [{ slice: 10, complete: true, hasRows: true }, { slice: 11, complete: true, hasRows: false }, { slice: 12, complete: true, hasRows: false }],
      12,
      { through: 11, withRows: [10] },
    ],
    [
      'a slice not read whole stops it, and is remembered as holding rows',
      undefined,
      [{ slice: 10, complete: true, hasRows: false }, { slice: 11, complete: false, hasRows: true }],
      20,
      { through: 10, withRows: [] },
    ],
    [
      'known slices emptied since are forgotten; known slices not reached stay',
      { through: 30, withRows: [12, 15, 20] },
      [{ slice: 12, complete: true, hasRows: false }, { slice: 15, complete: true, hasRows: true }, { slice: 31, complete: true, hasRows: false }],
      40,
      { through: 31, withRows: [15, 20] },
    ],
  ])('%s', (_label, previous, reads, safeSlice, expected) => {
    expect(rememberScan(previous, 10, reads, safeSlice)).toEqual(expected);
  });

  it.each([
    ['all read and empty: up to the safe slice', { cursor: 10, firstSliceWithRows: null, firstUnreadSlice: 21, safeSlice: 19 }, 19],
    ['stops at the first slice with rows', { cursor: 10, firstSliceWithRows: 14, firstUnreadSlice: 21, safeSlice: 19 }, 14],
    ['stops at a slice not read whole', { cursor: 10, firstSliceWithRows: null, firstUnreadSlice: 12, safeSlice: 19 }, 12],
    ['never moves back', { cursor: 10, firstSliceWithRows: 8, firstUnreadSlice: 21, safeSlice: 19 }, 10],
  ])('%s', (_label, input, expected) => {
    expect(nextCursor(input)).toBe(expected);
  });
});

describe('leaseStep', () => {
  it.each([
    ['never held', undefined, 'acquire'],
    ['expired', NOW - 1, 'acquire'],
    ['ends now', NOW, 'acquire'],
    ['less than half the TTL left', NOW + 14_000, 'renew'],
    ['more than half left', NOW + 16_000, 'hold'],
  ])('%s -> %s', (_label, heldUntil, expected) => {
    expect(leaseStep(heldUntil, NOW, 30_000)).toBe(expected);
  });
});

describe('shouldTryFastPath', () => {
  const state = (backlog: string[], failures: [string, number][]) => ({ backlog: new Set(backlog), lastFailureAt: new Map(failures) });
  it.each([
    ['a healthy destination', state([], []), true],
    ['a destination with backlog (the new entry must not overtake it)', state(['kafka:t'], []), false],
    ['within the cooldown after a failure', state([], [['kafka:t', NOW - 9_999]]), false],
    ['after the cooldown', state([], [['kafka:t', NOW - 10_000]]), true],
    ['backlog elsewhere only', state(['index:user'], [['index:user', NOW]]), true],
  ])('%s -> %s', (_label, s, expected) => {
    expect(shouldTryFastPath('kafka:t', s, NOW, 10_000)).toBe(expected);
  });
});

describe('the outbox tables CQL', () => {
  const text = readFileSync(OUTBOX_CQL_PATH, 'utf8');
  it('creates the three tables, nothing else, all idempotently', () => {
    const statements = splitCql(text);
    expect(statements.map((s) => /^CREATE TABLE IF NOT EXISTS (\w+)/.exec(s)?.[1])).toEqual(['lern_outbox', 'lern_outbox_cursor', 'lern_outbox_lease']);
  });
  it("userorg's migration is a verbatim copy", () => {
    const copy = readFileSync(new URL('../../userorg/migrations/cassandra/sunbird/V003__outbox.cql', import.meta.url), 'utf8');
    expect(checksum(copy)).toBe(checksum(text));
  });
});
