/**
 * The request rules of the schemas, through the real app with a system administrator's token but no
 * servers: each bad request must get upstream's `err` and message from the kit's validator before
 * any handler runs, and each good one must pass validation (its handler then reaches the stand-in
 * dependencies, which refuse to work: a 500 here means "validation passed").
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { addRoutes, createApp, createCallerDirectory, defineService, loadConfig, SYSTEM_SCOPE, type LernApp } from '@lern/kit';
import type { UserOrgDeps } from '../src/context.ts';
import { KIT_ERROR_CODES } from '../src/errors.ts';
import { userOrgRoutes } from '../src/routes.ts';

const ISSUER = 'http://127.0.0.1/realms/validation';
let app: LernApp;
let dir: string;
let token: string;

/** Dependencies that refuse every use: reaching one means validation passed. */
const unusable = new Proxy({}, { get: () => { throw new Error('validation passed'); } }) as UserOrgDeps;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'userorg-validation-'));
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(dir, 'k1'), await exportSPKI(publicKey));
  const callers = createCallerDirectory({ resolve: () => Promise.resolve({ status: 'active', grants: [{ role: 'SYSTEM_ADMINISTRATION', orgIds: [SYSTEM_SCOPE] }] }) });
  const service = defineService({ name: 'userorg', connectors: [], errorCodes: KIT_ERROR_CODES, register: (a) => addRoutes(a, ...userOrgRoutes(unusable)) });
  app = await createApp({ service, config: loadConfig({ LERN_AUTH_KEYS_DIR: dir, LERN_AUTH_ISSUER: ISSUER }), callers, logger: false });
  await app.ready();
  token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setSubject('f:p:sys').setExpirationTime('1h').sign(privateKey);
});

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

async function send(method: 'GET' | 'POST' | 'PATCH', url: string, request?: Record<string, unknown>) {
  const res = await app.inject({ method, url, headers: { 'x-authenticated-user-token': token }, ...(request ? { payload: { request } } : {}) });
  return { status: res.statusCode, params: res.json<{ params: { err: string | null; errmsg: string | null } }>().params };
}

const fmt = '{0}';

