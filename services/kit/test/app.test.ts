import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import {
  addRoutes,
  createApp,
  createCassandra,
  defineRoute,
  defineService,
  loadConfig,
  notFound,
  ConfigError,
  Type,
  type Grant,
  type LernApp,
  type ServiceDefinition,
} from '@lern/kit';
import { makeTestKeys, type TestKeys } from './helpers.ts';

const grants: Record<string, Grant[]> = { 'admin-1': [{ role: 'ORG_ADMIN', orgIds: ['org-1'] }], 'user-1': [] };

const CreateBody = Type.Object({
  request: Type.Object({
    firstName: Type.String({ minLength: 1 }),
    email: Type.Optional(Type.String({ format: 'email' })),
    age: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
});

const service: ServiceDefinition = defineService({
  name: 'sample',
  connectors: [],
  errorCodes: { unauthorized: 'UOS_0070', forbidden: 'UOS_0071', serverError: 'UOS_0069', notFound: 'UOS_0013', serviceUnavailable: 'UOS_0064' },
  resolveCaller: async (userId) => Promise.resolve(userId in grants ? { status: 'active', grants: grants[userId]! } : null),
  register(app) {
    addRoutes(
      app,
      defineRoute({
        method: 'POST',
        url: '/v1/user/create',
        policy: 'admin',
        errorPrefix: 'UOS_USRCRT',
        schema: { body: CreateBody, result: Type.Object({ id: Type.String() }) },
        summary: 'Create a user',
        tags: ['user'],
        async handler(req) {
          return Promise.resolve({ id: `id-of-${req.body.request.firstName}`, by: req.caller?.userId });
        },
      }),
      defineRoute({
        method: 'GET',
        url: '/v1/user/read/:userId',
        policy: 'authenticated',
        schema: { params: Type.Object({ userId: Type.String() }) },
        async handler(req) {
          if (req.params.userId === 'missing') throw notFound('UOS_USRRED0013', 'user not found');
          return Promise.resolve({ userId: req.params.userId, caller: req.caller?.userId, effective: req.caller?.effectiveUserId, managedFor: req.caller?.managedFor ?? null });
        },
      }),
      defineRoute({
        method: 'GET',
        url: '/v1/public/echo',
        policy: 'public',
        schema: { querystring: Type.Object({ n: Type.Optional(Type.Integer()) }) },
        async handler(req) {
          return Promise.resolve({ n: req.query.n ?? null, auth: req.caller?.userId ?? null });
        },
      }),
      defineRoute({
        method: 'GET',
        url: '/v1/public/bug',
        policy: 'public',
        async handler() {
          return Promise.reject(new TypeError('secret internals at /app/src/x.ts:12'));
        },
      }),
    );
  },
});

let keys: TestKeys;
let app: LernApp;

beforeAll(async () => {
  keys = await makeTestKeys();
  app = await createApp({ service, config: loadConfig({ LERN_AUTH_KEYS_DIR: keys.dir, LERN_AUTH_ISSUER: keys.issuer }), logger: false });
  await app.ready();
});
afterAll(async () => app.close());

const post = async (body: unknown, token?: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/user/create',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-authenticated-user-token': token } : {}), ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('envelope', () => {
  it('wraps a result, echoes the request id', async () => {
    const res = await post({ request: { firstName: 'Asha' } }, await keys.token({ sub: 'f:p:admin-1' }), { 'x-request-id': 'req-42' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-42');
    const body = res.json();
    expect(body).toMatchObject({
      id: 'api.user.create',
      ver: 'v1',
      params: { resmsgid: 'req-42', msgid: 'req-42', err: null, status: 'SUCCESS', errmsg: null },
      responseCode: 'OK',
      result: { id: 'id-of-Asha', by: 'admin-1' },
    });
    expect(body.ts).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{3}\+0000$/);
  });
  it('generates a UUID request id when none is sent', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/public/echo?n=5' });
    expect(res.json()).toMatchObject({ id: 'api.public.echo', result: { n: 5, auth: null } });
    expect(res.json().params.msgid).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('validation', () => {
  let token: string;
  beforeAll(async () => {
    token = await keys.token({ sub: 'f:p:admin-1' });
  });
  it.each([
    [{ request: {} }, 'UOS_USRCRT0030', 'Mandatory parameter firstName is missing.'],
    [{ request: { firstName: '' } }, 'UOS_USRCRT0031', 'Mandatory parameter firstName is empty.'],
    [{ request: { firstName: 'A', email: 'not-an-email' } }, 'UOS_USRCRT0009', 'Invalid format for given email.'],
    [{ request: { firstName: 'A', age: -1 } }, 'UOS_USRCRT0017', 'Invalid value -1 for parameter age. Please provide a valid value.'],
    [{}, 'UOS_USRCRT0030', 'Mandatory parameter request is missing.'],
  ])('%o -> 400 %s', async (body, err, errmsg) => {
    const res = await post(body, token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ id: 'api.user.create', responseCode: 'CLIENT_ERROR', params: { status: 'FAILED', err, errmsg }, result: {} });
  });
  it('body types are not coerced: a number or array for a string field is a type error', async () => {
    for (const firstName of [12, ['x']]) {
      const res = await post({ request: { firstName } }, token);
      expect(res.statusCode).toBe(400);
      expect(res.json().params).toMatchObject({ err: 'UOS_USRCRT0003', errmsg: 'Data type of firstName should be string.' });
    }
  });
  it('an overlong path parameter gets the envelope', async () => {
    const res = await app.inject({ method: 'GET', url: `/v1/user/read/${'x'.repeat(300)}`, headers: { 'x-request-id': 'long-1' } });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toMatchObject({ responseCode: 'CLIENT_ERROR', params: { status: 'FAILED', err: 'INVALID_REQUESTED_DATA' } });
  });
  it('malformed JSON is a 400, not a 500', async () => {
    const res = await post('{"request": {', token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ responseCode: 'CLIENT_ERROR', params: { err: 'INVALID_REQUESTED_DATA', errmsg: 'Requested data for this operation is not valid.' } });
  });
  it('a querystring of the wrong type names the field', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/public/echo?n=abc' });
    expect(res.statusCode).toBe(400);
    expect(res.json().params).toMatchObject({ err: 'DATA_TYPE_ERROR', errmsg: 'Data type of n should be integer.' });
  });
});

describe('errors', () => {
  it('unknown route -> 404 envelope', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing/here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ id: 'api.nothing.here', responseCode: 'RESOURCE_NOT_FOUND', params: { status: 'FAILED', err: 'UOS_0013' } });
  });
  it('a handler LernError keeps its code', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/user/read/missing', headers: { 'x-authenticated-user-token': await keys.token() } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ id: 'api.user.read', params: { err: 'UOS_USRRED0013', errmsg: 'user not found' } });
  });
  it('a bug is a 500 without internals', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/public/bug' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ responseCode: 'SERVER_ERROR', params: { err: 'UOS_0069', errmsg: 'server error' } });
    expect(res.body).not.toContain('secret internals');
    expect(res.body).not.toContain('x.ts');
  });
});

