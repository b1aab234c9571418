/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * Replays upstream's userorg request/response examples (../shared/reference/upstream-api/userorg/)
 * with the Postman placeholders filled in: every example that names an HTTP status and an err
 * code (`UOS_...`) must give the same status, responseCode and err here, and every success example
 * the same envelope id/ver/status. Examples from 2020-era docs with un-prefixed codes and no
 * request, and those whose status is the API gateway's own (plain-text 401/403 bodies), are
 * compared on HTTP status only where they carry a request.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, unique, type Fixture } from './helpers.ts';
import { seed } from './seed.ts';

const DIR = resolve(import.meta.dirname, '../../../../shared/reference/upstream-api/userorg');

interface Example {
  method?: string | null;
  path?: string | null;
  gateway_path?: string | null;
  request?: unknown;
  http_status?: number | null;
  responseCode?: string | null;
  err?: string | null;
  errmsg?: string | null;
  note?: string;
}
interface OperationFile {
  method: string;
  path: string;
  request: unknown;
  expected_success_assertions?: Record<string, unknown> | null;
  error_examples?: Example[];
}

/** Operations this service implements (feed, managed v1 and others are out of scope). */
const IMPLEMENTED = new Set([
  'location_create', 'location_search', 'org_create', 'org_create_suborg', 'org_read', 'org_search', 'ssouser_create',
  'user_block', 'user_unblock', 'user_create_v1', 'user_create_v2', 'user_create_v3', 'user_create_v4', 'user_create_managed_v1',
  'user_exists', 'user_get_by_key', 'user_lookup', 'user_read', 'user_role_assign_v1', 'user_role_assign_v2', 'user_search',
  'user_signup', 'user_update',
]);

/** Who calls each operation (upstream's gateway consumer -> our roles). */
const CALLER: Record<string, 'sysadmin' | 'admin' | 'self' | 'none'> = {
  location_create: 'admin', location_search: 'none', org_create: 'sysadmin', org_create_suborg: 'sysadmin', org_read: 'none', org_search: 'none',
  ssouser_create: 'admin', user_block: 'admin', user_unblock: 'admin', user_create_v1: 'admin', user_create_v2: 'admin', user_create_v3: 'admin',
  user_create_v4: 'self', user_create_managed_v1: 'self', user_exists: 'none', user_get_by_key: 'none', user_lookup: 'none', user_read: 'self',
  user_role_assign_v1: 'admin', user_role_assign_v2: 'admin', user_search: 'admin', user_signup: 'none', user_update: 'self',
};

let f: Fixture;
let ctx: Record<string, string>;
const tokens: Record<string, string> = {};

function fill(value: unknown, vars: Record<string, string>): unknown {
  const fresh: Record<string, () => string> = {
    random_email: unique.email,
    random_phone_number: unique.phone,
    random_user_name: unique.userName,
    random_channel_name: unique.channel,
    random_code: unique.code,
    random_first_name: () => 'First',
    random_last_name: () => 'Last',
    random_password: () => 'Pass@1234',
    random_org_name: () => `Org ${randomUUID().slice(0, 6)}`,
    random_location_name: () => `Place ${randomUUID().slice(0, 6)}`,
  };
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    if (whole) return fresh[whole[1]!]?.() ?? vars[whole[1]!] ?? value;
    return value.replace(/\{\{(\w+)\}\}/g, (m, k: string) => fresh[k]?.() ?? vars[k] ?? m);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

/** Service path of an error example that only names the gateway path (/api/user/v3/update -> /v3/user/update). */
function servicePath(op: OperationFile, ex: Example): string {
  if (ex.path) return ex.path;
  const gw = ex.gateway_path ?? '';
  const m = /^\/api\/(user|org|data)\/(v\d)\/(.+)$/.exec(gw);
  if (!m) return op.path;
  if (m[1] === 'data') return `/${m[2]}/${m[3]}`;
  const rest = m[3]!;
  if (rest.startsWith('role/assign')) return `/${m[2]}/user/assign/role`;
  if (m[1] === 'user' && rest.startsWith('read/')) return `/${m[2]}/user/read/${rest.slice(5)}`;
  if (m[1] === 'user' && (rest.startsWith('exists/') || rest.startsWith('get/'))) return `/${m[2]}/user/${rest}`;
  return `/${m[2]}/${m[1]}/${rest}`;
}

const files = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((n) => n.endsWith('.json') && IMPLEMENTED.has(n.replace(/\.json$/, '')))
      .sort()
  : [];

/** Operations whose example acts on `{{user_id}}` in a way that would lock the caller out: they get a user of their own. */
const OWN_USER = new Set(['user_block', 'user_unblock']);
let ownUserId: string;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  const s = await seed(f);
  tokens.sysadmin = s.sysToken;
  const { id: orgId, channel, adminToken } = await s.tenant('Replay');
  tokens.admin = adminToken;
  // Users created without a channel join the custodian organisation, which the administrator administers.
  await call(f, 'POST', '/v1/system/settings/set', { token: tokens.sysadmin, body: { request: { id: 'custodianOrgId', field: 'custodianOrgId', value: orgId } } });
  const email = unique.email();
  const user = await call(f, 'POST', '/v2/user/create', { token: tokens.admin, body: { request: { firstName: 'Replay', email, channel, userName: unique.userName() } } });
  const userId = user.body.result.userId as string;
  tokens.self = await f.token(userId);
  const own = await call(f, 'POST', '/v2/user/create', { token: tokens.admin, body: { request: { firstName: 'Blocked', email: unique.email(), channel } } });
  ownUserId = own.body.result.userId as string;
  const state = await call(f, 'POST', '/v1/location/create', { token: tokens.admin, body: { request: { code: unique.code(), name: 'State', type: 'state' } } });
  ctx = { user_id: userId, userId2: userId, org_id: orgId, username: email, channel_name: channel, state_id: state.body.result.id as string };
});