describe('user create', () => {
  it.each<[string, Record<string, unknown>, string, string?]>([
    ['/v2/user/create', { lastName: 'x', email: 'a@b.co' }, 'UOS_USRCRT0030', 'Mandatory parameter firstName is missing.'],
    ['/v2/user/create', {}, 'UOS_USRCRT0030', 'Mandatory parameter firstName is missing.'],
    ['/v2/user/create', { firstName: 'A' }, 'UOS_USRCRT0019', 'Please provide valid email or phone.'],
    ['/v2/user/create', { firstName: 'A', email: '', phone: null }, 'UOS_USRCRT0019', 'Please provide valid email or phone.'],
    ['/v2/user/create', { firstName: 'A', phone: '', email: '&*^*' }, 'UOS_USRCRT0009', 'Invalid format for given email.'],
    ['/v2/user/create', { firstName: 'A', email: '', phone: '819813^&' }, 'UOS_USRCRT0009', 'Invalid format for given phone.'],
    ['/v2/user/create', { firstName: 'A', phone: '1234567890' }, 'UOS_USRCRT0009', 'Invalid format for given phone.'],
    ['/v2/user/create', { firstName: 'A', phone: 1234567890 }, 'UOS_USRCRT0009', 'Invalid format for given phone.'],
    ['/v2/user/create', { firstName: 'A', email: 'x@example.com', password: 'test1234' }, 'UOS_USRCRT0024'],
    ['/v2/user/create', { firstName: { a: 1 }, email: 'x@example.com' }, 'UOS_USRCRT0003', 'Data type of firstName should be string.'],
    ['/v2/user/create', { firstName: 'A', email: 'x@example.com', managedBy: 'p' }, 'UOS_USRCRT0065', 'managedBy cannot be updated.'],
    ['/v2/user/create', { firstName: 'A', email: 'x@example.com', roles: ['KING'] }, 'UOS_USRCRT0018'],
    ['/v2/user/create', { firstName: 'A', email: 'x@example.com', userName: 'has space' }, 'UOS_USRCRT0009', 'Invalid format for given userName.'],
    ['/v2/user/create', { firstName: 'A', email: 'x@example.com', language: Array.from({ length: 101 }, () => 'x') }, 'UOS_USRCRT0017'],
    ['/v2/user/create', { firstName: 'A', email: 'x@example.com', profileLocation: [{ type: 'state' }] }, 'UOS_USRCRT0030', 'Mandatory parameter id is missing.'],
    ['/v1/user/create', { firstName: 'A', email: 'x@example.com' }, 'UOS_USRCRT0030', 'Mandatory parameter userName is missing.'],
    ['/v1/user/signup', { firstName: 'A', email: 'invalidemailformat.com' }, 'UOS_USRCRT0009', `Invalid format for given ${fmt}.`],
    ['/v1/user/signup', { firstName: 'A', phone: 'abc1234567' }, 'UOS_USRCRT0009', `Invalid format for given ${fmt}.`],
    ['/v4/user/create', { firstName: 'A' }, 'UOS_USRCRT0030', 'Mandatory parameter managedBy is missing.'],
    ['/v4/user/create', { firstName: 'A', managedBy: 'p', email: 'x@example.com' }, 'UOS_USRCRT0011', 'Please provide only email or phone or managed by'],
  ])('%s %j -> %s', async (url, request, err, errmsg) => {
    const res = await send('POST', url, request);
    expect(res.status).toBe(400);
    expect(res.params.err).toBe(err);
    if (errmsg) expect(res.params.errmsg).toBe(errmsg);
  });

  it.each<[string, Record<string, unknown>]>([
    ['/v2/user/create', { firstName: 'A', email: 'x@example.com', phone: '' }],
    ['/v2/user/create', { firstName: 'A', phone: 8888888888, lastName: '' }],
    ['/v2/user/create', { firstName: 'A', phone: '4155550100', countryCode: '+1' }],
    ['/v3/user/create', { firstName: 'A', email: 'x@example.com', lastname: '', username: 'u.1', profileUserType: { userType: 'administrator', userSubType: 'hm' } }],
    ['/v1/ssouser/create', { firstName: 'A', email: 'x@example.com', externalIds: { id: '1', idType: 't', provider: 'p' } }],
    ['/v1/user/signup', { firstName: 'A', email: 'x@example.com', roles: ['ORG_ADMIN'], emailVerified: true }],
    ['/v4/user/create', { firstName: 'A', managedBy: 'p', email: '' }],
  ])('%s %j passes', async (url, request) => {
    expect((await send('POST', url, request)).status).not.toBe(400);
  });
});