describe('auth', () => {
  const read = async (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/user/read/u9', headers });
  const expect401 = async (headers: Record<string, string>) => {
    const res = await read(headers);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ responseCode: 'UNAUTHORIZED', params: { err: 'UOS_0070', errmsg: 'You are not authorized.' } });
  };
  it('valid token: user id from sub after the last colon', async () => {
    const res = await read({ 'x-authenticated-user-token': await keys.token({ sub: 'f:5a8a:user-7' }) });
    expect(res.statusCode).toBe(200);
    expect(res.json().result).toEqual({ userId: 'u9', caller: 'user-7', effective: 'user-7', managedFor: null });
  });
  it('a second key by kid, and a Bearer prefix, work', async () => {
    const res = await read({ 'x-authenticated-user-token': `Bearer ${await keys.token({}, { kid: 'k2' })}` });
    expect(res.statusCode).toBe(200);
  });
  it('missing token', async () => expect401({}));
  it('expired token', async () => expect401({ 'x-authenticated-user-token': await keys.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 }) }));
  it('signed by another key under a known kid', async () => expect401({ 'x-authenticated-user-token': await keys.token({}, { key: keys.strangerKey }) }));
  it('unknown kid', async () => expect401({ 'x-authenticated-user-token': await keys.token({}, { kid: 'nope', key: keys.strangerKey }) }));
  it('wrong issuer', async () => expect401({ 'x-authenticated-user-token': await keys.token({}, { issuer: 'http://evil/realms/sunbird' }) }));
  it('garbage', async () => expect401({ 'x-authenticated-user-token': 'not.a.jwt' }));
  it('wrong role -> 403', async () => {
    const res = await post({ request: { firstName: 'A' } }, await keys.token({ sub: 'f:p:user-1' }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ responseCode: 'FORBIDDEN', params: { err: 'UOS_0071' } });
  });
  it('auth is checked before the body', async () => {
    const res = await post({ request: {} });
    expect(res.statusCode).toBe(401);
  });
  it('x-authenticated-for: a parent acting for a managed user', async () => {
    const parentToken = await keys.token({ sub: 'f:p:parent-1' });
    const forToken = await keys.token({ sub: 'child-1', parentId: 'parent-1' });
    const res = await read({ 'x-authenticated-user-token': parentToken, 'x-authenticated-for': forToken });
    expect(res.statusCode).toBe(200);
    expect(res.json().result).toMatchObject({ caller: 'parent-1', effective: 'child-1', managedFor: 'child-1' });
  });
  it('x-authenticated-for of another parent, or forged, is refused', async () => {
    const parentToken = await keys.token({ sub: 'f:p:parent-1' });
    await expect401({ 'x-authenticated-user-token': parentToken, 'x-authenticated-for': await keys.token({ sub: 'child-1', parentId: 'parent-2' }) });
    await expect401({ 'x-authenticated-user-token': parentToken, 'x-authenticated-for': await keys.token({ sub: 'child-1', parentId: 'parent-1' }, { key: keys.strangerKey }) });
  });
  it('a public route ignores a bad token and reads a good one', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/public/echo', headers: { 'x-authenticated-user-token': 'junk' } })).json().result.auth).toBeNull();
    const good = await app.inject({ method: 'GET', url: '/v1/public/echo', headers: { 'x-authenticated-user-token': await keys.token() } });
    expect(good.json().result.auth).toBe('user-1');
  });
  it('routes that need a token and no key folder: a start-up error naming the variable', async () => {
    await expect(createApp({ service, config: loadConfig({}), logger: false })).rejects.toThrow(ConfigError);
    await expect(createApp({ service, config: loadConfig({}), logger: false })).rejects.toThrow(/LERN_AUTH_KEYS_DIR/);
  });
});

