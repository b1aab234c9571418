/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- responses are untyped JSON that the assertions walk */
/**
 * Organisations, locations, system settings and tenant preferences, on OpenSearch (the other
 * suites use Elasticsearch): success paths, validation, auth, not-found, duplicates, pagination,
 * and unique values given back when a request fails or a value changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelValue, locationCodeValue, orgExternalIdValue } from '../src/store/index.ts';
import { call, startFixture, unique, type Fixture } from './helpers.ts';
import { seed, type Seed, type Tenant } from './seed.ts';

let f: Fixture;
let s: Seed;
let tenant: Tenant;
let sysToken: string;
let adminToken: string;
let userToken: string;

beforeAll(async () => {
  f = await startFixture(import.meta.url, 'opensearch');
  s = await seed(f);
  sysToken = s.sysToken;
  tenant = await s.tenant();
  adminToken = tenant.adminToken;
  userToken = await f.token(randomUUID());
});

afterAll(async () => {
  await f?.close();
});

describe('organisations', () => {
  it('creates a tenant and sub-orgs, reads, updates, changes status and searches', async () => {
    const channel = unique.channel();
    const created = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: 'State Board', channel, organisationType: 'board', isTenant: true, email: 'board@example.com', externalId: 'ExtId' } } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: 'api.org.create', responseCode: 'OK', result: { response: 'SUCCESS' } });
    const tenantId = created.body.result.organisationId;
    await f.grant(tenant.adminId, 'ORG_ADMIN', [tenantId as string]);
    const read = await call(f, 'POST', '/v1/org/read', { body: { request: { organisationId: tenantId } } });
    expect(read.body.result.response).toMatchObject({ id: tenantId, channel, slug: channel, isTenant: true, rootOrgId: tenantId, status: 1, organisationType: 5 });
    const subs = [];
    for (let i = 0; i < 3; i++) {
      const sub = await call(f, 'POST', '/v1/org/create', { token: adminToken, body: { request: { orgName: `School ${i}`, organisationType: 'school', isTenant: false, rootOrgId: tenantId } } });
      expect(sub.status).toBe(200);
      subs.push(sub.body.result.organisationId);
    }
    const upd = await call(f, 'PATCH', '/v1/org/update', { token: adminToken, body: { request: { organisationId: subs[0], orgName: 'Renamed School', description: 'd' } } });
    expect(upd.status).toBe(200);
    const status = await call(f, 'PATCH', '/v1/org/status/update', { token: adminToken, body: { request: { organisationId: subs[1], status: 0 } } });
    expect(status.status).toBe(200);
    const page1 = await call(f, 'POST', '/v1/org/search', { body: { request: { filters: { rootOrgId: tenantId, isTenant: false }, limit: 2, offset: 0, sort_by: { orgName: 'asc' } } } });
    expect(page1.body.result.response.count).toBe(3);
    expect(page1.body.result.response.content.map((o: any) => o.orgName)).toEqual(['Renamed School', 'School 1']);
    const page2 = await call(f, 'POST', '/v2/org/search', { body: { request: { filters: { rootOrgId: tenantId, isTenant: false }, limit: 2, offset: 2, sort_by: { orgName: 'asc' } } } });
    expect(page2.body.result.response.content.map((o: any) => o.orgName)).toEqual(['School 2']);
    const inactive = await call(f, 'POST', '/v1/org/search', { body: { request: { filters: { rootOrgId: tenantId, status: 0 } } } });
    expect(inactive.body.result.response.content.map((o: any) => o.id)).toEqual([subs[1]]);
    const text = await call(f, 'POST', '/v1/org/search', { body: { request: { filters: { rootOrgId: tenantId }, query: 'renamed' } } });
    expect(text.body.result.response.count).toBe(1);
  });

  it('refuses duplicates, bad input, unknown ids and wrong roles', async () => {
    const channel = unique.channel();
    const body = { request: { orgName: 'T', channel, organisationType: 'board', isTenant: true } };
    expect((await call(f, 'POST', '/v1/org/create', { token: sysToken, body })).status).toBe(200);
    const dup = await call(f, 'POST', '/v1/org/create', { token: sysToken, body });
    expect(dup.status).toBe(400);
    expect(dup.body.params).toMatchObject({ err: 'UOS_ORGCRT0004', errmsg: `Value ${channel} for channel is already in use.` });
    const noChannel = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: 'T', organisationType: 'board', isTenant: true } } });
    expect(noChannel.body.params.err).toBe('UOS_ORGCRT0030');
    const badType = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: 'T', organisationType: 'castle', isTenant: false } } });
    expect(badType.body.params.err).toBe('UOS_ORGCRT0018');
    const tenantByAdmin = await call(f, 'POST', '/v1/org/create', { token: adminToken, body: { request: { orgName: 'T', channel: unique.channel(), organisationType: 'board', isTenant: true } } });
    expect(tenantByAdmin.status).toBe(403);
    const byUser = await call(f, 'PATCH', '/v1/org/update', { token: userToken, body: { request: { organisationId: 'x', orgName: 'y' } } });
    expect(byUser.status).toBe(403);
    const noToken = await call(f, 'PATCH', '/v1/org/update', { body: { request: { organisationId: 'x', orgName: 'y' } } });
    expect(noToken.status).toBe(401);
    const missing = await call(f, 'PATCH', '/v1/org/update', { token: adminToken, body: { request: { organisationId: 'nope', orgName: 'y' } } });
    expect(missing.status).toBe(404);
    expect(missing.body.params.err).toBe('UOS_ORGUPD0013');
    const readMissing = await call(f, 'POST', '/v1/org/read', { body: { request: { organisationId: '@!23' } } });
    expect(readMissing.status).toBe(404);
    expect(readMissing.body.params).toMatchObject({ err: 'UOS_ORGRED0013', errmsg: 'Requested organisation resource not found' });
    const badStatus = await call(f, 'PATCH', '/v1/org/status/update', { token: adminToken, body: { request: { organisationId: 'x', status: 9 } } });
    expect(badStatus.body.params.err).toBe('UOS_OSTSUPD0017');
  });
});

describe('locations', () => {
  it('builds a hierarchy, searches it, updates and deletes leaf-first', async () => {
    const stateCode = unique.code();
    const state = await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request: { code: stateCode, name: 'Karnataka', type: 'state' } } });
    expect(state.status).toBe(200);
    const stateId = state.body.result.id;
    const district = await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request: { code: unique.code(), name: 'Bengaluru', type: 'district', parentId: stateId } } });
    expect(district.status).toBe(200);
    const block = await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request: { code: unique.code(), name: 'Anekal', type: 'block', parentCode: stateCode } } });
    expect(block.status).toBe(200);
    const children = await call(f, 'POST', '/v1/location/search', { body: { request: { filters: { parentId: stateId }, sort_by: { name: 'asc' } } } });
    expect(children.body.result.count).toBe(2);
    expect(children.body.result.response.map((l: any) => l.name)).toEqual(['Anekal', 'Bengaluru']);
    const byType = await call(f, 'POST', '/v1/location/search', { body: { request: { filters: { type: 'state', code: stateCode }, limit: 5 } } });
    expect(byType.body.result.response).toEqual([{ id: stateId, identifier: stateId, code: stateCode, name: 'Karnataka', type: 'state' }]);
    const upd = await call(f, 'PATCH', '/v1/location/update', { token: adminToken, body: { request: { id: stateId, name: 'Karnataka State' } } });
    expect(upd.status).toBe(200);
    const refused = await call(f, 'DELETE', `/v1/location/delete/${stateId}`, { token: adminToken });
    expect(refused.status).toBe(400);
    expect(refused.body.params.err).toBe('UOS_LOCDEL0029');
    expect((await call(f, 'DELETE', `/v1/location/delete/${district.body.result.id}`, { token: adminToken })).status).toBe(200);
    expect((await call(f, 'DELETE', `/v1/location/delete/${block.body.result.id}`, { token: adminToken })).status).toBe(200);
    expect((await call(f, 'DELETE', `/v1/location/delete/${stateId}`, { token: adminToken })).status).toBe(200);
    const gone = await call(f, 'DELETE', `/v1/location/delete/${stateId}`, { token: adminToken });
    expect(gone.status).toBe(404);
    // The freed code can be used again.
    expect((await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request: { code: stateCode, name: 'Again', type: 'state' } } })).status).toBe(200);
  });

  it.each([
    [{ name: 'n', type: 'state' }, 'UOS_LOCCRT0030', 'Mandatory parameter code is missing.'],
    [{ code: 'c1', type: 'state' }, 'UOS_LOCCRT0030', 'Mandatory parameter name is missing.'],
    [{ code: 'c1', name: 'n' }, 'UOS_LOCCRT0030', 'Mandatory parameter type is missing.'],
    [{ code: 'c1', name: 'n', type: 'invalid_type' }, 'UOS_LOCCRT0018', undefined],
    [{ code: 'c1', name: 'n', type: 'district' }, 'UOS_LOCCRT0030', 'Mandatory parameter parentId or parentCode is missing.'],
    [{ code: 'c1', name: 'n', type: 'state', parentId: 'p', parentCode: 'q' }, 'UOS_LOCCRT0034', 'For top level location, parentId or parentCode is not allowed.'],
  ])('create %j -> %s', async (request, err, errmsg) => {
    const res = await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request } });
    expect(res.status).toBe(400);
    expect(res.body.params.err).toBe(err);
    if (errmsg) expect(res.body.params.errmsg).toBe(errmsg);
  });

  it('refuses duplicate codes, anonymous writes and a missing body', async () => {
    const code = unique.code();
    await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request: { code, name: 'A', type: 'state' } } });
    const dup = await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request: { code: code.toLowerCase(), name: 'B', type: 'state' } } });
    expect(dup.status).toBe(400);
    expect(dup.body.params.err).toBe('UOS_LOCCRT0004');
    expect((await call(f, 'POST', '/v1/location/create', { body: { request: { code: unique.code(), name: 'A', type: 'state' } } })).status).toBe(401);
    const noBody = await call(f, 'POST', '/v1/location/search');
    expect(noBody.status).toBe(400);
    expect(noBody.body.params.err).toBe('UOS_0028');
  });
});

describe('system settings and tenant preferences', () => {
  it('sets, gets and lists settings; only SYSTEM_ADMINISTRATION writes', async () => {
    const id = `setting_${randomUUID().slice(0, 8)}`;
    const set = await call(f, 'POST', '/v1/system/settings/set', { token: sysToken, body: { request: { id, field: id, value: { a: 1 } } } });
    expect(set.status).toBe(200);
    const get = await call(f, 'GET', `/v1/system/settings/get/${id}`);
    expect(get.body.result.response).toEqual({ id, field: id, value: '{"a":1}' });
    const list = await call(f, 'GET', '/v1/system/settings/list');
    expect(list.body.result.response.map((s: any) => s.id)).toContain(id);
    expect((await call(f, 'POST', '/v1/system/settings/set', { token: adminToken, body: { request: { id, field: id, value: 'x' } } })).status).toBe(403);
    const missing = await call(f, 'GET', '/v1/system/settings/get/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.params.err).toBe('UOS_SYSRED0013');
    const invalid = await call(f, 'POST', '/v1/system/settings/set', { token: sysToken, body: { request: { id } } });
    expect(invalid.body.params.err).toBe('UOS_SYSCRT0030');
  });

  it('creates, reads and updates tenant preferences', async () => {
    const key = `pref_${randomUUID().slice(0, 8)}`;
    const body = { request: { orgId: '*', key, data: { theme: 'dark' } } };
    // Every tenant's preference is the system's: not an organisation administrator's to write.
    expect((await call(f, 'POST', '/v2/org/preferences/create', { token: adminToken, body })).status).toBe(403);
    expect((await call(f, 'POST', '/v2/org/preferences/create', { token: sysToken, body })).status).toBe(200);
    const dup = await call(f, 'POST', '/v2/org/preferences/create', { token: sysToken, body });
    expect(dup.status).toBe(400);
    expect(dup.body.params.err).toBe('UOS_TPREFCRT0002');
    const read = await call(f, 'POST', '/v2/org/preferences/read', { body: { request: { orgId: '*', key } } });
    expect(read.body.result.response).toMatchObject({ orgId: '*', key, data: { theme: 'dark' } });
    expect((await call(f, 'PATCH', '/v2/org/preferences/update', { token: sysToken, body: { request: { orgId: '*', key, data: { theme: 'light' } } } })).status).toBe(200);
    expect((await call(f, 'POST', '/v2/org/preferences/read', { body: { request: { orgId: '*', key } } })).body.result.response.data).toEqual({ theme: 'light' });
    const missing = await call(f, 'POST', '/v2/org/preferences/read', { body: { request: { orgId: '*', key: 'nope' } } });
    expect(missing.status).toBe(404);
    expect((await call(f, 'PATCH', '/v2/org/preferences/update', { token: userToken, body })).status).toBe(403);
    const own = { request: { orgId: tenant.id, key, data: { theme: 'blue' } } };
    expect((await call(f, 'POST', '/v2/org/preferences/create', { token: adminToken, body: own })).status).toBe(200);
    const other = await s.tenant('Other');
    expect((await call(f, 'PATCH', '/v2/org/preferences/update', { token: other.adminToken, body: own })).status).toBe(403);
    expect((await call(f, 'POST', '/private/v2/org/preferences/read', { internal: true, body: { request: { orgId: tenant.id, key } } })).body.result.response.data).toEqual({ theme: 'blue' });
  });
});

describe('unique values', () => {
  it('a tenant refused for a taken external id gives its channel back', async () => {
    const channel = unique.channel();
    // An external id already held in that channel (say, by an organisation since removed).
    await f.store.unique.reserve(orgExternalIdValue(channel, 'EXT-1'), 'another-org');
    const refused = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: 'T', channel, organisationType: 'board', isTenant: true, externalId: 'ext-1' } } });
    expect(refused.status).toBe(400);
    expect(refused.body.params).toMatchObject({ err: 'UOS_ORGCRT0004', errmsg: 'Value ext-1 for externalId is already in use.' });
    expect(await f.store.unique.owner(channelValue(channel))).toBeNull();
    const again = await call(f, 'POST', '/v1/org/create', { token: sysToken, body: { request: { orgName: 'T', channel, organisationType: 'board', isTenant: true, externalId: 'ext-2' } } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
  });

  it('an organisation update frees the old external id', async () => {
    const create = (externalId: string) =>
      call(f, 'POST', '/v1/org/create', { token: adminToken, body: { request: { orgName: 'School', organisationType: 'school', isTenant: false, rootOrgId: tenant.id, externalId } } });
    const first = await create('OLD-ID');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const id = first.body.result.organisationId;
    expect((await create('OLD-ID')).status).toBe(400);
    expect((await call(f, 'PATCH', '/v1/org/update', { token: adminToken, body: { request: { organisationId: id, externalId: 'NEW-ID' } } })).status).toBe(200);
    expect(await f.store.unique.owner(orgExternalIdValue(tenant.channel, 'OLD-ID'))).toBeNull();
    expect(await f.store.unique.owner(orgExternalIdValue(tenant.channel, 'NEW-ID'))).toBe(id);
    expect((await create('OLD-ID')).status).toBe(200);
    expect((await create('NEW-ID')).status).toBe(400);
  });

  it('a user refused for one taken value gives back the others it reserved', async () => {
    const taken = await s.user(tenant);
    const email = unique.email();
    const userName = unique.userName();
    const refused = await call(f, 'POST', '/v2/user/create', { token: adminToken, body: { request: { firstName: 'B', email, userName, phone: taken.phone, channel: tenant.channel } } });
    expect(refused.status).toBe(400);
    expect(refused.body.params.err).toBe('UOS_USRCRT0004');
    expect((await call(f, 'GET', `/v1/user/exists/email/${email}`)).body.result.exists).toBe(false);
    expect((await call(f, 'GET', `/v1/user/exists/userName/${userName}`)).body.result.exists).toBe(false);
  });

  it('a location re-code frees the old code', async () => {
    const oldCode = unique.code();
    const created = await call(f, 'POST', '/v1/location/create', { token: adminToken, body: { request: { code: oldCode, name: 'S', type: 'state' } } });
    const id = created.body.result.id;
    const newCode = unique.code();
    expect((await call(f, 'PATCH', '/v1/location/update', { token: adminToken, body: { request: { id, code: newCode } } })).status).toBe(200);
    expect(await f.store.unique.owner(locationCodeValue(oldCode))).toBeNull();
    expect(await f.store.unique.owner(locationCodeValue(newCode))).toBe(id);
  });
});
