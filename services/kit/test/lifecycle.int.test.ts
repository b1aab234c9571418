import { beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { addRoutes, createPostgres, createRedis, defineRoute, defineService, loadConfig, runService } from '@lern/kit';

const names = testNames(import.meta.url);
let env: Record<string, string>;

beforeAll(async () => {
  env = await requireServers(['redis', 'postgres']);
});

const freePort = async (): Promise<number> =>
  new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

describe('redis and postgres connectors', () => {
  it('redis with a key prefix', async () => {
    const redis = createRedis(loadConfig(env).redis, { keyPrefix: names.redisPrefix });
    try {
      await redis.client.set('k', 'v', 'EX', 60);
      expect(await redis.client.get('k')).toBe('v');
      await redis.ping();
    } finally {
      await redis.close();
    }
  });
  it('postgres queries with parameters', async () => {
    const pg = createPostgres(loadConfig(env).postgres);
    try {
      const res = await pg.query<{ n: number }>('SELECT $1::int + 1 AS n', [41]);
      expect(res.rows[0]!.n).toBe(42);
      await pg.ping();
    } finally {
      await pg.close();
    }
  });
});

describe('runService', () => {
  it('serves, reports health, and on SIGTERM finishes in-flight requests before closing', async () => {
    const port = await freePort();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app, closed } = await runService(
      defineService({
        name: 'lifecycle',
        connectors: ['redis', 'postgres'],
        register(a, deps) {
          addRoutes(
            a,
            defineRoute({
              method: 'GET',
              url: '/v1/slow/read',
              policy: 'public',
              async handler() {
                await gate;
                const res = await deps.connectors.postgres!.query<{ ok: number }>('SELECT 1 AS ok');
                return { ok: res.rows[0]!.ok };
              },
            }),
          );
        },
      }),
      { ...env, LERN_HTTP_PORT: String(port), LERN_INTERNAL_HTTP_PORT: String(await freePort()), LERN_LOG_LEVEL: 'silent' },
    );
    const base = `http://127.0.0.1:${port}`;
    const health = (await (await fetch(`${base}/health`)).json()) as { result: { healthy: boolean; checks: { name: string }[] } };
    expect(health.result.healthy).toBe(true);
    expect(health.result.checks.map((c) => c.name).sort()).toEqual(['postgres', 'redis']);

    const inFlight = fetch(`${base}/v1/slow/read`);
    await new Promise((r) => setTimeout(r, 200));
    process.kill(process.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: unknown }).result).toEqual({ ok: 1 });
    await closed;
    await expect(fetch(`${base}/livez`)).rejects.toThrow();
    expect(app.server.listening).toBe(false);
  });
});
