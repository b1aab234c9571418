/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * The authorisation matrix against the real app and servers: every registered route (the table
 * must name each one, or this suite fails) times five callers - anonymous, a signed-in user who is
 * not a member of the group, a member, the group's admin (its creator) and a system administrator -
 * each cell with its expected status. Rows that change or delete the group get a new one per cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createGroup, startFixture, type Fixture } from './helpers.ts';

const PERSONAS = ['anonymous', 'nonMember', 'member', 'groupAdmin', 'systemAdmin'] as const;
type Persona = (typeof PERSONAS)[number];

interface Cell {
  persona: Persona;
  groupId: string;
  /** The persona's own user id (anonymous: the member's). */
  self: string;
}

interface Row {
  route: string;
  attempt: string;
  /** A new group per cell (the row changes it). */
  fresh?: boolean;
  path?: (c: Cell) => string;
  body?: (c: Cell) => unknown;
  expect: readonly [number, number, number, number, number];
}

let f: Fixture;
const people = {} as Record<Exclude<Persona, 'anonymous'>, { id: string; token: string }>;
let sharedGroup: string;

const ROWS: Row[] = [
  { route: 'POST /v1/group/create', attempt: 'create a group', body: () => ({ request: { name: 'Mine' } }), expect: [401, 200, 200, 200, 200] },
  { route: 'PATCH /v1/group/update', attempt: 'rename', fresh: true, body: (c) => ({ request: { groupId: c.groupId, name: 'Renamed' } }), expect: [401, 403, 403, 200, 403] },
  {
    route: 'PATCH /v1/group/update',
    attempt: 'add a member',
    fresh: true,
    body: (c) => ({ request: { groupId: c.groupId, members: { add: [{ userId: people.nonMember.id }] } } }),
    expect: [401, 403, 403, 200, 403],
  },
  { route: 'PATCH /v1/group/update', attempt: 'leave (remove oneself)', fresh: true, body: (c) => ({ request: { groupId: c.groupId, members: { remove: [c.self] } } }), expect: [401, 403, 200, 200, 403] },
  { route: 'PATCH /v1/group/update', attempt: 'status inactive (delete)', fresh: true, body: (c) => ({ request: { groupId: c.groupId, status: 'inactive' } }), expect: [401, 403, 403, 200, 403] },
  { route: 'GET /v1/group/read/:groupId', attempt: 'read with members', path: (c) => `/v1/group/read/${c.groupId}?fields=members,activities`, expect: [401, 403, 200, 200, 200] },
  { route: 'POST /v1/group/list', attempt: 'own groups', body: (c) => ({ request: { filters: { userId: c.self } } }), expect: [401, 200, 200, 200, 200] },
  { route: 'POST /v1/group/list', attempt: "the group admin's groups", body: () => ({ request: { filters: { userId: people.groupAdmin.id } } }), expect: [401, 403, 403, 200, 200] },
  {
    route: 'PATCH /v1/group/membership/update',
    attempt: 'own visited flag',
    body: (c) => ({ request: { userId: c.self, groups: [{ groupId: c.groupId, visited: true }] } }),
    expect: [401, 403, 200, 200, 403],
  },
  {
    route: 'PATCH /v1/group/membership/update',
    attempt: "the member's visited flag",
    body: (c) => ({ request: { userId: people.member.id, groups: [{ groupId: c.groupId, visited: true }] } }),
    expect: [401, 403, 200, 403, 403],
  },
  { route: 'POST /v1/group/delete', attempt: 'delete', fresh: true, body: (c) => ({ request: { groupId: c.groupId } }), expect: [401, 403, 403, 200, 403] },
];

const newGroup = () => createGroup(f, people.groupAdmin.token, { members: [{ userId: people.member.id }] });

beforeAll(async () => {
  f = await startFixture(import.meta.url, { limits: { maxGroupsPerUser: 1000 } });
  people.nonMember = await f.user();
  people.member = await f.user();
  people.groupAdmin = await f.user();
  people.systemAdmin = await f.user({ systemAdmin: true });
  sharedGroup = await newGroup();
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
  });

  for (const row of ROWS) {
    it(`${row.route} (${row.attempt})`, async () => {
      const [method, pattern] = row.route.split(' ') as ['GET' | 'POST' | 'PATCH', string];
      const seen: number[] = [];
      for (const persona of PERSONAS) {
        const groupId = row.fresh ? await newGroup() : sharedGroup;
        const cell: Cell = { persona, groupId, self: persona === 'anonymous' ? people.member.id : people[persona].id };
        const token = persona === 'anonymous' ? undefined : people[persona].token;
        const path = row.path ? row.path(cell) : pattern;
        const res = await call(f, method, path, { ...(token ? { token } : {}), ...(row.body ? { body: row.body(cell) } : {}) });
        seen.push(res.status);
        if (res.status !== row.expect[seen.length - 1]) {
          expect.fail(`${persona}: ${method} ${path} answered ${res.status}, expected ${row.expect[seen.length - 1]}: ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        if (res.status === 401) expect((res.body as any).params.err).toBe('GS_UNAUTHORIZED');
      }
      expect(seen).toEqual([...row.expect]);
    });
  }
});
