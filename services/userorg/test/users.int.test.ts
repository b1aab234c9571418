/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- responses are untyped JSON that the assertions walk */
/**
 * Users against real Cassandra, Redis, Elasticsearch and Kafka: create/read/update/search/exists/
 * lookup/block/unblock/delete/roles, validation, auth failures, duplicates, pagination, cache
 * invalidation and the published events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { userCacheKey } from '../src/cache.ts';
import { call, eventually, startFixture, unique, type Fixture } from './helpers.ts';

let f: Fixture;
let consumer: Consumer;
const events: { topic: string; key: string; value: Record<string, any> }[] = [];
const admin = randomUUID();
const sysadmin = randomUUID();
let adminToken: string;
let sysToken: string;
let tenantId: string;
let channel: string;

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
  await f.grant(sysadmin, 'SYSTEM_ADMINISTRATION');
  sysToken = await f.token(sysadmin);
  channel = unique.channel();
  const org = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: 'Tenant', channel, organisationType: 'board', isTenant: true } } });
  expect(org.status).toBe(200);
  tenantId = org.body.result.organisationId;
  await f.grant(admin, 'ORG_ADMIN', [tenantId]);
  adminToken = await f.token(admin);
});

afterAll(async () => {
  await consumer?.disconnect();
  await f?.close();
});

async function createUser(extra: Record<string, unknown> = {}, url = '/v2/user/create') {
  const email = unique.email();
  const phone = unique.phone();
  const res = await call(f, 'POST', url, { token: adminToken, body: { request: { firstName: 'Ravi', lastName: 'Kumar', email, phone, channel, ...extra } } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { id: res.body.result.userId as string, email, phone };
}

describe('create and read', () => {
  it('creates on every create path and reads back masked personal data', async () => {
    for (const url of ['/v1/user/create', '/v2/user/create', '/v3/user/create', '/v1/ssouser/create']) {
      const userName = unique.userName();
      const { id, email, phone } = await createUser({ userName, password: 'Pass@1234' }, url);
      const res = await call(f, 'GET', `/v3/user/read/${id}`, { token: await f.token(id) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: 'api.user.read', ver: 'v3', responseCode: 'OK', params: { status: 'SUCCESS', err: null } });
      const user = res.body.result.response;
      expect(user).toMatchObject({ id, userName, firstName: 'Ravi', channel, rootOrgId: tenantId, status: 1 });
      expect(user.email).toBe(`${email.slice(0, 2)}${'*'.repeat(email.indexOf('@') - 2)}${email.slice(email.indexOf('@'))}`);
      expect(user.phone).toBe(`******${phone.slice(-4)}`);
      expect(user.organisations.map((o: any) => o.organisationId)).toEqual([tenantId]);
      expect(user.rootOrg.id).toBe(tenantId);
      expect(JSON.stringify(user)).not.toContain(email);
    }
  });

  it('stores email and phone encrypted in Cassandra', async () => {
    const { id, email, phone } = await createUser();
    const row = (await f.db.execute(`SELECT email, phone, maskedemail FROM ${f.db.table('sunbird', 'user')} WHERE id = ?`, [id])).first();
    expect(row.get('email')).toMatch(/^v1:/);
    expect(row.get('email')).not.toContain(email);
    expect(row.get('phone')).not.toContain(phone);
    expect(row.get('maskedemail')).toContain('*');
  });

  it('signs up without a token and creates managed users for the caller', async () => {
    const signup = await call(f, 'POST', '/v1/user/signup', { body: { request: { firstName: 'Self', phone: unique.phone() } } });
    expect(signup.status).toBe(200);
    const parent = signup.body.result.userId;
    const child = await call(f, 'POST', '/v4/user/create', { token: await f.token(parent), body: { request: { firstName: 'Child', managedBy: parent } } });
    expect(child.status).toBe(200);
    const other = await call(f, 'POST', '/v4/user/create', { token: await f.token(randomUUID()), body: { request: { firstName: 'Child', managedBy: parent } } });
    expect(other.status).toBe(403);
  });

  it('reads through the cache and drops it on update', async () => {
    const { id } = await createUser();
    const token = await f.token(id);
    await call(f, 'GET', `/v1/user/read/${id}`, { token });
    const redis = f.redis.client;
    expect(await redis.exists(userCacheKey(id))).toBe(1);
    const upd = await call(f, 'PATCH', '/v1/user/update', { token, body: { request: { userId: id, firstName: 'Renamed' } } });
    expect(upd.status).toBe(200);
    expect(upd.body.result).toEqual({ response: 'SUCCESS', errors: [] });
    expect(await redis.exists(userCacheKey(id))).toBe(0);
    const res = await call(f, 'GET', `/v5/user/read/${id}`, { token });
    expect(res.body.result.response.firstName).toBe('Renamed');
  });

  it('returns 404 for an unknown user (to an administrator) and 403 to others', async () => {
    const missing = randomUUID();
    const res = await call(f, 'GET', `/v1/user/read/${missing}`, { token: adminToken });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ responseCode: 'RESOURCE_NOT_FOUND', params: { status: 'FAILED', err: 'UOS_USRRED0013' } });
    const other = await call(f, 'GET', `/v1/user/read/${missing}`, { token: await f.token(randomUUID()) });
    expect(other.status).toBe(403);
  });
});

describe('validation', () => {
  it.each([
    [{ lastName: 'x', email: 'a@b.co' }, 'UOS_USRCRT0030', 'Mandatory parameter firstName is missing.'],
    [{ firstName: 'A' }, 'UOS_USRCRT0019', 'Please provide valid email or phone.'],
    [{ firstName: 'A', email: '&*^*' }, 'UOS_USRCRT0009', 'Invalid format for given email.'],
    [{ firstName: 'A', email: '', phone: '819813^&' }, 'UOS_USRCRT0009', 'Invalid format for given phone.'],
    [{ firstName: 'A', email: 'x@example.com', password: 'test1234' }, 'UOS_USRCRT0024', undefined],
    [{ firstName: { a: 1 }, email: 'x@example.com' }, 'UOS_USRCRT0003', undefined],
  ])('create %j -> %s', async (request, err, errmsg) => {
    const res = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request } });
    expect(res.status).toBe(400);
    expect(res.body.responseCode).toBe('CLIENT_ERROR');
    expect(res.body.params.err).toBe(err);
    if (errmsg) expect(res.body.params.errmsg).toBe(errmsg);
  });

  it('rejects a body without request and malformed JSON', async () => {
    const noRequest = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: {} });
    expect(noRequest.status).toBe(400);
    expect(noRequest.body.params.err).toMatch(/^UOS_/);
    const malformed = await call(f, 'POST', '/v2/user/create', { token: adminToken, rawBody: '{"request":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.params.err).toBe('UOS_0028');
  });

  it('rejects a bad phone on update', async () => {
    const { id } = await createUser();
    const res = await call(f, 'PATCH', '/v3/user/update', { token: await f.token(id), body: { request: { userId: id, phone: '@#$' } } });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err: 'UOS_USRUPD0009', errmsg: 'Invalid format for given phone.' });
  });
});

describe('uniqueness', () => {
  it('refuses a second user with the same email, phone or userName (any case)', async () => {
    const userName = unique.userName();
    const first = await createUser({ userName });
    const dupEmail = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'B', email: first.email.toUpperCase() } } });
    expect(dupEmail.status).toBe(400);
    expect(dupEmail.body.params.err).toBe('UOS_USRCRT0004');
    expect(dupEmail.body.params.errmsg).toContain('for email is already in use');
    expect(dupEmail.body.params.errmsg).not.toContain(first.email);
    const dupPhone = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'B', phone: first.phone } } });
    expect(dupPhone.status).toBe(400);
    expect(dupPhone.body.params.err).toBe('UOS_USRCRT0004');
    const dupName = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'B', email: unique.email(), userName: userName.toUpperCase() } } });
    expect(dupName.status).toBe(400);
    // The refused request released what it had claimed: its email is still free.
    const exists = await call(f, 'GET', `/v1/user/exists/email/${encodeURIComponent(first.email)}`);
    expect(exists.body.result).toEqual({ exists: true });
  });

  it('moves uniqueness with an email change and refuses a taken one on update', async () => {
    const a = await createUser();
    const b = await createUser();
    const taken = await call(f, 'PATCH', '/v1/user/update', { token: await f.token(a.id), body: { request: { userId: a.id, email: b.email } } });
    expect(taken.status).toBe(400);
    expect(taken.body.params.err).toBe('UOS_USRUPD0004');
    const newEmail = unique.email();
    expect((await call(f, 'PATCH', '/v1/user/update', { token: await f.token(a.id), body: { request: { userId: a.id, email: newEmail } } })).status).toBe(200);
    expect((await call(f, 'GET', `/v1/user/exists/email/${a.email}`)).body.result.exists).toBe(false);
    expect((await call(f, 'GET', `/v1/user/exists/email/${newEmail}`)).body.result.exists).toBe(true);
  });
});

describe('lookup', () => {
  it('exists, get by key and private lookup', async () => {
    const userName = unique.userName();
    const u = await createUser({ userName });
    expect((await call(f, 'GET', `/v1/user/exists/phone/${u.phone}`)).body.result).toEqual({ exists: true });
    expect((await call(f, 'GET', `/v2/user/exists/email/nobody-${u.email}`)).body.result).toEqual({ exists: false });
    const bad = await call(f, 'GET', '/v1/user/exists/email/12345');
    expect(bad.status).toBe(400);
    expect(bad.body.params.err).toBe('UOS_UEXIST0009');
    const get = await call(f, 'GET', `/v1/user/get/email/${u.email}`);
    expect(get.status).toBe(200);
    expect(get.body.result.response.id).toBe(u.id);
    expect((await call(f, 'GET', `/v1/user/get/userName/${userName}`)).status).toBe(401);
    expect((await call(f, 'GET', `/v1/user/get/userName/${userName}`, { token: adminToken })).body.result.response.id).toBe(u.id);
    const look = await call(f, 'POST', '/private/user/v1/lookup', { body: { request: { key: 'email', value: u.email, fields: ['id', 'firstName', 'email'] } } });
    expect(look.status).toBe(200);
    expect(look.body.result.response).toEqual([{ id: u.id, firstName: 'Ravi', email: expect.stringContaining('*') }]);
    const empty = await call(f, 'POST', '/private/user/v1/lookup', { body: { request: {} } });
    expect(empty.status).toBe(400);
    expect(empty.body.params.err).toBe('UOS_USRLKP0030');
  });
});

describe('search and pagination', () => {
  it('finds by email filter, free text, paginates and sorts', async () => {
    const lastName = `Pg${randomUUID().slice(0, 8)}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createUser({ lastName, firstName: `Page${i}` }));
    const byEmail = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: { email: created[2]!.email } } } });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.result.response.count).toBe(1);
    expect(byEmail.body.result.response.content[0].id).toBe(created[2]!.id);
    expect(byEmail.body.result.response.content[0]).not.toHaveProperty('emailHash');
    const pages: string[] = [];
    for (const offset of [0, 2, 4]) {
      const page = await call(f, 'POST', '/v3/user/search', {
        token: adminToken,
        body: { request: { filters: { lastName }, limit: 2, offset, sort_by: { firstName: 'asc' }, fields: ['id', 'firstName'] } },
      });
      expect(page.body.result.response.count).toBe(5);
      pages.push(...page.body.result.response.content.map((u: any) => u.firstName));
    }
    expect(pages).toEqual(['Page0', 'Page1', 'Page2', 'Page3', 'Page4']);
    const text = await call(f, 'POST', '/v2/user/search', { token: adminToken, body: { request: { filters: { lastName }, query: 'page' } } });
    expect(text.body.result.response.count).toBe(5);
    const missing = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: {} } });
    expect(missing.status).toBe(400);
    expect(missing.body.params).toMatchObject({ err: 'UOS_USRSER0030', errmsg: 'Mandatory parameter filters is missing.' });
  });
});

describe('auth', () => {
  it('missing, expired, wrong key, wrong issuer, unknown kid -> 401; wrong role -> 403', async () => {
    const body = { request: { firstName: 'A', email: unique.email() } };
    const missing = await call(f, 'POST', '/v2/user/create', { body });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ responseCode: 'UNAUTHORIZED', params: { err: 'UOS_0070', status: 'FAILED' } });
    for (const token of [
      await f.token(admin, { expiresInSec: -60 }),
      await f.token(admin, { foreignKey: true }),
      await f.token(admin, { issuer: 'http://elsewhere/realms/x' }),
      await f.token(admin, { kid: 'nope' }),
      'not.a.jwt',
    ]) {
      const res = await call(f, 'POST', '/v2/user/create', { token, body });
      expect(res.status).toBe(401);
      expect(res.body.params.err).toBe('UOS_0070');
    }
    const plain = await call(f, 'POST', '/v2/user/create', { token: await f.token(randomUUID()), body });
    expect(plain.status).toBe(403);
    expect(plain.body).toMatchObject({ responseCode: 'FORBIDDEN', params: { err: 'UOS_0071' } });
    const readNoToken = await call(f, 'GET', `/v1/user/read/${admin}`);
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
    const roles = await call(f, 'GET', `/v1/user/role/read/${u.id}`);
    expect(roles.body.result.response.map((r: any) => r.role).sort()).toEqual(['CONTENT_CREATOR', 'COURSE_MENTOR', 'PUBLIC']);
    const search = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: { 'roles.role': 'COURSE_MENTOR', id: u.id } } } });
    expect(search.body.result.response.count).toBe(1);
    const otherTenant = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: 'Other', channel: unique.channel(), organisationType: 'board', isTenant: true } } });
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
    const sync = await call(f, 'POST', '/v1/data/sync', { token: sysToken, body: { request: { objectType: 'user', objectIds: [u.id] } } });
    expect(sync.body.result).toEqual({ response: 'SUCCESS', count: 1 });
    const after = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: { id: u.id } } } });
    expect(after.body.result.response.count).toBe(1);
    expect((await call(f, 'POST', '/v1/data/sync', { token: adminToken, body: { request: { objectType: 'user' } } })).status).toBe(403);
  });
});
