/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- responses are untyped JSON that the assertions walk */
/**
 * Users against real Cassandra, Redis and Elasticsearch: create/read/update/search/exists/lookup,
 * validation, duplicates, pagination, cache invalidation, what sign-up ignores, the public view of
 * the open lookups and the users a search shows. Status, roles, auth and events: users-status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { userCacheKey } from '../src/cache.ts';
import { call, startFixture, unique, type Fixture } from './helpers.ts';
import { seed, type Seed, type Tenant } from './seed.ts';

let f: Fixture;
let s: Seed;
let tenant: Tenant;
let adminToken: string;
let channel: string;
let tenantId: string;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  s = await seed(f);
  tenant = await s.tenant();
  ({ adminToken, channel, id: tenantId } = tenant);
});

afterAll(async () => {
  await f?.close();
});

const createUser = (extra: Record<string, unknown> = {}, url = '/v2/user/create') => s.user(tenant, extra, url);

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
    const dupEmail = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'B', email: first.email.toUpperCase(), channel } } });
    expect(dupEmail.status).toBe(400);
    expect(dupEmail.body.params.err).toBe('UOS_USRCRT0004');
    expect(dupEmail.body.params.errmsg).toContain('for email is already in use');
    expect(dupEmail.body.params.errmsg).not.toContain(first.email);
    const dupPhone = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'B', phone: first.phone, channel } } });
    expect(dupPhone.status).toBe(400);
    expect(dupPhone.body.params.err).toBe('UOS_USRCRT0004');
    const dupName = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'B', email: unique.email(), userName: userName.toUpperCase(), channel } } });
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
    const look = await call(f, 'POST', '/private/user/v1/lookup', { internal: true, body: { request: { key: 'email', value: u.email, fields: ['id', 'firstName', 'email'] } } });
    expect(look.status).toBe(200);
    expect(look.body.result.response).toEqual([{ id: u.id, firstName: 'Ravi', email: expect.stringContaining('*') }]);
    const empty = await call(f, 'POST', '/private/user/v1/lookup', { internal: true, body: { request: {} } });
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

describe('sign-up', () => {
  it('creates a PUBLIC user with unverified contacts whatever the request says', async () => {
    const email = unique.email();
    const res = await call(f, 'POST', '/v1/user/signup', {
      body: { request: { firstName: 'Eve', email, emailVerified: true, phoneVerified: true, roles: ['SYSTEM_ADMINISTRATION', 'ORG_ADMIN'] } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const id = res.body.result.userId;
    const grants = await f.store.roles.grants(id);
    expect(grants.map((g) => g.role)).toEqual(['PUBLIC']);
    const user = await f.store.users.get(id);
    expect(user).toMatchObject({ emailVerified: false, phoneVerified: false, roles: ['PUBLIC'] });
    // And the kit sees no administrator.
    expect((await call(f, 'POST', '/v1/data/sync', { token: await f.token(id), body: { request: { objectType: 'user' } } })).status).toBe(403);
  });
});

describe('who sees what', () => {
  it('the open lookups show the public view to those who may not read the user', async () => {
    const u = await createUser({ userName: unique.userName(), gender: 'female' });
    const other = await s.tenant('Other');
    for (const token of [undefined, await f.token(randomUUID()), other.adminToken]) {
      const res = await call(f, 'GET', `/v1/user/get/email/${u.email}`, token ? { token } : {});
      expect(res.status).toBe(200);
      const view = res.body.result.response;
      expect(view).toMatchObject({ id: u.id, firstName: 'Ravi', roles: [] });
      expect(view).not.toHaveProperty('gender');
      expect(view).not.toHaveProperty('emailVerified');
      expect(view.organisations[0]).not.toHaveProperty('roles');
      expect(JSON.stringify(view)).not.toContain(u.email);
    }
    for (const token of [adminToken, s.sysToken, await f.token(u.id)]) {
      const view = (await call(f, 'GET', `/v2/user/get/phone/${u.phone}`, { token })).body.result.response;
      expect(view).toMatchObject({ id: u.id, gender: 'female', roles: [{ role: 'PUBLIC' }] });
    }
  });

  it('reads by id and userName follow the read rule', async () => {
    const userName = unique.userName();
    const u = await createUser({ userName });
    const other = await s.tenant('Other');
    for (const url of [`/v1/user/get/id/${u.id}`, `/v2/user/get/userName/${userName}`, `/v1/user/read/${u.id}`, `/v1/user/role/read/${u.id}`]) {
      expect((await call(f, 'GET', url, { token: other.adminToken })).status, url).toBe(403);
      expect((await call(f, 'GET', url, { token: await f.token(randomUUID()) })).status, url).toBe(403);
      expect((await call(f, 'GET', url, { token: adminToken })).status, url).toBe(200);
      expect((await call(f, 'GET', url, { token: await f.token(u.id) })).status, url).toBe(200);
    }
  });

  it('a search shows an administrator their organisations\' users and anyone else only themself', async () => {
    const lastName = `Vis${randomUUID().slice(0, 8)}`;
    const a = await createUser({ lastName });
    const b = await createUser({ lastName });
    const other = await s.tenant('Other');
    const found = async (token: string) =>
      (await call(f, 'POST', '/v1/user/search', { token, body: { request: { filters: { lastName } } } })).body.result.response.content.map((u: any) => u.id).sort();
    expect(await found(adminToken)).toEqual([a.id, b.id].sort());
    expect(await found(s.sysToken)).toEqual([a.id, b.id].sort());
    expect(await found(await f.token(a.id))).toEqual([a.id]);
    expect(await found(other.adminToken)).toEqual([]);
    const internal = await call(f, 'POST', '/private/user/v1/search', { internal: true, body: { request: { filters: { lastName } } } });
    expect(internal.body.result.response.count).toBe(2);
    expect((await call(f, 'POST', '/private/user/v1/search', { token: s.sysToken, body: { request: { filters: { lastName } } } })).status).toBe(404);
  });

  it('caps the page size at 100', async () => {
    const res = await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: {}, limit: 101 } } });
    expect(res.status).toBe(400);
    expect(res.body.params.err).toBe('UOS_USRSER0017');
    expect((await call(f, 'POST', '/v1/user/search', { token: adminToken, body: { request: { filters: {}, limit: 100 } } })).status).toBe(200);
  });
});
