import { describe, expect, it } from 'vitest';
import { WorkQueue, backoffDelay } from './queue.ts';

describe('backoffDelay', () => {
  it.each([
    [0, 0],
    [1, 250],
    [2, 500],
    [5, 4000],
    [40, 300_000],
  ])('after %i failures waits %i ms', (n, ms) => expect(backoffDelay(n, 250, 300_000)).toBe(ms));
});

describe('WorkQueue', () => {
  it('queues a key once however often it is added', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands one key to two workers; a key added while processed comes back after done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const key = await q.get();
    q.add('a');
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(key!);
    await Promise.resolve();
    expect(second).toBe('a');
  });

  it('backs a failing key off exponentially and forgets it after a success', () => {
    const q = new WorkQueue({ baseDelayMs: 100, now: () => 0 });
    expect(q.addRateLimited('a')).toBe(100);
    expect(q.addRateLimited('a')).toBe(200);
    expect(q.failuresOf('a')).toBe(2);
    q.forget('a');
    expect(q.addRateLimited('a')).toBe(100);
    q.shutdown();
  });

  it('the overall bucket slows retries once the burst is spent', () => {
    const q = new WorkQueue({ baseDelayMs: 1, qps: 10, burst: 2, now: () => 0 });
    q.addRateLimited('a');
    q.addRateLimited('b');
    expect(q.addRateLimited('c')).toBe(100);
    q.shutdown();
  });

  it('shutdown releases waiting workers', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.shutdown();
    expect(await waiting).toBeUndefined();
  });
});
