/**
 * Terms acceptance against real Cassandra, Redis and Elasticsearch: the latest version from the
 * system setting, acceptance recorded on the user (default and other types), managed users,
 * upstream's validation codes, refused callers and unknown users.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, send, startExtras, type ExtrasFixture } from './extras-fixture.ts';

let f: ExtrasFixture;
let tenant: string;

const accept = (request: Record<string, unknown>) => ({ request });

async function userRow(id: string): Promise<Record<string, unknown>> {
  const r = (await f.db.execute(`SELECT tncacceptedversion, tncacceptedon, alltncaccepted, updatedby FROM ${f.db.table('sunbird', 'user')} WHERE id = ?`, [id], { prepare: true })).first();
  return r;
}

beforeAll(async () => {
  f = await startExtras(import.meta.url);
  tenant = await seed.org(f);
  await seed.setting(f, 'tncConfig', JSON.stringify({ latestVersion: 'v4', v4: { url: 'https://example.org/terms/v4.html' } }));
  await seed.setting(f, 'orgAdminTnc', JSON.stringify({ latestVersion: '2.0' }));
});

afterAll(async () => {
  await f?.close();
});

describe('POST /v1/user/tnc/accept', () => {
  it('records the latest version and date, and shows them on the user read', async () => {
    const user = await seed.user(f, { rootOrgId: tenant });
    const token = await f.token(user);
    const before = Date.now();
    const res = await send(f, 'POST', '/v1/user/tnc/accept', { token, body: accept({ version: 'v4' }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.user.tnc.accept', responseCode: 'OK', result: { response: 'SUCCESS' } });
    const row = await userRow(user);
    expect(row.tncacceptedversion).toBe('v4');
    expect((row.tncacceptedon as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const read = await send(f, 'GET', `/v1/user/read/${user}`, { token });
    expect(read.status).toBe(200);
    expect(read.body.result.response.tncAcceptedVersion).toBe('v4');
  });

  it('changes nothing when the version was already accepted', async () => {
    const user = await seed.user(f, { rootOrgId: tenant });
    const token = await f.token(user);
    await send(f, 'POST', '/v1/user/tnc/accept', { token, body: accept({ version: 'v4' }) });
    const first = await userRow(user);
    const again = await send(f, 'POST', '/v1/user/tnc/accept', { token, body: accept({ version: 'V4' }) });
    expect(again.status).toBe(200);
    expect((await userRow(user)).tncacceptedon).toEqual(first.tncacceptedon);
  });

  it('records other terms types in alltncaccepted, for holders of the role they need', async () => {
    const admin = await seed.user(f, { rootOrgId: tenant });
    await seed.grant(f, admin, 'ORG_ADMIN', [tenant]);
    const res = await send(f, 'POST', '/v1/user/tnc/accept', { token: await f.token(admin), body: accept({ version: '2.0', tncType: 'orgAdminTnc' }) });
    expect(res.status).toBe(200);
    const all = (await userRow(admin)).alltncaccepted as Record<string, string>;
    const stored = JSON.parse(all.orgAdminTnc!) as Record<string, string>;
    expect(stored.version).toBe('2.0');
    expect(stored.tncAcceptedOn).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3}\+0000$/);

    const plain = await seed.user(f, { rootOrgId: tenant });
    const refused = await send(f, 'POST', '/v1/user/tnc/accept', { token: await f.token(plain), body: accept({ version: '2.0', tncType: 'orgAdminTnc' }) });
    expect(refused.status).toBe(400);
    expect(refused.body.params).toMatchObject({ err: 'UOS_TNCACCPT0017', errmsg: `Invalid value ${tenant} for parameter organisationId. Please provide a valid value.` });
  });

  it('lets a parent accept for a managed user, by userId or acting for them', async () => {
    const parent = await seed.user(f, { rootOrgId: tenant });
    const child = await seed.user(f, { rootOrgId: tenant, managedBy: parent });
    const parentToken = await f.token(parent);
    const res = await send(f, 'POST', '/v1/user/tnc/accept', { token: parentToken, body: accept({ version: 'v4', userId: child }) });
    expect(res.status).toBe(200);
    expect((await userRow(child)).tncacceptedversion).toBe('v4');
    expect((await userRow(child)).updatedby).toBe(parent);
    expect((await userRow(parent)).tncacceptedversion).toBeNull();

    const other = await seed.user(f, { rootOrgId: tenant, managedBy: parent });
    const actingFor = await send(f, 'POST', '/v1/user/tnc/accept', { token: parentToken, forToken: await f.token(other, { parentId: parent }), body: accept({ version: 'v4' }) });
    expect(actingFor.status).toBe(200);
    expect((await userRow(other)).tncacceptedversion).toBe('v4');
  });

  it('refuses to accept for a user the caller does not manage (403), and needs a token (401)', async () => {
    const stranger = await seed.user(f, { rootOrgId: tenant });
    const someone = await seed.user(f, { rootOrgId: tenant });
    const res = await send(f, 'POST', '/v1/user/tnc/accept', { token: await f.token(stranger), body: accept({ version: 'v4', userId: someone }) });
    expect(res.status).toBe(403);
    expect(res.body.params.err).toBe('UOS_0071');
    expect((await send(f, 'POST', '/v1/user/tnc/accept', { body: accept({ version: 'v4' }) })).status).toBe(401);
  });

  it.each([
    [{}, 'UOS_TNCACCPT0030', 'Mandatory parameter version is missing.'],
    [{ version: '  ' }, 'UOS_TNCACCPT0030', 'Mandatory parameter version is missing.'],
    [{ version: 'v4', userId: 'not-a-uuid' }, 'UOS_TNCACCPT0052', 'Invalid property userId.'],
    [{ version: 'v3' }, 'UOS_TNCACCPT0017', 'Invalid value v3 for parameter version. Please provide a valid value.'],
    [{ version: '1.0', tncType: 'unconfiguredTnc' }, 'UOS_TNCACCPT0017', 'Invalid value 1.0 for parameter version. Please provide a valid value.'],
  ])('refuses %j with upstream’s code', async (request, err, errmsg) => {
    const user = await seed.user(f, { rootOrgId: tenant });
    const res = await send(f, 'POST', '/v1/user/tnc/accept', { token: await f.token(user), body: accept(request) });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err, errmsg });
  });

  it('answers 404 for a caller with no user record, and 0006 for a deleted one', async () => {
    const ghost = randomUUID();
    const missing = await send(f, 'POST', '/v1/user/tnc/accept', { token: await f.token(ghost), body: accept({ version: 'v4' }) });
    expect(missing.status).toBe(404);
    expect(missing.body.params).toMatchObject({ err: 'UOS_TNCACCPT0013', errmsg: 'Requested user resource not found' });
    const parent = await seed.user(f, { rootOrgId: tenant });
    const deletedChild = await seed.user(f, { rootOrgId: tenant, managedBy: parent, isDeleted: true });
    const deleted = await send(f, 'POST', '/v1/user/tnc/accept', { token: await f.token(parent), body: accept({ version: 'v4', userId: deletedChild }) });
    expect(deleted.status).toBe(400);
    expect(deleted.body.params).toMatchObject({ err: 'UOS_TNCACCPT0006', errmsg: 'User account has been blocked .' });
  });
});
