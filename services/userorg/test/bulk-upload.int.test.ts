/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- responses are untyped JSON that the assertions walk */
/**
 * Bulk uploads against real Cassandra, Redis, Elasticsearch and Kafka: the three body formats,
 * background processing through the users, organisations and locations operations with per-row
 * results, size and row limits, header checks, refused callers, per-row authorisation, the status
 * route and the take-over of an upload whose replica stopped.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkStore, PROCESS_STATUS } from '../src/bulk/store.ts';
import { seed, send, startExtras, type ExtrasFixture } from './extras-fixture.ts';

let f: ExtrasFixture;
let tenant: string;
let admin: string;
let adminToken: string;
let sysadminToken: string;

const LIMITS = { maxFileBytes: 4000, maxLines: { user: 6, organisation: 6, location: 6 } };
const suffix = () => randomUUID().slice(0, 8);

function multipart(fields: Record<string, string>, file: { name: string; content: string } | null): { payload: string; headers: Record<string, string> } {
  const boundary = `----lern${suffix()}`;
  let payload = '';
  for (const [name, value] of Object.entries(fields)) payload += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  if (file) payload += `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="upload.csv"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`;
  payload += `--${boundary}--\r\n`;
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const json = (request: Record<string, unknown>) => ({ body: { request } });
const form = (fields: Record<string, string>) => ({ payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

/** Waits for the background rows and reads the upload's status as `token`. */
async function statusOf(processId: string, token = adminToken): Promise<{ status: number; body: Record<string, any> }> {
  await f.worker.idle();
  return send(f, 'GET', `/v1/upload/status/${processId}`, { token });
}

beforeAll(async () => {
  f = await startExtras(import.meta.url, { limits: LIMITS });
  tenant = await seed.org(f);
  admin = await seed.user(f, { rootOrgId: tenant });
  await seed.grant(f, admin, 'ORG_ADMIN', [tenant]);
  adminToken = await f.token(admin);
  const sysadmin = await seed.user(f);
  await seed.grant(f, sysadmin, 'SYSTEM_ADMINISTRATION', ['*']);
  sysadminToken = await f.token(sysadmin);
});

afterAll(async () => {
  await f?.close();
});

