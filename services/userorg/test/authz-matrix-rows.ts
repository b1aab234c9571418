/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- responses are untyped JSON that the assertions walk */
/**
 * The authorisation matrix: for every route, the status each kind of caller gets. Columns, in
 * order: anonymous; a plain user of the target's organisation; the target user itself; the parent
 * of the (managed) target acting for it with x-authenticated-for; ORG_ADMIN of the target's
 * organisation (A); ORG_ADMIN of another organisation (B); SYSTEM_ADMINISTRATION. The target user T
 * is a managed user of its parent U, both in A. Rows named after an attempt (self-escalation,
 * cross-organisation) repeat a route with another request.
 */
import { expect } from 'vitest';
import { unique, type Fixture } from './helpers.ts';

/** The callers of the matrix, in column order. */
export const PERSONAS = ['anonymous', 'plain', 'self', 'managed', 'adminOfTarget', 'adminOfOther', 'systemAdmin'] as const;
/** One caller kind. */
export type Persona = (typeof PERSONAS)[number];

/** What the rows' requests are built from. */
export interface MatrixContext {
  orgA: string;
  channelA: string;
  orgB: string;
  /** The parent U of every target. */
  parentId: string;
  /** The shared target T and its userName. */
  targetId: string;
  targetUserName: string;
  /** A user of A with email and phone (for the open lookups). */
  contact: { id: string; email: string; phone: string };
  subOrgOfA: string;
  locationId: string;
  preferenceKey: string;
  settingId: string;
  /** Each persona's own user id (anonymous: the target's). */
  ownId: Record<Persona, string>;
  /** Each persona's own organisation (anonymous, plain, self, managed: A). */
  ownOrg: Record<Persona, string>;
}

/** A cell: who calls, about which target. */
export interface Cell {
  persona: Persona;
  /** The target user of this cell (T, or a fresh one). */
  target: string;
  /** A fresh location (rows that delete one). */
  location: string;
}

/** One row of the matrix. */
export interface MatrixRow {
  /** `METHOD /pattern` of the route as registered. */
  route: string;
  /** What the row tries, when the route alone does not say. */
  attempt?: string;
  /** The path to call; default the pattern (no parameters). */
  path?: (c: MatrixContext, cell: Cell) => string;
  body?: (c: MatrixContext, cell: Cell) => unknown;
  /** `fresh`: a new target per cell (the row changes it); `blocked`: a new, blocked one; `location`: a new location. */
  setup?: 'fresh' | 'blocked' | 'location';
  /** Expected status per persona, in PERSONAS order. */
  expect: readonly [number, number, number, number, number, number, number];
  /** More to assert on a successful answer. */
  check?: (res: { body: Record<string, any> }, persona: Persona, f: Fixture) => void | Promise<void>;
}

const ANYONE = [200, 200, 200, 200, 200, 200, 200] as const;
const INTERNAL = [404, 404, 404, 404, 404, 404, 404] as const;
const SIGNED_IN = [401, 200, 200, 200, 200, 200, 200] as const;
const SELF_OR_ADMIN = [401, 403, 200, 200, 200, 403, 200] as const;
const ADMIN_OF_TARGET = [401, 403, 403, 403, 200, 403, 200] as const;
const ANY_ADMIN = [401, 403, 403, 403, 200, 200, 200] as const;
const SYSTEM_ADMIN = [401, 403, 403, 403, 403, 403, 200] as const;

const req = (request: Record<string, unknown>) => ({ request });
const newUser = (c: MatrixContext, extra: Record<string, unknown> = {}) => req({ firstName: 'New', email: unique.email(), channel: c.channelA, ...extra });

/** Personas that may read the target in full. */
const READERS: readonly Persona[] = ['self', 'managed', 'adminOfTarget', 'systemAdmin'];

const user = (v: string) => `/${v}/user`;
const versions = (...vs: string[]) => vs;

