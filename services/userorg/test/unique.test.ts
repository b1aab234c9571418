/**
 * claimUnique: values are reserved in order; when one is taken, or the work after the reservations
 * fails, exactly the values this call reserved are released (never those the owner held before, nor
 * anyone else's), and the error reaches the caller.
 */
import { describe, expect, it } from 'vitest';
import { claimUnique, releaseUnique, type Claim, type ReserveOutcome, type Reservations, type UniqueValue } from '../src/unique.ts';

/** In-memory lookup table with a log of what happened. */
class Table implements Reservations {
  readonly owners = new Map<string, string>();
  readonly log: string[] = [];
  failRelease = false;

  reserve(value: UniqueValue, owner: string): Promise<ReserveOutcome> {
    const held = this.owners.get(value.key);
    this.log.push(`reserve ${value.key}`);
    if (held === undefined) {
      this.owners.set(value.key, owner);
      return Promise.resolve('reserved');
    }
    return Promise.resolve(held === owner ? 'held' : 'taken');
  }

  release(value: UniqueValue, owner: string): Promise<void> {
    this.log.push(`release ${value.key}`);
    if (this.failRelease) return Promise.reject(new Error('store down'));
    if (this.owners.get(value.key) === owner) this.owners.delete(value.key);
    return Promise.resolve();
  }
}

const claim = (key: string): Claim => ({ value: { table: 'user', type: 'email', key }, field: 'email', shown: key });
const taken = (c: Claim) => new Error(`taken ${c.shown}`);

describe('claimUnique', () => {
  it('reserves every value and runs the work', async () => {
    const t = new Table();
    const result = await claimUnique(t, { owner: 'u1', claims: [claim('a'), claim('b')], taken }, () => Promise.resolve('done'));
    expect(result).toBe('done');
    expect([...t.owners]).toEqual([['a', 'u1'], ['b', 'u1']]);
  });

  it('when a value is taken, releases the ones it reserved before it and does not run the work', async () => {
    const t = new Table();
    t.owners.set('b', 'u2');
    let ran = false;
    await expect(claimUnique(t, { owner: 'u1', claims: [claim('a'), claim('b'), claim('c')], taken }, () => Promise.resolve((ran = true)))).rejects.toThrow('taken b');
    expect(ran).toBe(false);
    expect([...t.owners]).toEqual([['b', 'u2']]);
    expect(t.log).toEqual(['reserve a', 'reserve b', 'release a']);
  });

  it('when the work fails, releases what it reserved but keeps what the owner already held', async () => {
    const t = new Table();
    t.owners.set('kept', 'u1');
    await expect(claimUnique(t, { owner: 'u1', claims: [claim('kept'), claim('new')], taken }, () => Promise.reject(new Error('write failed')))).rejects.toThrow('write failed');
    expect([...t.owners]).toEqual([['kept', 'u1']]);
  });

  it('a failing release does not hide the original error', async () => {
    const t = new Table();
    t.failRelease = true;
    await expect(claimUnique(t, { owner: 'u1', claims: [claim('a')], taken }, () => Promise.reject(new Error('write failed')))).rejects.toThrow('write failed');
  });

  it('the same value twice in one request is reserved once and released once', async () => {
    const t = new Table();
    await expect(claimUnique(t, { owner: 'u1', claims: [claim('a'), claim('a')], taken }, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(t.log.filter((l) => l.startsWith('release'))).toEqual(['release a']);
    expect(t.owners.size).toBe(0);
  });
});

describe('releaseUnique', () => {
  it('frees only what the owner holds', async () => {
    const t = new Table();
    t.owners.set('mine', 'u1');
    t.owners.set('theirs', 'u2');
    await releaseUnique(t, 'u1', [claim('mine').value, claim('theirs').value]);
    expect([...t.owners]).toEqual([['theirs', 'u2']]);
  });
});