describe('POST /v1/bulk/location/upload', () => {
  it('creates locations in the background from a JSON upload and reports each row', async () => {
    const [a, b] = [`KA_${suffix()}`, `TN_${suffix()}`];
    const csv = `code,name,parentCode,parentId\n${a},Karnataka,,\n"${b}","Tamil ""Nadu""",,\n,No code,,\n`;
    const res = await send(f, 'POST', '/v1/bulk/location/upload', { token: adminToken, ...json({ data: csv, type: 'state' }) });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('api.bulk.location.upload');
    const { processId } = res.body.result as { processId: string };
    const status = await statusOf(processId);
    expect(status.status).toBe(200);
    const [entry] = status.body.result.response;
    expect(entry).toMatchObject({ processId, status: 'COMPLETED', objectType: 'location', message: 'Operation is completed.' });
    expect(entry.successResult).toHaveLength(2);
    expect(entry.successResult.map((r: { code: string }) => r.code)).toEqual([a, b]);
    expect(entry.successResult[1]).toMatchObject({ name: 'Tamil "Nadu"', type: 'state', operation: 'create' });
    expect(entry.failureResult).toEqual([expect.objectContaining({ name: 'No code', err_msg: 'Mandatory parameter code is missing.' })]);
    const stored = (await f.db.execute(`SELECT id FROM ${f.db.table('sunbird', 'location_code')} WHERE code = ?`, [a.toLowerCase()], { prepare: true })).first();
    expect(stored?.id).toBe(entry.successResult[0].id);
  });

  it('updates existing codes (multipart, form) and refuses a change of type per row', async () => {
    const code = `MH_${suffix()}`;
    const created = await send(f, 'POST', '/v1/bulk/location/upload', { token: adminToken, ...multipart({ type: 'state' }, { name: 'file', content: `code,name,parentCode,parentId\n${code},Maharashtra,,\n` }) });
    expect(created.status).toBe(200);
    expect((await statusOf(created.body.result.processId)).body.result.response[0].successResult).toHaveLength(1);
    const renamed = await send(f, 'POST', '/v1/bulk/location/upload', { token: adminToken, ...form({ type: 'state', data: `code,name,parentCode,parentId\n${code},Maha Rashtra,,\n` }) });
    expect(renamed.status).toBe(200);
    const [entry] = (await statusOf(renamed.body.result.processId)).body.result.response;
    expect(entry.successResult).toEqual([expect.objectContaining({ code, name: 'Maha Rashtra', operation: 'update' })]);
    const retyped = await send(f, 'POST', '/v1/bulk/location/upload', { token: adminToken, ...json({ type: 'district', data: `code,name,parentCode,parentId\n${code},Maharashtra,,\n` }) });
    const [failed] = (await statusOf(retyped.body.result.processId)).body.result.response;
    expect(failed.failureResult).toEqual([expect.objectContaining({ code, operation: 'update', err_msg: 'Update of type is not allowed.' })]);
  });

  it.each([
    ['a missing type', json({ data: 'code,name,parentCode,parentId\nX,Y,,\n' }), 'UOS_LOCUPLD0030', 'Mandatory parameter type is missing.'],
    ['no file', json({ type: 'state' }), 'UOS_LOCUPLD0035', 'Missing file attachment.'],
    ['a multipart body without a file', multipart({ type: 'state' }, null), 'UOS_LOCUPLD0035', 'Missing file attachment.'],
    ['an empty file', json({ type: 'state', data: '' }), 'UOS_LOCUPLD0010', 'CSV file is Empty.'],
    ['a header only', json({ type: 'state', data: 'code,name,parentCode,parentId\n' }), 'UOS_LOCUPLD0010', 'CSV file is Empty.'],
    ['a missing column', json({ type: 'state', data: 'code,name,parentCode\nX,Y,\n' }), 'UOS_LOCUPLD0030', 'Mandatory parameter parentId is missing.'],
    [
      'an unknown column',
      json({ type: 'state', data: 'code,name,parentCode,parentId,colour\nX,Y,,,red\n' }),
      'UOS_LOCUPLD0020',
      'Invalid column: colour. Valid columns are: code, name, parentCode, parentId.',
    ],
    ['too many rows', json({ type: 'state', data: `code,name,parentCode,parentId\n${'X,Y,,\n'.repeat(6)}` }), 'UOS_LOCUPLD0007', 'Maximum upload data size should be 5'],
    ['a file over the size limit', json({ type: 'state', data: `code,name,parentCode,parentId\nX,${'y'.repeat(4000)},,\n` }), 'UOS_LOCUPLD0014', 'Max allowed size is 0.004MB'],
    ['a file over the size limit in bytes, not characters', json({ type: 'state', data: `code,name,parentCode,parentId\nX,${'é'.repeat(2500)},,\n` }), 'UOS_LOCUPLD0014', 'Max allowed size is 0.004MB'],
    ['a multipart file over the size limit', multipart({ type: 'state' }, { name: 'csv', content: `code,name,parentCode,parentId\nX,${'y'.repeat(9000)},,\n` }), 'UOS_LOCUPLD0014', 'Max allowed size is 0.004MB'],
  ])('refuses %s with upstream’s code', async (_what, request, err, errmsg) => {
    const res = await send(f, 'POST', '/v1/bulk/location/upload', { token: adminToken, ...request });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err, errmsg, status: 'FAILED' });
  });

  it('refuses anonymous callers (401) and non-administrators (403) before reading the body', async () => {
    const anonymous = await send(f, 'POST', '/v1/bulk/location/upload', json({ type: 'state', data: 'code,name,parentCode,parentId\nX,Y,,\n' }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.params.err).toBe('UOS_0070');
    const plain = await send(f, 'POST', '/v1/bulk/location/upload', { token: await f.token(await seed.user(f, { rootOrgId: tenant })), ...json({ type: 'state', data: 'code\n' }) });
    expect(plain.status).toBe(403);
    expect(plain.body.params.err).toBe('UOS_0071');
  });
});

