/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- responses are untyped JSON that the assertions walk */
/**
 * Cassandra goes away while the service runs: the service reaches Cassandra through a loopback TCP
 * proxy this suite cuts (the shared server itself keeps running). /readyz and /health must say so,
 * requests must fail with a 503 SERVICE_UNAVAILABLE envelope (never a 500 or a hang), and once the
 * proxy forwards again the same app instance serves again without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers } from '../../../test/setup/servers-env.ts';
import { TcpProxy } from '../../kit/test/outbox-proxy.ts';
import { call, eventually, startFixture, unique, type Fixture } from './helpers.ts';
import { seed } from './seed.ts';

let proxy: TcpProxy;
let f: Fixture;
let token: string;
let userId: string;

beforeAll(async () => {
  const servers = await requireServers(['cassandra']);
  proxy = new TcpProxy(servers.LERN_CASSANDRA_CONTACT_POINTS!.split(',')[0]!);
  await proxy.start();
  f = await startFixture(import.meta.url, undefined, { env: { LERN_CASSANDRA_CONTACT_POINTS: proxy.address } });
  const { sysToken } = await seed(f);
  const created = await call(f, 'POST', '/v2/user/create', { token: sysToken, body: { request: { firstName: 'Outage', email: unique.email() } } });
  userId = created.body.result.userId;
  token = await f.token(userId);
});

afterAll(async () => {
  await proxy?.restore();
  await f?.close();
  await proxy?.close();
});

describe('Cassandra outage', () => {
  it('is ready with Cassandra up', async () => {
    expect((await call(f, 'GET', '/readyz')).status).toBe(200);
    const health = await call(f, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.result.healthy).toBe(true);
  });

  it('reports the outage and answers 503 envelopes while Cassandra is unreachable', async () => {
    await proxy.cut('refuse');
    await eventually(async () => ((await call(f, 'GET', '/readyz')).status === 503 ? true : undefined), 60_000);
    const health = await call(f, 'GET', '/health');
    expect(health.body.result.healthy).toBe(false);
    expect(health.body.result.checks.find((c: any) => c.name === 'cassandra')).toMatchObject({ healthy: false });
    expect((await call(f, 'GET', '/livez')).status).toBe(200);
    // Drop the cached view and caller so the read goes to Cassandra.
    await f.redis.client.del(`userorg:user:${userId}`);
    await f.callers.invalidate(userId);
    for (const res of [
      await call(f, 'GET', `/v1/user/read/${userId}`, { token }),
      await call(f, 'POST', '/v1/org/read', { body: { request: { organisationId: 'x' } } }),
      await call(f, 'GET', `/v1/user/exists/email/${unique.email()}`),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ responseCode: 'SERVICE_UNAVAILABLE', params: { status: 'FAILED', err: 'UOS_0064' } });
    }
  });

  it('recovers without a restart once Cassandra is reachable again', async () => {
    await proxy.restore();
    await eventually(async () => ((await call(f, 'GET', '/readyz')).status === 200 ? true : undefined), 120_000);
    const read = await eventually(async () => {
      const r = await call(f, 'GET', `/v1/user/read/${userId}`, { token });
      return r.status === 200 ? r : undefined;
    }, 60_000);
    expect(read.body.result.response.id).toBe(userId);
    expect((await call(f, 'GET', '/health')).body.result.healthy).toBe(true);
  });
});