/** Every row. */
export const ROWS: MatrixRow[] = [
  // ---- creating users
  { route: 'POST /v1/user/create', body: (c) => newUser(c, { userName: unique.userName() }), expect: ADMIN_OF_TARGET },
  ...versions('/v2/user/create', '/v3/user/create', '/v1/ssouser/create').map((p): MatrixRow => ({ route: `POST ${p}`, body: (c) => newUser(c), expect: ADMIN_OF_TARGET })),
  { route: 'POST /v2/user/create', attempt: 'create a user with SYSTEM_ADMINISTRATION', body: (c) => newUser(c, { roles: ['SYSTEM_ADMINISTRATION'] }), expect: SYSTEM_ADMIN },
  { route: 'POST /v2/user/create', attempt: 'create a user in another organisation', body: (c) => req({ firstName: 'New', email: unique.email(), organisationId: c.orgB }), expect: [401, 403, 403, 403, 403, 200, 200] },
  ...versions('/v4/user/create', '/v1/manageduser/create', '/v2/manageduser/create').map(
    (p): MatrixRow => ({ route: `POST ${p}`, body: (c) => req({ firstName: 'Child', managedBy: c.parentId }), expect: [401, 403, 403, 200, 200, 403, 200] }),
  ),
  ...versions('/v1/user/signup', '/v2/user/signup').map(
    (p): MatrixRow => ({
      route: `POST ${p}`,
      attempt: 'sign up with roles and verified contacts',
      body: () => req({ firstName: 'Eve', email: unique.email(), roles: ['SYSTEM_ADMINISTRATION'], emailVerified: true }),
      expect: ANYONE,
      check: async (res, persona, f) => {
        const id = res.body.result.userId as string;
        expect((await f.store.roles.grants(id)).map((g) => g.role), persona).toEqual(['PUBLIC']);
        expect((await f.store.users.get(id))?.emailVerified, persona).toBe(false);
      },
    }),
  ),
  // ---- profile
  ...versions('v1', 'v2', 'v3').map((v): MatrixRow => ({ route: `PATCH ${user(v)}/update`, body: (c) => req({ userId: c.targetId, lastName: 'Changed' }), expect: SELF_OR_ADMIN })),
  { route: 'PATCH /private/user/v1/update', body: (c) => req({ userId: c.targetId, lastName: 'Changed' }), expect: INTERNAL },
  ...versions('v1', 'v2', 'v3', 'v4', 'v5').map((v): MatrixRow => ({ route: `GET ${user(v)}/read/:uid`, path: (c) => `${user(v)}/read/${c.targetId}`, expect: SELF_OR_ADMIN })),
  { route: 'GET /private/user/v1/read/:uid', path: (c) => `/private/user/v1/read/${c.targetId}`, expect: INTERNAL },
  // ---- search and lookups
  ...versions('v1', 'v2', 'v3').map(
    (v): MatrixRow => ({
      route: `POST ${user(v)}/search`,
      attempt: "find the target (only those who may read it see it)",
      body: (c) => req({ filters: { id: c.targetId } }),
      expect: SIGNED_IN,
      check: (res, persona) => expect(res.body.result.response.count, persona).toBe(READERS.includes(persona) ? 1 : 0),
    }),
  ),
  { route: 'POST /private/user/v1/search', body: (c) => req({ filters: { id: c.targetId } }), expect: INTERNAL },
  { route: 'POST /private/user/v1/lookup', body: (c) => req({ key: 'email', value: c.contact.email }), expect: INTERNAL },
  ...versions('v1', 'v2').flatMap((v): MatrixRow[] => [
    { route: `GET ${user(v)}/exists/:key/:value`, path: (c) => `${user(v)}/exists/email/${c.contact.email}`, expect: ANYONE },
    ...(['email', 'phone'] as const).map(
      (kind): MatrixRow => ({
        route: `GET ${user(v)}/get/${kind}/:id`,
        attempt: `read a user of organisation A by ${kind} (the public view unless the caller may read the user)`,
        path: (c) => `${user(v)}/get/${kind}/${c.contact[kind]}`,
        expect: ANYONE,
        check: (res, persona) => {
          const full = persona === 'adminOfTarget' || persona === 'systemAdmin';
          expect(res.body.result.response.roles.length > 0, persona).toBe(full);
          expect('gender' in res.body.result.response, persona).toBe(full);
        },
      }),
    ),
    { route: `GET ${user(v)}/get/:idType/:id`, attempt: 'read the target by id', path: (c) => `${user(v)}/get/id/${c.targetId}`, expect: SELF_OR_ADMIN },
    { route: `GET ${user(v)}/get/:idType/:id`, attempt: 'read the target by userName', path: (c) => `${user(v)}/get/userName/${c.targetUserName}`, expect: SELF_OR_ADMIN },
  ]),
  // ---- account state
  { route: 'POST /v1/user/block', setup: 'fresh', body: (_c, cell) => req({ userId: cell.target }), expect: ADMIN_OF_TARGET },
  // A blocked target calling for itself is refused by the kit (401) before any policy.
  { route: 'POST /v1/user/unblock', setup: 'blocked', body: (_c, cell) => req({ userId: cell.target }), expect: [401, 403, 401, 403, 200, 403, 200] },
  { route: 'POST /v1/user/delete', setup: 'fresh', body: (_c, cell) => req({ userId: cell.target }), expect: SELF_OR_ADMIN },
  // ---- roles
  { route: 'GET /v1/role/read', expect: ANYONE },
  { route: 'GET /v1/user/role/read/:uid', path: (c) => `/v1/user/role/read/${c.targetId}`, expect: SELF_OR_ADMIN },
  { route: 'POST /v1/user/assign/role', body: (c) => req({ userId: c.targetId, organisationId: c.orgA, roles: ['CONTENT_CREATOR'] }), expect: ADMIN_OF_TARGET },
  { route: 'POST /private/user/v1/assign/role', body: (c) => req({ userId: c.targetId, organisationId: c.orgA, roles: ['CONTENT_CREATOR'] }), expect: INTERNAL },
  ...versions('/v2/user/assign/role', '/private/user/v2/assign/role').map(
    (p): MatrixRow => ({
      route: `POST ${p}`,
      body: (c) => req({ userId: c.targetId, roles: [{ role: 'CONTENT_CREATOR', operation: 'add', scope: [{ organisationId: c.orgA }] }] }),
      expect: p.startsWith('/private') ? INTERNAL : ADMIN_OF_TARGET,
    }),
  ),
  {
    route: 'POST /v2/user/assign/role',
    attempt: 'grant oneself SYSTEM_ADMINISTRATION in one\'s organisation',
    body: (c, cell) => req({ userId: c.ownId[cell.persona], roles: [{ role: 'SYSTEM_ADMINISTRATION', operation: 'add', scope: [{ organisationId: c.ownOrg[cell.persona] }] }] }),
    expect: SYSTEM_ADMIN,
  },
  {
    route: 'POST /v1/user/assign/role',
    attempt: 'grant oneself ORG_ADMIN in the system scope',
    // SYSTEM_ADMINISTRATION stays in the list: v1 replaces, and the system administrator must keep it.
    body: (c, cell) => req({ userId: c.ownId[cell.persona], organisationId: '*', roles: ['ORG_ADMIN', 'SYSTEM_ADMINISTRATION'] }),
    expect: SYSTEM_ADMIN,
  },
  {
    route: 'POST /v2/user/assign/role',
    attempt: 'grant the target a role in another organisation (B)',
    setup: 'fresh',
    body: (c, cell) => req({ userId: cell.target, roles: [{ role: 'ORG_ADMIN', operation: 'add', scope: [{ organisationId: c.orgB }] }] }),
    expect: SYSTEM_ADMIN,
  },
  // ---- organisations
  { route: 'POST /v1/org/create', attempt: 'create a sub-organisation of A', body: (c) => req({ orgName: 'Sub', organisationType: 'school', isTenant: false, rootOrgId: c.orgA }), expect: ADMIN_OF_TARGET },
  { route: 'POST /v1/org/create', attempt: 'create a tenant', body: () => req({ orgName: 'T', organisationType: 'board', isTenant: true, channel: unique.channel() }), expect: SYSTEM_ADMIN },
  { route: 'POST /v1/org/read', body: (c) => req({ organisationId: c.orgA }), expect: ANYONE },
  { route: 'PATCH /v1/org/update', body: (c) => req({ organisationId: c.subOrgOfA, description: 'updated' }), expect: ADMIN_OF_TARGET },
  { route: 'PATCH /v1/org/update', attempt: 'update the tenant A itself', body: (c) => req({ organisationId: c.orgA, description: 'updated' }), expect: ADMIN_OF_TARGET },
  { route: 'PATCH /v1/org/status/update', attempt: 'retire (here: re-activate) the tenant A', body: (c) => req({ organisationId: c.orgA, status: 1 }), expect: ADMIN_OF_TARGET },
  ...versions('/v1/org/search', '/v2/org/search').map((p): MatrixRow => ({ route: `POST ${p}`, body: () => req({ filters: {} }), expect: ANYONE })),
  { route: 'POST /private/v2/org/search', body: () => req({ filters: {} }), expect: INTERNAL },
  // ---- tenant preferences
  { route: 'POST /v2/org/preferences/create', body: (c) => req({ orgId: c.orgA, key: unique.code(), data: { a: 1 } }), expect: ADMIN_OF_TARGET },
  { route: 'POST /v2/org/preferences/create', attempt: "write every tenant's preference (*)", body: () => req({ orgId: '*', key: unique.code(), data: { a: 1 } }), expect: SYSTEM_ADMIN },
  { route: 'PATCH /v2/org/preferences/update', body: (c) => req({ orgId: c.orgA, key: c.preferenceKey, data: { a: 2 } }), expect: ADMIN_OF_TARGET },
  { route: 'POST /v2/org/preferences/read', body: (c) => req({ orgId: c.orgA, key: c.preferenceKey }), expect: ANYONE },
  { route: 'POST /private/v2/org/preferences/read', body: (c) => req({ orgId: c.orgA, key: c.preferenceKey }), expect: INTERNAL },
  // ---- locations (shared master data: any administrator)
  { route: 'POST /v1/location/create', body: () => req({ code: unique.code(), name: 'State', type: 'state' }), expect: ANY_ADMIN },
  { route: 'PATCH /v1/location/update', body: (c) => req({ id: c.locationId, name: 'Renamed' }), expect: ANY_ADMIN },
  { route: 'POST /v1/location/search', body: () => req({ filters: {} }), expect: ANYONE },
  { route: 'DELETE /v1/location/delete/:locationId', setup: 'location', path: (_c, cell) => `/v1/location/delete/${cell.location}`, expect: ANY_ADMIN },
  // ---- system settings and re-indexing
  { route: 'GET /v1/system/settings/get/:field', path: (c) => `/v1/system/settings/get/${c.settingId}`, expect: ANYONE },
  { route: 'GET /v1/system/settings/list', expect: ANYONE },
  { route: 'POST /v1/system/settings/set', body: (c) => req({ id: c.settingId, field: c.settingId, value: 'x' }), expect: SYSTEM_ADMIN },
  { route: 'POST /v1/data/sync', body: (c) => req({ objectType: 'location', objectIds: [c.locationId] }), expect: SYSTEM_ADMIN },
];