describe('POST /v1/org/upload', () => {
  it("creates schools in the uploader's tenant and fails rows with an unknown location", async () => {
    const [x, y] = [`EXT-${suffix()}`, `EXT-${suffix()}`];
    const csv = `orgName,externalId,description,locationCode\nGreen School,${x},First,\nBlue School,${y},,NOWHERE_${suffix()}\n`;
    const res = await send(f, 'POST', '/v1/org/upload', { token: adminToken, ...multipart({}, { name: 'file', content: csv }) });
    expect(res.status).toBe(200);
    const [entry] = (await statusOf(res.body.result.processId)).body.result.response;
    expect(entry).toMatchObject({ status: 'COMPLETED', objectType: 'organisation' });
    expect(entry.successResult).toEqual([expect.objectContaining({ orgName: 'Green School', externalId: x, operation: 'create', organisationId: expect.any(String) })]);
    expect(entry.failureResult).toEqual([expect.objectContaining({ orgName: 'Blue School', err_msg: 'Please provide valid locationCode.' })]);
    const org = (await f.db.execute(`SELECT rootorgid, orgname, istenant FROM ${f.db.table('sunbird', 'organisation')} WHERE id = ?`, [entry.successResult[0].organisationId], { prepare: true })).first();
    expect(org).toMatchObject({ rootorgid: tenant, orgname: 'Green School', istenant: false });
  });

  it('maps display column names from orgProfileConfig and checks its mandatory columns', async () => {
    await seed.setting(f, 'orgProfileConfig', JSON.stringify({ csv: { supportedColumns: { 'SCHOOL NAME': 'orgName', 'EXTERNAL ID': 'externalId', 'SCHOOL ID': 'organisationId' }, mandatoryColumns: ['orgName'] } }));
    try {
      const missing = await send(f, 'POST', '/v1/org/upload', { token: adminToken, ...json({ data: 'External Id\nE1\n' }) });
      expect(missing.status).toBe(400);
      expect(missing.body.params).toMatchObject({ err: 'UOS_ORGUPLD0030', errmsg: 'Mandatory parameter orgName is missing.' });
      const res = await send(f, 'POST', '/v1/org/upload', { token: adminToken, ...json({ data: `School Name,External ID\nRed School,EXT-${suffix()}\n,EXT-${suffix()}\n` }) });
      const [entry] = (await statusOf(res.body.result.processId)).body.result.response;
      expect(entry.successResult).toEqual([expect.objectContaining({ orgName: 'Red School', organisationId: expect.any(String) })]);
      expect(entry.failureResult).toEqual([expect.objectContaining({ err_msg: 'Mandatory parameter orgName is missing.' })]);
    } finally {
      await f.db.execute(`DELETE FROM ${f.db.table('sunbird', 'system_settings')} WHERE id = ?`, ['orgProfileConfig'], { prepare: true });
    }
  });

  it('needs the uploader to belong to an active tenant (0049)', async () => {
    const res = await send(f, 'POST', '/v1/org/upload', { token: sysadminToken, ...json({ data: 'orgName\nX\n' }) });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err: 'UOS_ORGUPLD0049', errmsg: 'Not able to associate with root org' });
  });
});

describe('POST /v1/user/upload', () => {
  it('creates users with masked contacts in the results, and fails bad rows', async () => {
    const [e1, e2] = [`bulk${suffix()}@example.com`, `bulk${suffix()}@example.com`];
    const csv = `firstName,email,userName,roles\nRavi,${e1},ravi_${suffix()},"CONTENT_CREATOR"\nSita,${e2},,\nNo Contact,,,\nDup,${e1},,\n`;
    const res = await send(f, 'POST', '/v1/user/upload', { token: adminToken, ...form({ data: csv }) });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('api.user.upload');
    const [entry] = (await statusOf(res.body.result.processId)).body.result.response;
    expect(entry).toMatchObject({ status: 'COMPLETED', objectType: 'user' });
    expect(entry.successResult.map((r: { firstName: string }) => r.firstName)).toEqual(['Ravi', 'Sita']);
    expect(entry.successResult[0].email).toMatch(/^bu\*+@example\.com$/);
    expect(entry.successResult[0]).toMatchObject({ operation: 'create', organisationId: tenant, id: expect.any(String) });
    expect(entry.failureResult.map((r: { firstName: string }) => r.firstName)).toEqual(['No Contact', 'Dup']);
    for (const failed of entry.failureResult) expect(failed.err_msg).toEqual(expect.any(String));
    const user = (await f.db.execute(`SELECT rootorgid, firstname, createdby FROM ${f.db.table('sunbird', 'user')} WHERE id = ?`, [entry.successResult[0].id], { prepare: true })).first();
    expect(user).toMatchObject({ rootorgid: tenant, firstname: 'Ravi', createdby: admin });
    const roles = (await f.db.execute(`SELECT role FROM ${f.db.table('sunbird', 'user_roles')} WHERE userid = ?`, [entry.successResult[0].id], { prepare: true })).rows.map((r) => r.role);
    expect(roles).toContain('CONTENT_CREATOR');
  });

  it('fails rows the uploader may not write: an administrator of a sub-organisation only', async () => {
    const school = await seed.org(f, { rootOrgId: tenant });
    const schoolAdmin = await seed.user(f, { rootOrgId: tenant, orgIds: [tenant, school] });
    await seed.grant(f, schoolAdmin, 'ORG_ADMIN', [school]);
    const res = await send(f, 'POST', '/v1/user/upload', { token: await f.token(schoolAdmin), ...json({ data: `firstName,email\nAsha,asha${suffix()}@example.com\n` }) });
    expect(res.status).toBe(200);
    const [entry] = (await statusOf(res.body.result.processId, await f.token(schoolAdmin))).body.result.response;
    expect(entry.successResult).toEqual([]);
    expect(entry.failureResult).toEqual([expect.objectContaining({ firstName: 'Asha', err_msg: 'You are forbidden from accessing specified resource.' })]);
  });

  it('refuses unknown columns of the default user fields (0020)', async () => {
    const res = await send(f, 'POST', '/v1/user/upload', { token: adminToken, ...json({ data: 'firstName,password\nA,B\n' }) });
    expect(res.status).toBe(400);
    expect(res.body.params.err).toBe('UOS_USRUPLD0020');
    expect(res.body.params.errmsg).toMatch(/^Invalid column: password\. Valid columns are: firstName, lastName, /);
  });
});