describe('other routes', () => {
  it.each<[ 'GET' | 'POST' | 'PATCH', string, Record<string, unknown> | undefined, string, string?]>([
    ['PATCH', '/v1/user/update', { userId: 'u', phone: '@#$' }, 'UOS_USRUPD0009', 'Invalid format for given phone.'],
    ['PATCH', '/v1/user/update', { userId: 'u', channel: 'x' }, 'UOS_USRUPD0033', 'Update of channel is not allowed.'],
    ['PATCH', '/v1/user/update', { userId: 'u', managedBy: 'x' }, 'UOS_USRUPD0065'],
    ['POST', '/v1/user/block', {}, 'UOS_USRBLOK0030', 'Mandatory parameter userId is missing.'],
    ['POST', '/v1/user/search', {}, 'UOS_USRSER0030', 'Mandatory parameter filters is missing.'],
    ['POST', '/v1/user/search', { filters: {}, limit: 101 }, 'UOS_USRSER0017'],
    ['POST', '/v1/user/search', { filters: { 'a b': 1 } }, 'UOS_USRSER0021'],
    ['POST', '/v1/user/search', { filters: { age: { '~': 1 } } }, 'UOS_USRSER0021'],
    ['GET', '/v1/user/exists/email/12345', undefined, 'UOS_UEXIST0009', `Invalid format for given ${fmt}.`],
    ['GET', '/v1/user/exists/shoe/12345', undefined, 'UOS_UEXIST0018'],
    ['GET', '/v1/user/get/email/blabla', undefined, 'UOS_USRRED0009', `Invalid format for given ${fmt}.`],
    ['POST', '/v2/user/assign/role', { userId: 'u', roles: [{ role: 'ORG_ADMIN', operation: 'grant', scope: [{ organisationId: 'o' }] }] }, 'UOS_ROLUPD0018'],
    ['POST', '/v2/user/assign/role', { userId: 'u', roles: [{ role: 'ORG_ADMIN', scope: [] }] }, 'UOS_ROLUPD0031'],
    ['POST', '/v1/org/create', { channel: 'c', organisationType: 'school', isTenant: true }, 'UOS_ORGCRT0030', 'Mandatory parameter orgName is missing.'],
    ['POST', '/v1/org/create', { orgName: 'O', channel: 'c', isTenant: true }, 'UOS_ORGCRT0030', 'Mandatory parameter organisationType is missing.'],
    ['POST', '/v1/org/create', { orgName: 'O', organisationType: 'school' }, 'UOS_ORGCRT0030', 'Mandatory parameter isTenant is missing.'],
    ['POST', '/v1/org/create', { orgName: 'O', organisationType: 'school', isTenant: true }, 'UOS_ORGCRT0030', 'Mandatory parameter channel is missing.'],
    ['POST', '/v1/org/create', { orgName: 'O', organisationType: 'castle', isTenant: false }, 'UOS_ORGCRT0018'],
    ['POST', '/v1/org/create', { orgName: 'O', organisationType: 'school', isTenant: true, channel: 'c', email: 'invalid_email' }, 'UOS_ORGCRT0009', 'Invalid format for given email.'],
    ['POST', '/v1/org/create', { orgName: 'O', organisationType: 'board', isTenant: true, channel: 'c', license: '' }, 'UOS_ORGCRT0031', 'Mandatory parameter license is empty.'],
    ['PATCH', '/v1/org/update', { organisationId: 'o', isTenant: true }, 'UOS_ORGUPD0033', 'Update of isTenant is not allowed.'],
    ['PATCH', '/v1/org/status/update', { organisationId: 'o', status: 9 }, 'UOS_OSTSUPD0017'],
    ['POST', '/v1/org/read', {}, 'UOS_ORGRED0030', 'Mandatory parameter organisationId is missing.'],
    ['POST', '/v1/location/create', { name: 'n', type: 'state' }, 'UOS_LOCCRT0030', 'Mandatory parameter code is missing.'],
    ['POST', '/v1/location/create', { code: 'c', name: 'n', type: 'invalid_type' }, 'UOS_LOCCRT0018'],
    ['POST', '/v1/location/create', { code: 'c', name: 'n', type: 'district' }, 'UOS_LOCCRT0030', 'Mandatory parameter parentId or parentCode is missing.'],
    ['POST', '/v1/location/create', { code: 'c', name: 'n', type: 'state', parentId: 'p' }, 'UOS_LOCCRT0034', 'For top level location, parentId or parentCode is not allowed.'],
    ['PATCH', '/v1/location/update', { id: 'l', type: 'state' }, 'UOS_LOCUPD0033', 'Update of type is not allowed.'],
    ['POST', '/v1/system/settings/set', { id: 's', field: 's' }, 'UOS_SYSCRT0030', 'Mandatory parameter value is missing.'],
    ['POST', '/v2/org/preferences/create', { orgId: 'o', key: 'k', data: 'text' }, 'UOS_TPREFCRT0003'],
    ['POST', '/v1/data/sync', { objectType: 'course' }, 'UOS_ESSYNC0018'],
  ])('%s %s %j -> %s', async (method, url, request, err, errmsg) => {
    const res = await send(method, url, request);
    expect(res.status).toBe(400);
    expect(res.params.err).toBe(err);
    if (errmsg) expect(res.params.errmsg).toBe(errmsg);
  });

  it('a body that is not JSON, or no body, is upstream\'s UOS_0028', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/location/search', headers: { 'x-authenticated-user-token': token } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ params: { err: string } }>().params.err).toBe('UOS_0028');
  });
});
