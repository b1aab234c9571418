/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- responses are untyped JSON that the assertions walk */
/**
 * A user's account and rights against real Cassandra, Redis, Elasticsearch and Kafka: auth
 * failures, block/unblock/delete (refused by the kit at once), role assignment and its limits, the
 * published events and re-indexing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { call, eventually, startFixture, unique, type Fixture } from './helpers.ts';
import { seed, type Seed, type Tenant } from './seed.ts';

let f: Fixture;
let s: Seed;
let tenant: Tenant;
let adminToken: string;
let tenantId: string;
let consumer: Consumer;
const events: { topic: string; key: string; value: Record<string, any> }[] = [];

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  const kafka = new Kafka({ brokers: f.env.LERN_KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  consumer = kafka.consumer({ groupId: `${f.names.id}-events` });
  await consumer.connect();
  await consumer.subscribe({ topics: [`${f.names.topic}user.events`, `${f.names.topic}delete.user`], fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, message }) => {
      events.push({ topic: topic.slice(f.names.topic.length), key: message.key?.toString() ?? '', value: JSON.parse(message.value!.toString()) });
      return Promise.resolve();
    },
  });
  s = await seed(f);
  tenant = await s.tenant();
  ({ adminToken, id: tenantId } = tenant);
});

afterAll(async () => {
  await consumer?.disconnect();
  await f?.close();
});

const createUser = (extra: Record<string, unknown> = {}) => s.user(tenant, extra);

describe('auth', () => {
  it('missing, expired, wrong key, wrong issuer, unknown kid -> 401; wrong role -> 403', async () => {
    const body = { request: { firstName: 'A', email: unique.email() } };
    const missing = await call(f, 'POST', '/v2/user/create', { body });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ responseCode: 'UNAUTHORIZED', params: { err: 'UOS_0070', status: 'FAILED' } });
    for (const token of [
      await f.token(tenant.adminId, { expiresInSec: -60 }),
      await f.token(tenant.adminId, { foreignKey: true }),
      await f.token(tenant.adminId, { issuer: 'http://elsewhere/realms/x' }),
      await f.token(tenant.adminId, { kid: 'nope' }),
      'not.a.jwt',
    ]) {
      const res = await call(f, 'POST', '/v2/user/create', { token, body });
      expect(res.status).toBe(401);
      expect(res.body.params.err).toBe('UOS_0070');
    }
    const plain = await call(f, 'POST', '/v2/user/create', { token: await f.token(randomUUID()), body });
    expect(plain.status).toBe(403);
    expect(plain.body).toMatchObject({ responseCode: 'FORBIDDEN', params: { err: 'UOS_0071' } });
    const readNoToken = await call(f, 'GET', `/v1/user/read/${tenant.adminId}`);
    expect(readNoToken.status).toBe(401);
  });

  it('a user may not update someone else', async () => {
    const a = await createUser();
    const b = await createUser();
    const res = await call(f, 'PATCH', '/v1/user/update', { token: await f.token(a.id), body: { request: { userId: b.id, firstName: 'X' } } });
    expect(res.status).toBe(403);
  });
});

describe('status, roles and delete', () => {
  it('blocks and unblocks once each', async () => {
    const u = await createUser();
    expect((await call(f, 'POST', '/v1/user/block', { token: adminToken, body: { request: { userId: u.id } } })).status).toBe(200);
    const again = await call(f, 'POST', '/v1/user/block', { token: adminToken, body: { request: { userId: u.id } } });
    expect(again.status).toBe(400);
    expect(again.body.params).toMatchObject({ err: 'UOS_USRBLOK0008', errmsg: 'User is already inactive.' });
    expect((await call(f, 'GET', `/v1/user/read/${u.id}`, { token: adminToken })).body.result.response.status).toBe(0);
    expect((await call(f, 'POST', '/v1/user/unblock', { token: adminToken, body: { request: { userId: u.id } } })).status).toBe(200);
    const active = await call(f, 'POST', '/v1/user/unblock', { token: adminToken, body: { request: { userId: u.id } } });
    expect(active.body.params.err).toBe('UOS_USRUNBLOK0008');
    const unknown = await call(f, 'POST', '/v1/user/block', { token: adminToken, body: { request: { userId: '@#4' } } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.params).toMatchObject({ err: 'UOS_USRBLOK0013', errmsg: 'user' });
    const notAdmin = await call(f, 'POST', '/v1/user/block', { token: await f.token(u.id), body: { request: { userId: u.id } } });
    expect(notAdmin.status).toBe(403);
  });

  it('assigns roles (v1 and v2), reads them, and refuses orgs outside the admin scope', async () => {
    const u = await createUser();
    const v1 = await call(f, 'POST', '/v1/user/assign/role', { token: adminToken, body: { request: { userId: u.id, organisationId: tenantId, roles: ['CONTENT_CREATOR', 'BOOK_CREATOR'] } } });
    expect(v1.status, JSON.stringify(v1.body)).toBe(200);
    const v2 = await call(f, 'POST', '/v2/user/assign/role', {
      token: adminToken,
      body: { request: { userId: u.id, roles: [{ role: 'BOOK_CREATOR', operation: 'remove', scope: [{ organisationId: tenantId }] }, { role: 'COURSE_MENTOR', operation: 'add', scope: [{ organisationId: tenantId }] }] } },
    });
    expect(v2.status).toBe(200);
    const roles = await call(f, 'GET', `/v1/user/role/read/${u.id}`, { token: adminToken });
    expect(roles.body.result.response.map((r: any) => r.role).sort()).toEqual(['CONTENT_CREATOR', 'COURSE_MENTOR', 'PUBLIC']);
    const search = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: { 'roles.role': 'COURSE_MENTOR', id: u.id } } } });
    expect(search.body.result.response.count).toBe(1);
    const otherTenant = await call(f, 'POST', '/v1/org/create', { token: s.sysToken, body: { request: { orgName: 'Other', channel: unique.channel(), organisationType: 'board', isTenant: true } } });
    const outside = await call(f, 'POST', '/v2/user/assign/role', {
      token: adminToken,
      body: { request: { userId: u.id, roles: [{ role: 'ORG_ADMIN', operation: 'add', scope: [{ organisationId: otherTenant.body.result.organisationId }] }] } },
    });
    expect(outside.status).toBe(403);
    const badRole = await call(f, 'POST', '/v1/user/assign/role', { token: adminToken, body: { request: { userId: u.id, organisationId: tenantId, roles: ['NOPE'] } } });
    expect(badRole.status).toBe(400);
    expect(badRole.body.params.err).toBe('UOS_ROLUPD0018');
    const all = await call(f, 'GET', '/v1/role/read');
    expect(all.body.result.roles.map((r: any) => r.id)).toContain('ORG_ADMIN');
  });

  it('deletes a user, publishing delete.user and user.events', async () => {
    const u = await createUser();
    const withRole = await createUser();
    await call(f, 'POST', '/v1/user/assign/role', { token: adminToken, body: { request: { userId: withRole.id, organisationId: tenantId, roles: ['CONTENT_CREATOR'] } } });
    const refused = await call(f, 'POST', '/v1/user/delete', { token: await f.token(withRole.id), body: { request: { userId: withRole.id } } });
    expect(refused.status).toBe(400);
    expect(refused.body.params.err).toBe('UOS_USRDLT0083');
    const res = await call(f, 'POST', '/v1/user/delete', { token: await f.token(u.id), body: { request: { userId: u.id } } });
    expect(res.status).toBe(200);
    const read = await call(f, 'GET', `/v1/user/read/${u.id}`, { token: adminToken });
    expect(read.body.result.response).toMatchObject({ status: 2, isDeleted: true });
    const instruction = await eventually(() => Promise.resolve(events.find((e) => e.topic === 'delete.user' && e.key === u.id)));
    expect(instruction.value).toMatchObject({ eid: 'BE_JOB_REQUEST', object: { id: u.id, type: 'User' }, edata: { action: 'delete-user', userId: u.id, organisationId: tenantId } });
    const suggested = instruction.value.edata.suggested_users as { role: string; users: string[] }[];
    expect(suggested.find((s) => s.role === 'PUBLIC')?.users.length).toBeGreaterThan(0);
    expect(suggested.flatMap((s) => s.users)).not.toContain(u.id);
    const change = await eventually(() => Promise.resolve(events.find((e) => e.topic === 'user.events' && e.key === u.id && e.value.action === 'delete')));
    expect(change.value).toMatchObject({ schema: 'lern.userorg.event', version: 1, object: { id: u.id, type: 'User' }, actor: { id: u.id, type: 'User' } });
  });

  it('publishes one event per state change without personal data', async () => {
    const u = await createUser();
    await call(f, 'PATCH', '/v1/user/update', { token: await f.token(u.id), body: { request: { userId: u.id, lastName: 'Changed' } } });
    const mine = await eventually(() => {
      const list = events.filter((e) => e.topic === 'user.events' && e.key === u.id);
      return Promise.resolve(list.length >= 2 ? list : undefined);
    });
    expect(mine.map((e) => e.value.action)).toEqual(['create', 'update']);
    expect(mine[1]!.value.changedFields).toEqual(['lastName']);
    expect(JSON.stringify(mine)).not.toContain(u.email);
    expect(JSON.stringify(mine)).not.toContain(u.phone);
  });
});

describe('re-index', () => {
  it('rebuilds a user document from Cassandra', async () => {
    const u = await createUser();
    await f.search.delete('user_alias', u.id, { refresh: true });
    const before = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: { id: u.id } } } });
    expect(before.body.result.response.count).toBe(0);
    const sync = await call(f, 'POST', '/v1/data/sync', { token: s.sysToken, body: { request: { objectType: 'user', objectIds: [u.id] } } });
    expect(sync.body.result).toEqual({ response: 'SUCCESS', count: 1 });
    const after = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: { id: u.id } } } });
    expect(after.body.result.response.count).toBe(1);
    expect((await call(f, 'POST', '/v1/data/sync', { token: adminToken, body: { request: { objectType: 'user' } } })).status).toBe(403);
  });
});

describe('account state and rights take effect at once', () => {
  it('a blocked user is refused on the next request, and served again once unblocked', async () => {
    const u = await createUser();
    const token = await f.token(u.id);
    expect((await call(f, 'GET', `/v1/user/read/${u.id}`, { token })).status).toBe(200);
    expect((await call(f, 'POST', '/v1/user/block', { token: adminToken, body: { request: { userId: u.id } } })).status).toBe(200);
    const refused = await call(f, 'GET', `/v1/user/read/${u.id}`, { token });
    expect(refused.status).toBe(401);
    expect(refused.body.params.err).toBe('UOS_0070');
    expect((await call(f, 'POST', '/v1/user/unblock', { token: adminToken, body: { request: { userId: u.id } } })).status).toBe(200);
    expect((await call(f, 'GET', `/v1/user/read/${u.id}`, { token })).status).toBe(200);
  });

  it('a deleted user is refused on the next request', async () => {
    const u = await createUser();
    const token = await f.token(u.id);
    expect((await call(f, 'GET', `/v1/user/read/${u.id}`, { token })).status).toBe(200);
    expect((await call(f, 'POST', '/v1/user/delete', { token, body: { request: { userId: u.id } } })).status).toBe(200);
    expect((await call(f, 'GET', `/v1/user/read/${u.id}`, { token })).status).toBe(401);
  });

  it('a granted role counts from the next request and is stored with its scope', async () => {
    const u = await createUser();
    const token = await f.token(u.id);
    const block = () => call(f, 'POST', '/v1/user/block', { token, body: { request: { userId: tenant.adminId } } });
    // Fill the kit's caller cache with the user's current (plain) rights first.
    expect((await block()).status).toBe(403);
    const grant = await call(f, 'POST', '/v2/user/assign/role', {
      token: adminToken,
      body: { request: { userId: u.id, roles: [{ role: 'ORG_ADMIN', operation: 'add', scope: [{ organisationId: tenantId }] }] } },
    });
    expect(grant.status).toBe(200);
    expect((await f.store.roles.grants(u.id)).find((g) => g.role === 'ORG_ADMIN')?.scope).toEqual([{ organisationId: tenantId }]);
    const other = await createUser();
    expect((await call(f, 'POST', '/v1/user/block', { token, body: { request: { userId: other.id } } })).status).toBe(200);
  });

  it('an organisation administrator grants no role above its own', async () => {
    for (const [role, organisationId] of [
      ['SYSTEM_ADMINISTRATION', tenantId],
      ['SYSTEM_ADMINISTRATION', '*'],
      ['ORG_ADMIN', '*'],
    ] as const) {
      const res = await call(f, 'POST', '/v2/user/assign/role', {
        token: adminToken,
        body: { request: { userId: tenant.adminId, roles: [{ role, operation: 'add', scope: [{ organisationId }] }] } },
      });
      expect(res.status, `${role} in ${organisationId}`).toBe(403);
      const v1 = await call(f, 'POST', '/v1/user/assign/role', { token: adminToken, body: { request: { userId: tenant.adminId, organisationId, roles: [role] } } });
      expect(v1.status, `v1 ${role} in ${organisationId}`).toBe(403);
    }
    expect((await f.store.roles.grants(tenant.adminId)).map((g) => g.role).sort()).toEqual(['ORG_ADMIN', 'PUBLIC']);
    const created = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'X', email: unique.email(), channel: tenant.channel, roles: ['SYSTEM_ADMINISTRATION'] } } });
    expect(created.status).toBe(403);
    // A system administrator may.
    const bySys = await call(f, 'POST', '/v2/user/assign/role', {
      token: s.sysToken,
      body: { request: { userId: tenant.adminId, roles: [{ role: 'SYSTEM_ADMINISTRATION', operation: 'add', scope: [{ organisationId: '*' }] }] } },
    });
    expect(bySys.status).toBe(200);
    expect((await call(f, 'POST', '/v1/data/sync', { token: adminToken, body: { request: { objectType: 'location', objectIds: [randomUUID()] } } })).status).toBe(200);
  });
});
