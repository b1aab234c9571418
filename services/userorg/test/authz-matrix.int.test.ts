/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * The authorisation matrix against the real app and real servers: every registered route (the
 * table must name each one, or this suite fails) times seven kinds of caller, each cell with its
 * expected status (authz-matrix-rows.ts), including the self-escalation and cross-organisation
 * attempts. Rows that change their target get a fresh one per cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, unique, type Fixture } from './helpers.ts';
import { PERSONAS, ROWS, type Cell, type MatrixContext, type Persona } from './authz-matrix-rows.ts';
import { seed, type Seed, type Tenant } from './seed.ts';

let f: Fixture;
let s: Seed;
let a: Tenant;
let b: Tenant;
let ctx: MatrixContext;
let plainToken: string;

async function ok(res: Promise<{ status: number; body: Record<string, any> }>): Promise<Record<string, any>> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.result as Record<string, any>;
}

/** A new managed user of the parent U, in A. */
async function freshTarget(): Promise<string> {
  const created = await ok(call(f, 'POST', '/v4/user/create', { token: s.sysToken, body: { request: { firstName: 'Target', managedBy: ctx.parentId, userName: unique.userName() } } }));
  return created.userId as string;
}

beforeAll(async () => {
  // The rows do not search what they write, except the shared target (refreshed below): no refresh per write.
  f = await startFixture(import.meta.url, undefined, { refreshIndex: false });
  s = await seed(f);
  a = await s.tenant('A');
  b = await s.tenant('B');
  const parent = await s.user(a);
  const plain = await s.user(a);
  const contact = await s.user(a, { gender: 'female' });
  plainToken = await f.token(plain.id);
  const targetUserName = unique.userName();
  const target = await ok(call(f, 'POST', '/v4/user/create', { token: await f.token(parent.id), body: { request: { firstName: 'Target', managedBy: parent.id, userName: targetUserName } } }));
  const sub = await ok(call(f, 'POST', '/v1/org/create', { token: a.adminToken, body: { request: { orgName: 'Sub', organisationType: 'school', isTenant: false, rootOrgId: a.id } } }));
  const location = await ok(call(f, 'POST', '/v1/location/create', { token: s.sysToken, body: { request: { code: unique.code(), name: 'Shared', type: 'state' } } }));
  const preferenceKey = unique.code();
  await ok(call(f, 'POST', '/v2/org/preferences/create', { token: s.sysToken, body: { request: { orgId: a.id, key: preferenceKey, data: { a: 0 } } } }));
  const settingId = `matrix_${unique.code()}`;
  await ok(call(f, 'POST', '/v1/system/settings/set', { token: s.sysToken, body: { request: { id: settingId, field: settingId, value: 'v' } } }));
  await f.search.refresh('user_alias');
  const targetId = target.userId as string;
  ctx = {
    orgA: a.id,
    channelA: a.channel,
    orgB: b.id,
    parentId: parent.id,
    targetId,
    targetUserName,
    contact,
    subOrgOfA: sub.organisationId as string,
    locationId: location.id as string,
    preferenceKey,
    settingId,
    ownId: { anonymous: targetId, plain: plain.id, self: targetId, managed: parent.id, adminOfTarget: a.adminId, adminOfOther: b.adminId, systemAdmin: s.sysId },
    ownOrg: { anonymous: a.id, plain: a.id, self: a.id, managed: a.id, adminOfTarget: a.id, adminOfOther: b.id, systemAdmin: a.id },
  };
});

afterAll(async () => {
  await f?.close();
});

/** The tokens a persona sends about a target. */
async function credentials(persona: Persona, target: string): Promise<{ token?: string; forToken?: string }> {
  switch (persona) {
    case 'anonymous':
      return {};
    case 'plain':
      return { token: plainToken };
    case 'self':
      return { token: await f.token(target) };
    case 'managed':
      return { token: await f.token(ctx.parentId), forToken: await f.token(target, { parentId: ctx.parentId }) };
    case 'adminOfTarget':
      return { token: a.adminToken };
    case 'adminOfOther':
      return { token: b.adminToken };
    case 'systemAdmin':
      return { token: s.sysToken };
  }
}

/** A cell's target and location, new when the row changes them. */
async function cellFor(persona: Persona, setup: 'fresh' | 'blocked' | 'location' | undefined): Promise<Cell> {
  let target = ctx.targetId;
  let location = ctx.locationId;
  if (setup === 'fresh' || setup === 'blocked') target = await freshTarget();
  if (setup === 'blocked') await ok(call(f, 'POST', '/v1/user/block', { token: s.sysToken, body: { request: { userId: target } } }));
  if (setup === 'location') location = (await ok(call(f, 'POST', '/v1/location/create', { token: s.sysToken, body: { request: { code: unique.code(), name: 'Leaf', type: 'state' } } }))).id as string;
  return { persona, target, location };
}

describe('authorisation matrix', () => {
  it('has a row for every registered route, and no row for a route that does not exist', () => {
    const registered = new Set(f.routes.map((r) => `${r.method} ${r.url}`));
    const covered = new Set(ROWS.map((r) => r.route));
    expect([...registered].filter((r) => !covered.has(r)), 'routes without a row').toEqual([]);
    expect([...covered].filter((r) => !registered.has(r)), 'rows for unknown routes').toEqual([]);
    // Every /private route is internal.
    expect(f.routes.filter((r) => r.url.startsWith('/private') !== (r.policy === 'internal'))).toEqual([]);
  });

  for (const row of ROWS) {
    it(`${row.route}${row.attempt ? ` (${row.attempt})` : ''}`, async () => {
      const [method, pattern] = row.route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'DELETE', string];
      const seen: Partial<Record<Persona, number>> = {};
      for (const [i, persona] of PERSONAS.entries()) {
        const cell = await cellFor(persona, row.setup);
        const path = row.path ? row.path(ctx, cell) : pattern;
        const res = await call(f, method, path, { ...(await credentials(persona, cell.target)), ...(row.body ? { body: row.body(ctx, cell) } : {}) });
        seen[persona] = res.status;
        if (res.status !== row.expect[i]) {
          expect.fail(`${persona}: ${method} ${path} answered ${res.status}, expected ${row.expect[i]}: ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        if (res.status === 200 && row.check) await row.check(res, persona, f);
      }
      expect(Object.values(seen)).toEqual([...row.expect]);
    });
  }
});
