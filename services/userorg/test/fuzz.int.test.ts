/**
 * Malformed bodies and parameters at every registered route (internal ones on the internal port),
 * with and without a system administrator's token: the service must answer each with a Sunbird
 * envelope and a status below 500, and keep serving afterwards. Inputs come from a seeded generator,
 * so failures repeat.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserOrgDeps } from '../src/context.ts';
import { userOrgRoutes } from '../src/routes.ts';
import { call, startFixture, type Fixture } from './helpers.ts';

/** The service's routes; listing them touches no dependency. */
const ROUTES = userOrgRoutes(new Proxy({}, { get: () => { throw new Error('no dependency is used while listing routes'); } }) as UserOrgDeps);

let f: Fixture;
let token: string;

/** mulberry32: small seeded PRNG. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELDS = ['firstName', 'lastName', 'email', 'phone', 'userName', 'userId', 'organisationId', 'orgName', 'channel', 'isTenant', 'organisationType', 'filters', 'query', 'limit', 'offset', 'sort_by', 'fields', 'roles', 'scope', 'code', 'name', 'type', 'parentId', 'parentCode', 'id', 'field', 'value', 'orgId', 'key', 'data', 'status', 'managedBy', 'profileLocation', 'profileUserType', 'framework', 'externalIds', 'objectType', 'objectIds', 'password', 'countryCode'];

function junk(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 14);
  switch (pick) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 2 ** 40) * (r() < 0.5 ? -1 : 1);
    case 3: return r() * 1e308;
    case 4: return '';
    case 5: return 'x'.repeat(Math.floor(r() * 20000));
    case 6: return '\u0000\u202e<script>\'"%00{{}}${}';
    case 7: return 'ravi@example.com';
    case 8: return '9876543210';
    case 9: return randomUUID();
    case 10: return depth > 3 ? [] : Array.from({ length: Math.floor(r() * 5) }, () => junk(r, depth + 1));
    case 11: return depth > 3 ? {} : Object.fromEntries(Array.from({ length: Math.floor(r() * 6) }, () => [FIELDS[Math.floor(r() * FIELDS.length)]!, junk(r, depth + 1)]));
    case 12: return { '>=': junk(r, depth + 1), startsWith: junk(r, depth + 1), 'a.b': 1 };
    default: return ['ORG_ADMIN', { role: 'X', operation: 'add', scope: [{ organisationId: junk(r, 4) }] }];
  }
}

function bodies(r: () => number): { raw?: string; body?: unknown }[] {
  const out: { raw?: string; body?: unknown }[] = [
    { raw: '' },
    { raw: '{' },
    { raw: 'null' },
    { raw: '[]' },
    { raw: '"text"' },
    { raw: '{"request": null}' },
    { raw: '{"request": "x"}' },
    { raw: '{"request": [1,2]}' },
    { raw: '{"__proto__": {"polluted": true}, "request": {"constructor": {"prototype": {"x": 1}}}}' },
    { body: { request: {} } },
    { body: { request: { filters: null } } },
  ];
  for (let i = 0; i < 25; i++) {
    const request = Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 8) }, () => [FIELDS[Math.floor(r() * FIELDS.length)]!, junk(r)]));
    out.push({ body: { request } });
  }
  return out;
}

const PARAMS = ['x', '%00', '..%2F..%2Fetc', 'a'.repeat(600), encodeURIComponent('@#$%^&*()'), encodeURIComponent('{"a":1}'), '9876543210', 'ravi%40example.com', randomUUID()];

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  const sys = randomUUID();
  await f.grant(sys, 'SYSTEM_ADMINISTRATION', ['*']);
  token = await f.token(sys);
});

afterAll(async () => {
  await f?.close();
});

describe('fuzz', () => {
  it('covers every route', () => {
    expect(ROUTES.length).toBeGreaterThan(50);
    expect(ROUTES.map((r) => `${r.method} ${r.url}`).sort()).toEqual(f.routes.map((r) => `${r.method} ${r.url}`).sort());
  });

  for (const [index, { method: m, url: path, policy }] of ROUTES.entries()) {
    it(`${m} ${path}: no 5xx`, async () => {
      const method = m as 'GET' | 'POST' | 'PATCH' | 'DELETE';
      const r = rng(1000 + index);
      const cases: { url: string; raw?: string; body?: unknown; contentType?: string }[] = [];
      for (const p of PARAMS) cases.push({ url: path.replace(/:[A-Za-z]+/g, p) });
      if (method !== 'GET' && method !== 'DELETE') {
        const url = path.replace(/:[A-Za-z]+/g, 'x');
        for (const b of bodies(r)) cases.push({ url, ...b });
        cases.push({ url, raw: 'request=1', contentType: 'application/x-www-form-urlencoded' });
        cases.push({ url, raw: '<xml/>', contentType: 'text/xml' });
      }
      for (const c of cases) {
        for (const tok of [token, undefined]) {
          const res = await call(f, method, `${c.url}${r() < 0.3 ? '?fields=a&limit=-1' : ''}`, {
            internal: policy === 'internal',
            ...(tok ? { token: tok } : {}),
            ...(c.raw !== undefined ? { rawBody: c.raw } : {}),
            ...(c.body !== undefined ? { body: c.body } : {}),
            ...(c.contentType ? { headers: { 'content-type': c.contentType } } : {}),
          });
          expect(res.status, `${method} ${c.url} ${c.raw ?? JSON.stringify(c.body)?.slice(0, 300)} -> ${JSON.stringify(res.body).slice(0, 300)}`).toBeLessThan(500);
          if (res.status !== 404 || res.body.responseCode) {
            expect(res.body.params?.status ?? res.body.raw, `${method} ${c.url}`).toBeDefined();
          }
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('still serves after the fuzzing', async () => {
    const res = await call(f, 'GET', '/v1/role/read');
    expect(res.status).toBe(200);
    expect((await call(f, 'GET', '/readyz')).status).toBe(200);
  });
});
