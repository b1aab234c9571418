/**
 * The authorisation matrix against the real app and servers: every registered route (the table
 * must name each one, or this suite fails) times each kind of caller, each cell with its expected
 * status. Columns: anonymous; a plain user; the target user itself; an ORG_ADMIN; a system
 * administrator. `/private` routes answer 404 on the public port to everyone.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, uniqueEmail, type Fixture } from './helpers.ts';

const PERSONAS = ['anonymous', 'plain', 'self', 'orgAdmin', 'systemAdmin'] as const;
type Persona = (typeof PERSONAS)[number];

interface Ctx {
  target: string;
  entryId: string;
  templateId: string;
  action: string;
}

interface Row {
  route: string;
  attempt?: string;
  path?: (c: Ctx) => string;
  body?: (c: Ctx) => unknown;
  expect: readonly [number, number, number, number, number];
}

const schema = JSON.stringify({ type: 'object' });
const fresh = () => `m-${randomBytes(4).toString('hex')}`;
const feed = (ids: string[], type = 'feed') => ({ ids, priority: 1, type, action: { type: 'add-member', category: 'groups', template: { type: 'JSON', data: '{}' }, createdBy: { id: 'u1' } } });
const email = () => ({ mode: 'email', deliveryType: 'message', config: { subject: 'Matrix' }, ids: [uniqueEmail()], template: { data: 'hello' } });
const NOBODY = [404, 404, 404, 404, 404] as const;

const ROWS: Row[] = [
  { route: 'GET /v1/notification/feed/read/:userId', path: (c) => `/v1/notification/feed/read/${c.target}`, expect: [401, 403, 200, 403, 403] },
  { route: 'PATCH /v1/notification/feed/update', body: (c) => ({ request: { userId: c.target, ids: [c.entryId] } }), expect: [401, 403, 200, 403, 403] },
  { route: 'POST /v1/notification/feed/delete', body: (c) => ({ request: { userId: c.target, ids: [fresh()], category: 'groups' } }), expect: [401, 403, 200, 403, 403] },
  { route: 'GET /private/v1/notification/feed/read/:userId', path: (c) => `/private/v1/notification/feed/read/${c.target}`, expect: NOBODY },
  { route: 'PATCH /private/v1/notification/feed/update', body: (c) => ({ request: { userId: c.target, ids: [c.entryId] } }), expect: NOBODY },
  { route: 'POST /private/v1/notification/feed/delete', body: (c) => ({ request: { userId: c.target, ids: [c.entryId], category: 'groups' } }), expect: NOBODY },
  { route: 'POST /private/v2/notification/send', body: (c) => ({ request: { notifications: [{ userId: c.target, category: 'user-feed', priority: 1, data: {} }] } }), expect: NOBODY },
  { route: 'POST /v1/notification/send', body: () => ({ request: { notifications: [email()] } }), expect: [401, 403, 403, 200, 200] },
  { route: 'POST /v1/notification/send/sync', body: () => ({ request: { notifications: [email()] } }), expect: [401, 403, 403, 200, 200] },
  { route: 'POST /v2/notification/send', body: (c) => ({ request: { notifications: [feed([c.target])] } }), expect: [401, 200, 200, 200, 200] },
  { route: 'POST /v2/notification/send', attempt: 'email to raw addresses', body: () => ({ request: { notifications: [feed([uniqueEmail()], 'email')] } }), expect: [401, 403, 403, 200, 200] },
  { route: 'GET /v1/notification/template/list', expect: [401, 403, 403, 200, 200] },
  { route: 'POST /v1/notification/template/create', body: () => ({ request: { templateId: fresh(), data: 'd', template_schema: schema, type: 'JSON' } }), expect: [401, 403, 403, 403, 200] },
  { route: 'PATCH /v1/notification/template/update', body: (c) => ({ request: { templateId: c.templateId, data: 'updated' } }), expect: [401, 403, 403, 403, 200] },
  { route: 'POST /v1/notification/template/delete', body: () => ({ request: { templateId: fresh() } }), expect: [401, 403, 403, 403, 200] },
  { route: 'PATCH /v1/notification/template/action/update', body: (c) => ({ request: { action: c.action, templateId: c.templateId, type: 'JSON' } }), expect: [401, 403, 403, 403, 200] },
  { route: 'POST /private/v1/notification/otp/generate', body: () => ({ request: { key: '9000000000', type: 'phone' } }), expect: NOBODY },
  { route: 'POST /v1/notification/otp/verify', body: () => ({ request: { key: fresh(), value: '123456' } }), expect: [400, 400, 400, 400, 400] },
  { route: 'GET /v1/notification/template/:action', path: (c) => `/v1/notification/template/${c.action}`, expect: [401, 403, 403, 200, 200] },
];

let f: Fixture;
let ctx: Ctx;
const tokens: Partial<Record<Persona, string>> = {};

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  const target = await f.user();
  tokens.plain = await f.token(await f.user());
  tokens.self = await f.token(target);
  tokens.orgAdmin = await f.token(await f.user({ ORG_ADMIN: ['org-a'] }));
  tokens.systemAdmin = await f.token(await f.user({ SYSTEM_ADMINISTRATION: ['*'] }));
  expect((await call(f, 'POST', '/v2/notification/send', { token: tokens.self, body: { request: { notifications: [feed([target])] } } })).status).toBe(200);
  const entries = await call(f, 'GET', `/v1/notification/feed/read/${target}`, { token: tokens.self });
  const templateId = fresh();
  const action = fresh();
  expect((await call(f, 'POST', '/v1/notification/template/create', { token: tokens.systemAdmin, body: { request: { templateId, data: '{}', template_schema: schema, type: 'JSON' } } })).status).toBe(200);
  expect((await call(f, 'PATCH', '/v1/notification/template/action/update', { token: tokens.systemAdmin, body: { request: { action, templateId, type: 'JSON' } } })).status).toBe(200);
  ctx = { target, entryId: entries.body.result.feeds[0].id as string, templateId, action };
});

afterAll(async () => {
  await f?.close();
});

describe('authorisation matrix', () => {
  it('has a row for every registered route, and no row for a route that does not exist', () => {
    const registered = new Set(f.routes.map((r) => `${r.method} ${r.url}`));
    const covered = new Set(ROWS.map((r) => r.route));
    expect([...registered].filter((r) => !covered.has(r)), 'routes without a row').toEqual([]);
    expect([...covered].filter((r) => !registered.has(r)), 'rows for unknown routes').toEqual([]);
    expect(f.routes.filter((r) => r.url.startsWith('/private') !== (r.policy === 'internal'))).toEqual([]);
    expect(f.routes.filter((r) => r.policy === 'public').map((r) => r.url)).toEqual(['/v1/notification/otp/verify']);
  });

  for (const row of ROWS) {
    it(`${row.route}${row.attempt ? ` (${row.attempt})` : ''}`, async () => {
      const [method, pattern] = row.route.split(' ') as ['GET' | 'POST' | 'PATCH', string];
      const seen: number[] = [];
      for (const persona of PERSONAS) {
        const token = tokens[persona];
        const res = await call(f, method, row.path ? row.path(ctx) : pattern, { ...(token ? { token } : {}), ...(row.body ? { body: row.body(ctx) } : {}) });
        seen.push(res.status);
      }
      expect(seen, `statuses for ${PERSONAS.join(', ')}`).toEqual([...row.expect]);
    });
  }

  it('serves every /private route on the internal port', async () => {
    const internal = { internal: true };
    expect((await call(f, 'GET', `/private/v1/notification/feed/read/${ctx.target}`, internal)).status).toBe(200);
    // Services (Groups) send v2 notifications on the internal port without a token.
    const groupsSend = await call(f, 'POST', '/private/v2/notification/send', { ...internal, body: { request: { notifications: [feed([ctx.target], 'email')] } } });
    expect(groupsSend.status, JSON.stringify(groupsSend.body)).toBe(200);
    expect((await call(f, 'POST', '/private/v2/notification/send', { ...internal, body: { request: { notifications: [{ userId: ctx.target, category: 'user-feed', priority: 1, data: {} }] } } })).status).toBe(200);
    const v1 = await call(f, 'GET', `/private/v1/notification/feed/read/${ctx.target}`, internal);
    const id = v1.body.result.feeds[0].id as string;
    expect((await call(f, 'PATCH', '/private/v1/notification/feed/update', { ...internal, body: { request: { userId: ctx.target, ids: [id] } } })).status).toBe(200);
    expect((await call(f, 'POST', '/private/v1/notification/feed/delete', { ...internal, body: { request: { userId: ctx.target, ids: [id], category: 'user-feed' } } })).status).toBe(200);
  });
});
