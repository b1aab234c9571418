/**
 * Run-once keys in Redis for effects that are not idempotent by nature (publishing an event,
 * incrementing a counter). Delivery is at least once, so a handler may see an event again after a
 * crash or a rebalance; a key remembered for `ttlSeconds` (upstream's jobs keep theirs 7 days) makes
 * the repeat a no-op.
 *
 * Two strengths:
 * - {@link Deduplicator.applyOnce}: Redis commands and the key in one Lua script, so the effect and
 *   its key are written together or not at all: exactly once, even across a SIGKILL.
 * - {@link Deduplicator.once}: any effect (a Kafka send, an HTTP call). The key is claimed with a
 *   short lease before the effect and marked done after it; a second worker seeing the lease is told
 *   `busy` (retry later). A crash between the effect and the mark repeats the effect once, so keep
 *   that window to one call.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Redis command for {@link Deduplicator.applyOnce}; keys go in `keys` so the key prefix applies to them. */
export interface RedisCommand {
  command: string;
  keys: readonly string[];
  args: readonly (string | number)[];
}

/** What {@link Deduplicator.once} did. */
export type OnceResult = 'ran' | 'skipped' | 'busy';

/** Run-once keys of one job. */
export interface Deduplicator {
  /** Runs `effect` unless `key` ran before within the TTL; `busy` while another worker runs it. The effect's error is rethrown (the key is freed). */
  once(key: string, effect: () => Promise<void>): Promise<OnceResult>;
  /** Applies the commands and remembers `key`, atomically; false when the key was already there (nothing applied). */
  applyOnce(key: string, commands: readonly RedisCommand[]): Promise<boolean>;
  /** True when `key` is remembered as done. */
  seen(key: string): Promise<boolean>;
  /** Forgets `key` (an operator re-driving an event on purpose). */
  forget(key: string): Promise<void>;
}

/** Options of createDeduplicator. */
export interface DeduplicatorOptions {
  /** Keys are `lern:job:<namespace>:once:<key>`; the job name. */
  namespace: string;
  /** How long a done key is remembered. @default 604800 (7 days) */
  ttlSeconds?: number;
  /** How long a claim by {@link Deduplicator.once} holds before another worker may take over. @default 60000 */
  leaseMs?: number;
}

const DONE = 'done';

// KEYS[1]: the run-once key; KEYS[2..]: the commands' keys in order. ARGV[1]: TTL seconds, ARGV[2]:
// the number of commands, then per command: name, key count, argument count, arguments.
const APPLY_ONCE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local a, k = 3, 2
for _ = 1, tonumber(ARGV[2]) do
  local call = { ARGV[a] }
  local nkeys, nargs = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  a = a + 3
  for _ = 1, nkeys do call[#call + 1] = KEYS[k]; k = k + 1 end
  for _ = 1, nargs do call[#call + 1] = ARGV[a]; a = a + 1 end
  redis.call(unpack(call))
end
redis.call('SET', KEYS[1], '${DONE}', 'EX', tonumber(ARGV[1]))
return 1`;

// Deletes the claim only when it is still ours, so a late failure never frees another worker's claim.
const RELEASE_CLAIM = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Creates the run-once helper over a Redis client (the job's Redis connector's). */
export function createDeduplicator(redis: Redis, options: DeduplicatorOptions): Deduplicator {
  const ttl = options.ttlSeconds ?? 604_800;
  const leaseMs = options.leaseMs ?? 60_000;
  if (!Number.isInteger(ttl) || ttl < 1) throw new Error('ttlSeconds must be a whole number >= 1');
  const keyOf = (key: string): string => `lern:job:${options.namespace}:once:${key}`;

  return {
    async once(key, effect) {
      const k = keyOf(key);
      const claim = `claim:${randomUUID()}`;
      if ((await redis.set(k, claim, 'PX', leaseMs, 'NX')) !== 'OK') return (await redis.get(k)) === DONE ? 'skipped' : 'busy';
      try {
        await effect();
      } catch (error) {
        await redis.eval(RELEASE_CLAIM, 1, k, claim).catch(() => undefined);
        throw error;
      }
      await redis.set(k, DONE, 'EX', ttl);
      return 'ran';
    },
    async applyOnce(key, commands) {
      const keys = [keyOf(key), ...commands.flatMap((c) => c.keys)];
      const argv = [String(ttl), String(commands.length), ...commands.flatMap((c) => [c.command, String(c.keys.length), String(c.args.length), ...c.args.map(String)])];
      return (await redis.eval(APPLY_ONCE, keys.length, ...keys, ...argv)) === 1;
    },
    async seen(key) {
      return (await redis.get(keyOf(key))) === DONE;
    },
    async forget(key) {
      await redis.del(keyOf(key));
    },
  };
}