/** The placeholder values of an operation. */
const varsOf = (key: string): Record<string, string> => (OWN_USER.has(key) ? { ...ctx, user_id: ownUserId } : ctx);

afterAll(async () => {
  await f?.close();
});

describe('upstream userorg examples', () => {
  it('finds the examples', () => {
    expect(files.length, `upstream examples expected in ${DIR} (the shared/ folder beside the checkout)`).toBeGreaterThanOrEqual(20);
  });

  for (const name of files) {
    const op = JSON.parse(readFileSync(join(DIR, name), 'utf8')) as OperationFile;
    const key = name.replace(/\.json$/, '');

    if (op.expected_success_assertions && op.request !== undefined) {
      it(`${key}: success`, async () => {
        const path = fill(op.path, varsOf(key)) as string;
        const res = await call(f, op.method as 'GET', path, { token: tokens[CALLER[key]!], ...(op.request ? { body: fill(op.request, varsOf(key)) } : {}) });
        const want = op.expected_success_assertions!;
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.responseCode).toBe('OK');
        expect(res.body.params.status).toBe('SUCCESS');
        expect(res.body.params.err).toBeNull();
        if (typeof want.id === 'string') expect(res.body.id).toBe(want.id);
        if (typeof want.ver === 'string') expect(res.body.ver).toBe(want.ver);
        if (want['result.response'] !== undefined) expect(res.body.result.response).toBe(want['result.response']);
        if (want['result.exists'] !== undefined) expect(res.body.result.exists).toBe(want['result.exists']);
        expect(typeof res.body.ts).toBe('string');
        expect(res.body.params.msgid).toBe(res.body.params.resmsgid);
      });
    }

    (op.error_examples ?? []).forEach((ex, i) => {
      const hasUosCode = typeof ex.err === 'string' && ex.err.startsWith('UOS_');
      const gatewayOnly = ex.http_status === 401 && !hasUosCode;
      if (!hasUosCode && (ex.http_status !== 403 || (ex.request == null && (ex.method ?? op.method) !== 'GET'))) return;
      if (gatewayOnly) return;
      it(`${key}: error ${i} (${ex.http_status} ${ex.err ?? ''})`, async () => {
        let path = fill(servicePath(op, ex), varsOf(key)) as string;
        const method = (ex.method ?? op.method) as 'GET';
        // The "channel already in use" example relies on a channel created earlier in upstream's run.
        const request = ex.request == null ? undefined : fill(ex.request, varsOf(key));
        if (ex.err === 'UOS_ORGCRT0004' && request) {
          (request as any).request.channel = ctx.channel_name;
          delete (request as any).request.orgLocation;
        }
        if (op.method === 'GET' && path.includes('{{')) path = fill(path, varsOf(key)) as string;
        const res = await call(f, method, path, { token: tokens[CALLER[key]!], ...(request !== undefined ? { body: request } : {}) });
        expect(res.status, JSON.stringify(res.body)).toBe(ex.http_status);
        if (hasUosCode) {
          expect(res.body.params.err).toBe(ex.err);
          expect(res.body.params.status).toBe('FAILED');
          expect(res.body.responseCode).toBe(ex.responseCode);
          if (ex.errmsg && !ex.errmsg.includes('testchannel')) expect(res.body.params.errmsg).toBe(ex.errmsg);
        }
      });
    });
  }
});