describe('built-in routes', () => {
  it('livez, readyz without a primary store, health', async () => {
    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ id: 'api.all.health', responseCode: 'OK', result: { healthy: true, checks: [] } });
    expect((await app.inject({ method: 'GET', url: '/service/health' })).json().id).toBe('api.all.health');
  });
  it('metrics: request histogram by route and status, plus process metrics', async () => {
    await app.inject({ method: 'GET', url: '/v1/nothing' });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/v1\/public\/echo".*status_code="200"/);
    expect(text).toMatch(/http_request_duration_seconds_count\{.*route="unmatched".*status_code="404"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
  it('OpenAPI 3 document from the route schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/documentation/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    const create = doc.paths['/v1/user/create'].post;
    expect(create.summary).toBe('Create a user');
    expect(create.requestBody.content['application/json'].schema.properties.request.required).toEqual(['firstName']);
    expect(create.responses['200'].content['application/json'].schema.properties.result.properties.id.type).toBe('string');
    expect(doc.paths['/v1/user/read/{userId}'].get.parameters[0]).toMatchObject({ name: 'userId', in: 'path' });
    expect(doc.paths['/livez']).toBeUndefined();
  });
});

describe('a dependency that is down', () => {
  let down: LernApp;
  beforeAll(async () => {
    // A port nothing listens on: the real driver gets "connection refused" from every host.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const config = loadConfig({ LERN_CASSANDRA_CONTACT_POINTS: `127.0.0.1:${port}` });
    const db = createCassandra(config.cassandra);
    down = await createApp({
      service: defineService({
        name: 'down',
        connectors: ['cassandra'],
        register(a, deps) {
          addRoutes(
            a,
            defineRoute({
              method: 'GET',
              url: '/v1/thing/read',
              policy: 'public',
              async handler() {
                const rs = await deps.connectors.cassandra!.execute('SELECT release_version FROM system.local');
                return { rows: rs.rowLength };
              },
            }),
          );
        },
      }),
      config,
      connectors: { cassandra: db },
      logger: false,
    });
    down.addHook('onClose', async () => db.close());
    await down.ready();
  });
  afterAll(async () => down.close());

  it('a route answers 503 SERVICE_UNAVAILABLE, not 500', async () => {
    const res = await down.inject({ method: 'GET', url: '/v1/thing/read' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ responseCode: 'SERVICE_UNAVAILABLE', params: { status: 'FAILED', err: 'SERVICE_UNAVAILABLE' } });
  });
  it('readyz fails and health names the dependency', async () => {
    expect((await down.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    const health = await down.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ responseCode: 'SERVICE_UNAVAILABLE', result: { healthy: false, checks: [{ name: 'cassandra', healthy: false }] } });
  });
});
