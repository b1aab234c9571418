/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- responses are untyped JSON that the assertions walk */
/**
 * Managed-user read and login-id read against real Cassandra (storage-attached index on managedby)
 * and Redis: success with sorting, validation, refused callers, unknown users.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, send, startExtras, type ExtrasFixture } from './extras-fixture.ts';

let f: ExtrasFixture;
let tenant: string;
let parent: string;
let parentToken: string;
let children: string[];

beforeAll(async () => {
  f = await startExtras(import.meta.url);
  tenant = await seed.org(f);
  parent = await seed.user(f, { rootOrgId: tenant });
  parentToken = await f.token(parent);
  children = [
    await seed.user(f, { rootOrgId: tenant, managedBy: parent, firstName: 'Bela' }),
    await seed.user(f, { rootOrgId: tenant, managedBy: parent, firstName: 'Asha' }),
    await seed.user(f, { rootOrgId: tenant, managedBy: parent, firstName: 'Chandra' }),
  ];
  await seed.user(f, { rootOrgId: tenant, managedBy: parent, firstName: 'Gone', isDeleted: true });
});

afterAll(async () => {
  await f?.close();
});

describe('GET /v1/user/managed/:luaUuid', () => {
  it('lists the non-deleted managed users, sorted as asked', async () => {
    const res = await send(f, 'GET', `/v1/user/managed/${parent}?sortBy=firstName&order=desc`, { token: parentToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.user.managed', ver: 'v1', responseCode: 'OK' });
    expect(res.body.result.response.count).toBe(3);
    expect(res.body.result.response.content.map((u: { firstName: string }) => u.firstName)).toEqual(['Chandra', 'Bela', 'Asha']);
    expect(new Set(res.body.result.response.content.map((u: { id: string }) => u.id))).toEqual(new Set(children));
    expect(res.body.result.response.content[0].managedBy).toBe(parent);
  });

  it('answers an empty list for a user without managed users, and shows the list to an administrator', async () => {
    const lonely = await seed.user(f, { rootOrgId: tenant });
    const own = await send(f, 'GET', `/v1/user/managed/${lonely}`, { token: await f.token(lonely) });
    expect(own.status).toBe(200);
    expect(own.body.result.response).toEqual({ content: [], count: 0 });
    const admin = await seed.user(f, { rootOrgId: tenant });
    await seed.grant(f, admin, 'ORG_ADMIN', [tenant]);
    const byAdmin = await send(f, 'GET', `/v1/user/managed/${parent}`, { token: await f.token(admin) });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.result.response.count).toBe(3);
  });

  it('refuses other users (403), administrators of other organisations (403) and anonymous callers (401)', async () => {
    const stranger = await seed.user(f, { rootOrgId: tenant });
    expect((await send(f, 'GET', `/v1/user/managed/${parent}`, { token: await f.token(stranger) })).status).toBe(403);
    const otherTenant = await seed.org(f);
    const otherAdmin = await seed.user(f, { rootOrgId: otherTenant });
    await seed.grant(f, otherAdmin, 'ORG_ADMIN', [otherTenant]);
    const res = await send(f, 'GET', `/v1/user/managed/${parent}`, { token: await f.token(otherAdmin) });
    expect(res.status).toBe(403);
    expect(res.body.params.err).toBe('UOS_0071');
    expect((await send(f, 'GET', `/v1/user/managed/${parent}`)).status).toBe(401);
  });

  it('validates the path and query with upstream’s codes', async () => {
    const bad = await send(f, 'GET', '/v1/user/managed/not-a-uuid', { token: parentToken });
    expect(bad.status).toBe(400);
    expect(bad.body.params).toMatchObject({ err: 'UOS_USRRED0021', errmsg: 'Invalid parameter luaUuid in request.' });
    const order = await send(f, 'GET', `/v1/user/managed/${parent}?sortBy=firstName&order=up`, { token: parentToken });
    expect(order.status).toBe(400);
    expect(order.body.params.err).toBe('UOS_USRRED0018');
  });

  it('lets an administrator learn that an unknown user manages nobody', async () => {
    const sysadmin = await seed.user(f);
    await seed.grant(f, sysadmin, 'SYSTEM_ADMINISTRATION', ['*']);
    const res = await send(f, 'GET', `/v1/user/managed/${randomUUID()}`, { token: await f.token(sysadmin) });
    expect(res.status).toBe(200);
    expect(res.body.result.response.count).toBe(0);
  });
});

describe('POST /v1/user/getuser', () => {
  const byLogin = (loginId: unknown) => ({ request: { loginId } });

  it('reads a user by login id for the user themself and for an administrator', async () => {
    const userName = `login_${randomUUID().slice(0, 8)}`;
    const user = await seed.user(f, { rootOrgId: tenant, userName, firstName: 'Lata' });
    const own = await send(f, 'POST', '/v1/user/getuser', { token: await f.token(user), body: byLogin(userName.toUpperCase()) });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: 'api.user.getuser', result: { response: { id: user, firstName: 'Lata' } } });
    const admin = await seed.user(f, { rootOrgId: tenant });
    await seed.grant(f, admin, 'ORG_ADMIN', [tenant]);
    const byAdmin = await send(f, 'POST', '/v1/user/getuser', { token: await f.token(admin), body: byLogin(userName) });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.result.response.id).toBe(user);
  });

  it('refuses other users (403) and anonymous callers (401)', async () => {
    const userName = `login_${randomUUID().slice(0, 8)}`;
    await seed.user(f, { rootOrgId: tenant, userName });
    const stranger = await seed.user(f, { rootOrgId: tenant });
    const res = await send(f, 'POST', '/v1/user/getuser', { token: await f.token(stranger), body: byLogin(userName) });
    expect(res.status).toBe(403);
    expect(res.body.params.err).toBe('UOS_0071');
    expect((await send(f, 'POST', '/v1/user/getuser', { body: byLogin(userName) })).status).toBe(401);
  });

  it('answers upstream’s 404 for an unknown login id', async () => {
    const res = await send(f, 'POST', '/v1/user/getuser', { token: parentToken, body: byLogin('Nobody_Here') });
    expect(res.status).toBe(404);
    expect(res.body.params).toMatchObject({ err: 'UOS_USRRED0013', errmsg: 'Requested nobody_here resource not found' });
  });

  it.each([[{ request: {} }], [byLogin('  ')], [byLogin(12)]])('refuses %j with "Please provide valid loginId." (0019)', async (body) => {
    const res = await send(f, 'POST', '/v1/user/getuser', { token: parentToken, body });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err: 'UOS_USRRED0019', errmsg: 'Please provide valid loginId.' });
  });
});
