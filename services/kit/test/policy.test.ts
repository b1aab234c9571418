/* eslint-disable @typescript-eslint/no-unsafe-argument -- the OpenAPI document is untyped JSON the assertions walk */
/**
 * Route policies as the kit enforces them: account status, scoped admin rights decided against the
 * request's target, internal routes absent from the public port, and an OpenAPI document that lists
 * every status a route can answer with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRoutes, createApp, createCallerDirectory, defineRoute, defineService, loadConfig, notFound, SYSTEM_SCOPE, Type, type CallerRecord, type LernApp } from '@lern/kit';
import { makeTestKeys, type TestKeys } from './helpers.ts';

/** The service's store of callers and of the users its routes are about. */
const callers = new Map<string, CallerRecord>([
  ['sys', { status: 'active', grants: [{ role: 'SYSTEM_ADMINISTRATION', orgIds: [SYSTEM_SCOPE] }] }],
  ['adminA', { status: 'active', grants: [{ role: 'ORG_ADMIN', orgIds: ['orgA'] }] }],
  ['adminB', { status: 'active', grants: [{ role: 'ORG_ADMIN', orgIds: ['orgB'] }] }],
  ['alice', { status: 'active', grants: [] }],
  ['blocked', { status: 'blocked', grants: [{ role: 'ORG_ADMIN', orgIds: ['orgA'] }] }],
  ['gone', { status: 'deleted', grants: [] }],
]);
const users: Record<string, { orgIds: string[]; rootOrgId: string }> = { alice: { orgIds: ['orgA'], rootOrgId: 'orgA' } };
let resolved = 0;
const directory = createCallerDirectory({
  resolve: async (id) => Promise.resolve((resolved++, callers.get(id) ?? null)),
  localTtlMs: 60_000,
});

const UserParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }) });

const service = defineService({
  name: 'policies',
  connectors: [],
  register(app) {
    addRoutes(
      app,
      defineRoute({
        method: 'GET',
        url: '/v1/user/read/:userId',
        policy: 'selfOrAdmin',
        errors: [404],
        schema: { params: UserParams, result: Type.Object({ userId: Type.String() }) },
        target: (req) => ({ userId: req.params.userId, scope: async () => Promise.resolve(users[req.params.userId] ?? null) }),
        async handler(req) {
          if (!users[req.params.userId]) throw notFound('USER_NOT_FOUND', 'user not found');
          return Promise.resolve({ userId: req.params.userId });
        },
      }),
      defineRoute({ method: 'POST', url: '/v1/system/settings/set', policy: 'systemAdmin', async handler() { return Promise.resolve({}); } }),
      defineRoute({ method: 'GET', url: '/private/user/v1/read/:userId', policy: 'internal', schema: { params: UserParams }, async handler() { return Promise.resolve({}); } }),
    );
  },
});

let keys: TestKeys;
let app: LernApp;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  keys = await makeTestKeys();
  app = await createApp({ service, config: loadConfig({ LERN_AUTH_KEYS_DIR: keys.dir, LERN_AUTH_ISSUER: keys.issuer }), callers: directory, logger: false });
  await app.ready();
  for (const id of [...callers.keys(), 'stranger']) tokens[id] = await keys.token({ sub: `f:p:${id}` });
});
afterAll(async () => app.close());

const get = async (url: string, who?: string) =>
  app.inject({ method: 'GET', url, headers: who ? { 'x-authenticated-user-token': tokens[who]! } : {} });

describe('policies', () => {
  it.each([
    ['anonymous', undefined, '/v1/user/read/alice', 401],
    ['self', 'alice', '/v1/user/read/alice', 200],
    ['admin of the user organisation', 'adminA', '/v1/user/read/alice', 200],
    ['admin of another organisation', 'adminB', '/v1/user/read/alice', 403],
    ['system administrator', 'sys', '/v1/user/read/alice', 200],
    ['a token for a user with no record: no grants', 'stranger', '/v1/user/read/alice', 403],
    ['blocked admin', 'blocked', '/v1/user/read/alice', 401],
    ['deleted user reading itself', 'gone', '/v1/user/read/gone', 401],
    ['admin asking for an unknown user', 'adminB', '/v1/user/read/nobody', 404],
  ])('%s', async (_name, who, url, status) => {
    expect((await get(url, who)).statusCode).toBe(status);
  });

  it('systemAdmin routes refuse organisation admins before reading the body', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/system/settings/set', headers: { 'x-authenticated-user-token': tokens.adminA!, 'content-type': 'application/json' }, payload: '{' });
    expect(res.statusCode).toBe(403);
  });

  it('internal routes do not exist on the public port', async () => {
    const res = await get('/private/user/v1/read/alice', 'sys');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ responseCode: 'RESOURCE_NOT_FOUND', params: { status: 'FAILED' } });
  });

  it('a blocked account is refused once its cached entry is invalidated', async () => {
    callers.set('flip', { status: 'active', grants: [] });
    tokens.flip = await keys.token({ sub: 'f:p:flip' });
    users.flip = { orgIds: ['orgA'], rootOrgId: 'orgA' };
    expect((await get('/v1/user/read/flip', 'flip')).statusCode).toBe(200);
    callers.set('flip', { status: 'blocked', grants: [] });
    // Still cached in this process until invalidated (the writer of the block invalidates).
    expect((await get('/v1/user/read/flip', 'flip')).statusCode).toBe(200);
    await directory.invalidate('flip');
    expect((await get('/v1/user/read/flip', 'flip')).statusCode).toBe(401);
  });

  it('caches caller records between requests', async () => {
    const before = resolved;
    await get('/v1/user/read/alice', 'alice');
    await get('/v1/user/read/alice', 'alice');
    expect(resolved - before).toBeLessThanOrEqual(1);
  });
});

describe('OpenAPI', () => {
  it('lists every status each route can answer with, and its security', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/documentation/json' })).json();
    const read = doc.paths['/v1/user/read/{userId}'].get;
    expect(Object.keys(read.responses).sort()).toEqual(['200', '400', '401', '403', '404', '414', '500', '503']);
    // Error responses carry the FAILED envelope with a string err, success the SUCCESS one.
    expect(read.responses['404'].content['application/json'].schema.properties.params.properties.err.type).toBe('string');
    expect(read.responses['200'].content['application/json'].schema.properties.result.properties.userId.type).toBe('string');
    expect(read.security).toEqual([{ userToken: [] }]);
    const set = doc.paths['/v1/system/settings/set'].post;
    expect(Object.keys(set.responses).sort()).toEqual(['200', '400', '401', '403', '413', '415', '500', '503']);
    expect(doc.paths['/private/user/v1/read/{userId}']).toBeUndefined();
  });
});
