import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createRedis, loadConfig, type LernConfig } from '@lern/kit';

const names = testNames(import.meta.url);
let redisConfig: LernConfig['redis'];

/** A loopback proxy in front of the real Redis; `freeze` keeps connections open but stops passing commands on. */
interface FreezableProxy {
  url: string;
  freeze(): void;
  close(): Promise<void>;
}

async function freezableProxy(target: URL): Promise<FreezableProxy> {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk) => {
      if (!frozen) upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    freeze: () => (frozen = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let proxy: FreezableProxy;
beforeAll(async () => {
  const env = await requireServers(['redis']);
  redisConfig = loadConfig(env).redis;
  proxy = await freezableProxy(new URL(redisConfig.url!));
});
afterAll(async () => proxy.close());

describe('Redis command timeout', () => {
  it('a command to a Redis that stopped answering fails after LERN_REDIS_COMMAND_TIMEOUT_MS, and close does not hang', async () => {
    const redis = createRedis({ ...redisConfig, url: proxy.url, commandTimeoutMs: 300 }, { keyPrefix: names.redisPrefix });
    await redis.client.set('k', 'v', 'EX', 60);
    expect(await redis.client.get('k')).toBe('v');

    proxy.freeze();
    const started = Date.now();
    await expect(redis.client.get('k')).rejects.toThrow('Command timed out');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2_000);
    await expect(redis.ping()).rejects.toThrow();

    const closing = Date.now();
    await redis.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
  });
});
