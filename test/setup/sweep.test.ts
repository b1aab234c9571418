import { describe, expect, it } from 'vitest';
import { isolatedNames } from '@lern/test-servers';
import { isStale, isolatedIdOf, STALE_AFTER_MS } from './sweep.ts';

describe('sweep of earlier test runs', () => {
  const now = Date.UTC(2026, 11, 3, 12, 0);
  const fresh = isolatedNames('/x/users.int.test.ts', now - 60_000);
  const old = isolatedNames('/x/users.int.test.ts', now - STALE_AFTER_MS - 60_000);

  it.each([
    ['keyspace', (n: typeof fresh) => `${n.keyspace}_sunbird`],
    ['index', (n: typeof fresh) => `${n.index}-user_alias_v1`],
    ['topic', (n: typeof fresh) => `${n.topic}delete.user`],
  ])('finds the id in a %s name', (_kind, name) => {
    expect(isolatedIdOf(name(fresh))).toBe(fresh.id);
    expect(isStale(name(fresh), now)).toBe(false);
    expect(isStale(name(old), now)).toBe(true);
  });

  it('removes unstamped test data of older runs, never anything else', () => {
    expect(isStale('t_usersint5907a0ac8b_sunbird', now)).toBe(true);
    for (const other of ['sunbird', 'system_schema', 'lern_sunbird', '.security', 'user_alias', '__consumer_offsets', 'b_bench1_sunbird']) {
      expect(isStale(other, now)).toBe(false);
    }
  });
});
