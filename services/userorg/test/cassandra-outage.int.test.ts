/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- responses are untyped JSON that the assertions walk */
/**
 * Stops the shared Cassandra while the service runs: /readyz and /health must say so, requests
 * must fail with a 503 SERVICE_UNAVAILABLE envelope (never a 500 or a hang), and once Cassandra is
 * back the same app instance serves again without a restart.
 *
 * This stops a server other suites share: run it alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerManager } from '@lern/test-servers';
import { call, eventually, startFixture, unique, type Fixture } from './helpers.ts';

const manager = new ServerManager();
let f: Fixture;
let token: string;
let userId: string;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  const admin = randomUUID();
  await f.grant(admin, 'ORG_ADMIN');
  const created = await call(f, 'POST', '/v2/user/create', { token: await f.token(admin), body: { request: { firstName: 'Outage', email: unique.email() } } });
  userId = created.body.result.userId;
  token = await f.token(userId);
});

afterAll(async () => {
  await manager.up(['cassandra']);
  await f?.close();
});

describe('Cassandra outage', () => {
  it('is ready with Cassandra up', async () => {
    expect((await call(f, 'GET', '/readyz')).status).toBe(200);
    const health = await call(f, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.result.healthy).toBe(true);
  });

  it('reports the outage and answers 503 envelopes while Cassandra is down', async () => {
    await manager.down(['cassandra']);
    await eventually(async () => ((await call(f, 'GET', '/readyz')).status === 503 ? true : undefined), 60_000);
    const health = await call(f, 'GET', '/health');
    expect(health.body.result.healthy).toBe(false);
    expect(health.body.result.checks.find((c: any) => c.name === 'cassandra')).toMatchObject({ healthy: false });
    expect((await call(f, 'GET', '/livez')).status).toBe(200);
    // Drop the cached view so the read goes to Cassandra.
    await f.redis.client.del(`userorg:user:${userId}`);
    for (const res of [
      await call(f, 'GET', `/v1/user/read/${userId}`, { token }),
      await call(f, 'POST', '/v1/org/read', { body: { request: { organisationId: 'x' } } }),
      await call(f, 'GET', `/v1/user/exists/email/${unique.email()}`),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ responseCode: 'SERVICE_UNAVAILABLE', params: { status: 'FAILED', err: 'UOS_0064' } });
    }
  });

  it('recovers without a restart once Cassandra is back', async () => {
    await manager.up(['cassandra']);
    await eventually(async () => ((await call(f, 'GET', '/readyz')).status === 200 ? true : undefined), 120_000);
    const read = await eventually(async () => {
      const r = await call(f, 'GET', `/v1/user/read/${userId}`, { token });
      return r.status === 200 ? r : undefined;
    }, 60_000);
    expect(read.body.result.response.id).toBe(userId);
    expect((await call(f, 'GET', '/health')).body.result.healthy).toBe(true);
  });
});