describe('GET /v1/upload/status/:processId', () => {
  it("is for the uploader and administrators of the uploader's tenant", async () => {
    const res = await send(f, 'POST', '/v1/bulk/location/upload', { token: adminToken, ...json({ type: 'state', data: `code,name,parentCode,parentId\nS_${suffix()},S,,\n` }) });
    const { processId } = res.body.result as { processId: string };
    expect((await statusOf(processId, sysadminToken)).status).toBe(200);
    const otherTenant = await seed.org(f);
    const otherAdmin = await seed.user(f, { rootOrgId: otherTenant });
    await seed.grant(f, otherAdmin, 'ORG_ADMIN', [otherTenant]);
    const refused = await statusOf(processId, await f.token(otherAdmin));
    expect(refused.status).toBe(403);
    expect((await send(f, 'GET', `/v1/upload/status/${processId}`)).status).toBe(401);
  });

  it('answers 404 for an unknown process and 400 for a malformed id', async () => {
    const missing = await send(f, 'GET', `/v1/upload/status/${randomUUID()}`, { token: adminToken });
    expect(missing.status).toBe(404);
    expect(missing.body.params).toMatchObject({ err: 'UOS_BLKSTSRED0013', errmsg: 'Requested  resource not found' });
    const bad = await send(f, 'GET', '/v1/upload/status/bad$id', { token: adminToken });
    expect(bad.status).toBe(400);
    expect(bad.body.params.err).toBe('UOS_BLKSTSRED0009');
  });

  it('shows an upload not yet run as NOT STARTED, and a stale one is taken over and finished', async () => {
    const store = new BulkStore(f.db);
    const processId = randomUUID();
    const code = `RS_${suffix()}`;
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await store.insertTasks(processId, [{ sequenceId: 1, data: f.cipher.encrypt(JSON.stringify({ code, name: 'Resumed', parentCode: null, parentId: null, type: 'state' })) }], longAgo);
    await store.createProcess({ id: processId, objectType: 'location', organisationId: tenant, uploadedBy: admin, taskCount: 1, now: longAgo, uploadedDate: 'x' });
    const waiting = await send(f, 'GET', `/v1/upload/status/${processId}`, { token: adminToken });
    expect(waiting.body.result.response).toEqual([{ processId, status: 'NOT STARTED', message: 'Operation is not started.' }]);
    expect(await f.worker.resumeStale()).toBe(1);
    // A second take-over finds nothing: the heartbeat moved.
    expect(await f.worker.resumeStale()).toBe(0);
    const [entry] = (await statusOf(processId)).body.result.response;
    expect(entry).toMatchObject({ status: 'COMPLETED', successResult: [expect.objectContaining({ code, operation: 'create' })] });
    expect((await store.process(processId))?.status).toBe(PROCESS_STATUS.COMPLETED);
  });
});
