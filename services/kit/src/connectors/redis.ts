import { Redis } from 'ioredis';
import type { LernConfig } from '../config.ts';
import { withTimeout } from './cassandra.ts';

/** Redis client with reconnection and a bounded wait per command (LERN_REDIS_COMMAND_TIMEOUT_MS). */
export interface RedisConnector {
  readonly client: Redis;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of createRedis. */
export interface RedisOptions {
  /** Prepended to every key (tests isolate with it). @default '' */
  keyPrefix?: string;
}

/** Creates a Redis connector; it connects in the background and keeps reconnecting. */
export function createRedis(config: LernConfig['redis'], options: RedisOptions = {}): RedisConnector {
  if (!config.url) throw new Error('LERN_REDIS_URL is not set');
  const client = new Redis(config.url, {
    password: config.password,
    keyPrefix: options.keyPrefix,
    lazyConnect: false,
    // Fail a command fast while Redis is down instead of queueing it forever; callers see a 503.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 200, 5_000),
    // A Redis that accepts the connection but never answers must not hang a request: the command
    // fails after this time, queued while disconnected or sent.
    commandTimeout: config.commandTimeoutMs,
  });
  // Connection errors are reported through commands and /health; an unhandled 'error' event would crash.
  client.on('error', () => undefined);
  return {
    client,
    async ping(timeoutMs = config.commandTimeoutMs) {
      await withTimeout(client.ping(), timeoutMs, 'Redis');
    },
    async close() {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
