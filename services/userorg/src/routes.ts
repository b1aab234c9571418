/**
 * The User-Org routes. Paths are upstream's (controller/conf/routes). ACCESS is the one table of who
 * may call what: upstream leaves many routes open in the service (RequestInterceptor's
 * apiHeaderIgnoreMap) and guards them at the API gateway with consumer ACL groups; with no gateway in
 * front, the roles below stand in for those ACL groups. `/private/...` routes are for other services
 * inside the cluster and need no user token, as upstream.
 */
import { defineRoute, sunbirdValidationError, type Access, type ValidationErrorMapper, type AuthContext, type LernRequest, type RouteDefinition } from '@lern/kit';
import { errorPrefix, fail, type Operation } from './errors.ts';
import {
  AssignRoleBody,
  CreateUserBody,
  FieldParams,
  IdTypeParams,
  KeyValueParams,
  LocationBody,
  LocationIdParams,
  LocationSearchBody,
  LookupBody,
  OrgBody,
  OrgReadBody,
  PreferenceBody,
  SearchBody,
  SettingBody,
  SyncBody,
  UpdateUserBody,
  UserIdBody,
  UserIdParams,
} from './schemas.ts';
import type { Caller, UserOrgService } from './service.ts';
import { requestOf, text, type CreateFlavour } from './validate.ts';

const ADMIN = ['ORG_ADMIN', 'SYSTEM_ADMINISTRATION'] as const;
const SYSADMIN = ['SYSTEM_ADMINISTRATION'] as const;

/** Who may call each route (`METHOD path` -> access), with upstream's rule in the comment. */
export const ACCESS: Readonly<Record<string, Access>> = {
  // User creation: gateway ACL userCreate/userUpdate -> administrators.
  'POST /v1/user/create': ADMIN,
  'POST /v2/user/create': ADMIN,
  'POST /v3/user/create': ADMIN,
  'POST /v1/ssouser/create': ADMIN,
  // Managed (child) users: any signed-in user, for themselves (checked: managedBy = caller).
  'POST /v4/user/create': 'AUTHENTICATED',
  'POST /v1/manageduser/create': 'AUTHENTICATED',
  'POST /v2/manageduser/create': 'AUTHENTICATED',
  // Self sign-up: open.
  'POST /v1/user/signup': 'PUBLIC',
  'POST /v2/user/signup': 'PUBLIC',
  // Profile: self (or the managed user acted for) or an administrator, checked per request.
  'PATCH /v1/user/update': 'AUTHENTICATED',
  'PATCH /v2/user/update': 'AUTHENTICATED',
  'PATCH /v3/user/update': 'AUTHENTICATED',
  'PATCH /private/user/v1/update': 'PUBLIC',
  'GET /v1/user/read/:uid': 'AUTHENTICATED',
  'GET /v2/user/read/:uid': 'AUTHENTICATED',
  'GET /v3/user/read/:uid': 'AUTHENTICATED',
  'GET /v4/user/read/:uid': 'AUTHENTICATED',
  'GET /v5/user/read/:uid': 'AUTHENTICATED',
  'GET /private/user/v1/read/:uid': 'PUBLIC',
  // Search: signed-in users; private search open inside the cluster.
  'POST /v1/user/search': 'AUTHENTICATED',
  'POST /v2/user/search': 'AUTHENTICATED',
  'POST /v3/user/search': 'AUTHENTICATED',
  'POST /private/user/v1/search': 'PUBLIC',
  // Existence and lookup: open (upstream apiHeaderIgnoreMap: /v1/user/exists/*, /v1/user/get/email|phone).
  'GET /v1/user/exists/:key/:value': 'PUBLIC',
  'GET /v2/user/exists/:key/:value': 'PUBLIC',
  'GET /v1/user/get/:idType/:id': 'PUBLIC',
  'GET /v2/user/get/:idType/:id': 'PUBLIC',
  'POST /private/user/v1/lookup': 'PUBLIC',
  // Status: administrators; delete: self or administrator (checked per request).
  'POST /v1/user/block': ADMIN,
  'POST /v1/user/unblock': ADMIN,
  'POST /v1/user/delete': 'AUTHENTICATED',
  // Roles: reads open (apiHeaderIgnoreMap), assignment by administrators (scope checked per request).
  'GET /v1/role/read': 'PUBLIC',
  'GET /v1/user/role/read/:uid': 'PUBLIC',
  'POST /v1/user/assign/role': ADMIN,
  'POST /v2/user/assign/role': ADMIN,
  'POST /private/user/v1/assign/role': ADMIN,
  'POST /private/user/v2/assign/role': ADMIN,
  // Organisations: read/search open; writes administrators (tenants: SYSTEM_ADMINISTRATION, checked per request).
  'POST /v1/org/create': ADMIN,
  'PATCH /v1/org/update': ADMIN,
  'PATCH /v1/org/status/update': ADMIN,
  'POST /v1/org/read': 'PUBLIC',
  'POST /v1/org/search': 'PUBLIC',
  'POST /v2/org/search': 'PUBLIC',
  'POST /private/v2/org/search': 'PUBLIC',
  // Tenant preferences: read open; writes administrators (gateway ACL).
  'POST /v2/org/preferences/create': ADMIN,
  'PATCH /v2/org/preferences/update': ADMIN,
  'POST /v2/org/preferences/read': 'PUBLIC',
  'POST /private/v2/org/preferences/read': 'PUBLIC',
  // Locations: search open; writes administrators (gateway ACL masterLocation*).
  'POST /v1/location/create': ADMIN,
  'PATCH /v1/location/update': ADMIN,
  'POST /v1/location/search': 'PUBLIC',
  'DELETE /v1/location/delete/:locationId': ADMIN,
  // System settings: reads open; writes SYSTEM_ADMINISTRATION (gateway ACL).
  'GET /v1/system/settings/get/:field': 'PUBLIC',
  'GET /v1/system/settings/list': 'PUBLIC',
  'POST /v1/system/settings/set': SYSADMIN,
  // Re-index: SYSTEM_ADMINISTRATION (gateway ACL indexSync).
  'POST /v1/data/sync': SYSADMIN,
};

function access(method: string, url: string): Access {
  const a = ACCESS[`${method} ${url}`];
  if (a === undefined) throw new Error(`no access rule for ${method} ${url}`);
  return a;
}

const callerOf = (auth: AuthContext | null): Caller | null => (auth ? { userId: auth.userId, effectiveUserId: auth.effectiveUserId } : null);

function requireCaller(auth: AuthContext | null, op: Operation | null): Caller {
  const c = callerOf(auth);
  if (!c) throw fail.unauthorized(op);
  return c;
}

const SUCCESS = { response: 'SUCCESS' } as const;

/** A path parameter (schemas make them strings). */
const param = (req: LernRequest, name: string): string => {
  const v = (req.params as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
};

/**
 * Validation errors as upstream reports them: operation prefix + reason code, except a body that is
 * not a JSON object at all, which upstream rejects before any operation is known (`UOS_0028`).
 */
export function uosValidation(prefix: string | undefined): ValidationErrorMapper {
  const withPrefix = sunbirdValidationError(prefix);
  const bare = sunbirdValidationError('UOS_');
  return (issue) => (issue.kind === 'request' ? bare(issue) : withPrefix(issue));
}

/** All routes of the service, bound to one UserOrgService. */
export function userOrgRoutes(svc: UserOrgService): RouteDefinition<never>[] {
  const routes: RouteDefinition<never>[] = [];
  const add = (r: RouteDefinition<never>) => routes.push(r);
  const route = <S extends object>(def: Omit<RouteDefinition<S & object>, 'access'>) =>
    add(defineRoute({ ...def, access: access(def.method, def.url), validationError: uosValidation(def.errorPrefix) } as RouteDefinition<never>));

  // ---- user creation
  const creates: [string, CreateFlavour][] = [
    ['/v1/user/create', 'v1'],
    ['/v2/user/create', 'v2'],
    ['/v3/user/create', 'v3'],
    ['/v1/ssouser/create', 'sso'],
    ['/v4/user/create', 'managed'],
    ['/v1/manageduser/create', 'managed'],
    ['/v2/manageduser/create', 'managed'],
    ['/v1/user/signup', 'signup'],
    ['/v2/user/signup', 'signup'],
  ];
  for (const [url, flavour] of creates) {
    route({
      method: 'POST',
      url,
      errorPrefix: errorPrefix('createUser'),
      schema: { body: CreateUserBody },
      summary: flavour === 'managed' ? 'Create a managed (child) user' : flavour === 'signup' ? 'Sign up' : 'Create a user',
      tags: ['user'],
      handler: async (req: LernRequest) => {
        const { userId } = await svc.createUser(req.body, flavour, callerOf(req.auth));
        return { ...SUCCESS, userId, errors: [] };
      },
    });
  }

  // ---- update
  for (const url of ['/v1/user/update', '/v2/user/update', '/v3/user/update', '/private/user/v1/update']) {
    route({
      method: 'PATCH',
      url,
      errorPrefix: errorPrefix('updateUser'),
      schema: { body: UpdateUserBody },
      summary: 'Update a user profile',
      tags: ['user'],
      handler: async (req: LernRequest) => {
        const caller = url.startsWith('/private') ? { userId: 'system', effectiveUserId: String(text(requestOf(req.body, 'updateUser').userId) ?? '') } : requireCaller(req.auth, 'updateUser');
        await svc.updateUser(req.body, caller);
        return { ...SUCCESS, errors: [] };
      },
    });
  }

  // ---- read
  for (const v of ['v1', 'v2', 'v3', 'v4', 'v5']) {
    route({
      method: 'GET',
      url: `/${v}/user/read/:uid`,
      errorPrefix: errorPrefix('readUser'),
      schema: { params: UserIdParams },
      summary: 'Read a user (cached)',
      tags: ['user'],
      handler: async (req: LernRequest) => {
        const json = await svc.readUser(param(req, 'uid'), requireCaller(req.auth, 'readUser'));
        return { response: JSON.parse(json) as unknown };
      },
    });
  }
  route({
    method: 'GET',
    url: '/private/user/v1/read/:uid',
    errorPrefix: errorPrefix('readUser'),
    schema: { params: UserIdParams },
    summary: 'Read a user (inside the cluster)',
    tags: ['user'],
    handler: async (req: LernRequest) => {
      const json = await svc.readUserJson(param(req, 'uid'));
      if (json === null) throw fail.notFound('readUser', 'user', 'user not found.');
      return { response: JSON.parse(json) as unknown };
    },
  });

  // ---- search
  for (const url of ['/v1/user/search', '/v2/user/search', '/v3/user/search', '/private/user/v1/search']) {
    route({
      method: 'POST',
      url,
      errorPrefix: errorPrefix('userSearch'),
      schema: { body: SearchBody },
      summary: 'Search users (index)',
      tags: ['user'],
      handler: async (req: LernRequest) => ({ response: await svc.searchUsers(req.body) }),
    });
  }

  // ---- exists / get / lookup
  for (const v of ['v1', 'v2']) {
    route({
      method: 'GET',
      url: `/${v}/user/exists/:key/:value`,
      errorPrefix: errorPrefix('checkUserExistence'),
      schema: { params: KeyValueParams },
      summary: 'Whether an email/phone/userName is taken',
      tags: ['user'],
      handler: async (req: LernRequest) => ({ exists: await svc.exists(param(req, 'key'), param(req, 'value')) }),
    });
    route({
      method: 'GET',
      url: `/${v}/user/get/:idType/:id`,
      errorPrefix: errorPrefix('getUserByKey'),
      schema: { params: IdTypeParams },
      summary: 'A user by email, phone, userName or external id',
      tags: ['user'],
      handler: async (req: LernRequest) => {
        const idType = param(req, 'idType');
        // Open for email and phone like upstream; other identifiers need a signed-in caller.
        if (idType !== 'email' && idType !== 'phone' && !req.auth) throw fail.unauthorized(null);
        return { response: await svc.getByKey(idType, param(req, 'id')) };
      },
    });
  }
  route({
    method: 'POST',
    url: '/private/user/v1/lookup',
    errorPrefix: errorPrefix('userLookup'),
    schema: { body: LookupBody },
    summary: 'Look users up by a unique identifier',
    tags: ['user'],
    handler: async (req: LernRequest) => ({ response: await svc.lookup(req.body) }),
  });

  // ---- status
  route({
    method: 'POST',
    url: '/v1/user/block',
    errorPrefix: errorPrefix('blockUser'),
    schema: { body: UserIdBody },
    summary: 'Block a user',
    tags: ['user'],
    handler: async (req: LernRequest) => {
      await svc.setBlocked(req.body, true, requireCaller(req.auth, 'blockUser'));
      return SUCCESS;
    },
  });
  route({
    method: 'POST',
    url: '/v1/user/unblock',
    errorPrefix: errorPrefix('unblockUser'),
    schema: { body: UserIdBody },
    summary: 'Unblock a user',
    tags: ['user'],
    handler: async (req: LernRequest) => {
      await svc.setBlocked(req.body, false, requireCaller(req.auth, 'unblockUser'));
      return SUCCESS;
    },
  });
  route({
    method: 'POST',
    url: '/v1/user/delete',
    errorPrefix: errorPrefix('deleteUser'),
    schema: { body: UserIdBody },
    summary: 'Delete a user (publishes delete.user)',
    tags: ['user'],
    handler: async (req: LernRequest) => {
      await svc.deleteUser(req.body, requireCaller(req.auth, 'deleteUser'));
      return SUCCESS;
    },
  });

  // ---- roles
  route({
    method: 'GET',
    url: '/v1/role/read',
    errorPrefix: errorPrefix('getRoles'),
    summary: 'All roles',
    tags: ['role'],
    handler: async () => ({ roles: await svc.listRoles() }),
  });
  route({
    method: 'GET',
    url: '/v1/user/role/read/:uid',
    errorPrefix: errorPrefix('getUserRolesById'),
    schema: { params: UserIdParams },
    summary: "A user's roles",
    tags: ['role'],
    handler: async (req: LernRequest) => ({ response: await svc.userRoles(param(req, 'uid')) }),
  });
  for (const [url, version] of [
    ['/v1/user/assign/role', 1],
    ['/private/user/v1/assign/role', 1],
    ['/v2/user/assign/role', 2],
    ['/private/user/v2/assign/role', 2],
  ] as const) {
    route({
      method: 'POST',
      url,
      errorPrefix: errorPrefix('assignRoles'),
      schema: { body: AssignRoleBody },
      summary: version === 1 ? 'Replace roles within an organisation' : 'Add/remove roles per organisation',
      tags: ['role'],
      handler: async (req: LernRequest) => {
        await svc.assignRoles(req.body, version, requireCaller(req.auth, 'assignRoles'));
        return SUCCESS;
      },
    });
  }

  // ---- organisations
  route({
    method: 'POST',
    url: '/v1/org/create',
    errorPrefix: errorPrefix('createOrg'),
    schema: { body: OrgBody },
    summary: 'Create a root organisation (tenant) or a sub-organisation',
    tags: ['org'],
    handler: async (req: LernRequest) => {
      const { organisationId } = await svc.createOrg(req.body, callerOf(req.auth), req.auth?.roles ?? []);
      return { organisationId, ...SUCCESS };
    },
  });
  route({
    method: 'POST',
    url: '/v1/org/read',
    errorPrefix: errorPrefix('getOrgDetails'),
    schema: { body: OrgReadBody },
    summary: 'Read an organisation',
    tags: ['org'],
    handler: async (req: LernRequest) => ({ response: await svc.readOrg(req.body) }),
  });
  route({
    method: 'PATCH',
    url: '/v1/org/update',
    errorPrefix: errorPrefix('updateOrg'),
    schema: { body: OrgBody },
    summary: 'Update an organisation',
    tags: ['org'],
    handler: async (req: LernRequest) => {
      await svc.updateOrg(req.body, requireCaller(req.auth, 'updateOrg'));
      return SUCCESS;
    },
  });
  route({
    method: 'PATCH',
    url: '/v1/org/status/update',
    errorPrefix: errorPrefix('updateOrgStatus'),
    schema: { body: OrgBody },
    summary: "Change an organisation's status",
    tags: ['org'],
    handler: async (req: LernRequest) => {
      await svc.updateOrgStatus(req.body, requireCaller(req.auth, 'updateOrgStatus'));
      return SUCCESS;
    },
  });
  for (const url of ['/v1/org/search', '/v2/org/search', '/private/v2/org/search']) {
    route({
      method: 'POST',
      url,
      errorPrefix: errorPrefix('orgSearch'),
      schema: { body: SearchBody },
      summary: 'Search organisations (index)',
      tags: ['org'],
      handler: async (req: LernRequest) => ({ response: await svc.searchOrgs(req.body) }),
    });
  }

  // ---- tenant preferences
  route({
    method: 'POST',
    url: '/v2/org/preferences/create',
    errorPrefix: errorPrefix('createTenantPreference'),
    schema: { body: PreferenceBody },
    summary: 'Create a tenant preference',
    tags: ['org'],
    handler: async (req: LernRequest) => {
      await svc.createPreference(req.body, callerOf(req.auth));
      return SUCCESS;
    },
  });
  route({
    method: 'PATCH',
    url: '/v2/org/preferences/update',
    errorPrefix: errorPrefix('updateTenantPreference'),
    schema: { body: PreferenceBody },
    summary: 'Update a tenant preference',
    tags: ['org'],
    handler: async (req: LernRequest) => {
      await svc.updatePreference(req.body, callerOf(req.auth));
      return SUCCESS;
    },
  });
  for (const url of ['/v2/org/preferences/read', '/private/v2/org/preferences/read']) {
    route({
      method: 'POST',
      url,
      errorPrefix: errorPrefix('getTenantPreference'),
      schema: { body: PreferenceBody },
      summary: 'Read a tenant preference',
      tags: ['org'],
      handler: async (req: LernRequest) => ({ response: await svc.readPreference(req.body) }),
    });
  }

  // ---- locations
  route({
    method: 'POST',
    url: '/v1/location/create',
    errorPrefix: errorPrefix('createLocation'),
    schema: { body: LocationBody },
    summary: 'Create a location',
    tags: ['location'],
    handler: async (req: LernRequest) => {
      const { id } = await svc.createLocation(req.body, callerOf(req.auth));
      return { ...SUCCESS, id };
    },
  });
  route({
    method: 'PATCH',
    url: '/v1/location/update',
    errorPrefix: errorPrefix('updateLocation'),
    schema: { body: LocationBody },
    summary: 'Update a location',
    tags: ['location'],
    handler: async (req: LernRequest) => {
      await svc.updateLocation(req.body, callerOf(req.auth));
      return SUCCESS;
    },
  });
  route({
    method: 'POST',
    url: '/v1/location/search',
    errorPrefix: errorPrefix('searchLocation'),
    schema: { body: LocationSearchBody },
    summary: 'Search locations (index)',
    tags: ['location'],
    handler: async (req: LernRequest) => svc.searchLocations(req.body),
  });
  route({
    method: 'DELETE',
    url: '/v1/location/delete/:locationId',
    errorPrefix: errorPrefix('deleteLocation'),
    schema: { params: LocationIdParams },
    summary: 'Delete a location without children',
    tags: ['location'],
    handler: async (req: LernRequest) => {
      await svc.deleteLocation(param(req, 'locationId'), callerOf(req.auth));
      return SUCCESS;
    },
  });

  // ---- system settings
  route({
    method: 'GET',
    url: '/v1/system/settings/get/:field',
    errorPrefix: errorPrefix('getSystemSetting'),
    schema: { params: FieldParams },
    summary: 'Read a system setting',
    tags: ['settings'],
    handler: async (req: LernRequest) => ({ response: await svc.getSetting(param(req, 'field')) }),
  });
  route({
    method: 'GET',
    url: '/v1/system/settings/list',
    errorPrefix: errorPrefix('getSystemSetting'),
    summary: 'All system settings',
    tags: ['settings'],
    handler: async () => ({ response: await svc.listSettings() }),
  });
  route({
    method: 'POST',
    url: '/v1/system/settings/set',
    errorPrefix: errorPrefix('setSystemSetting'),
    schema: { body: SettingBody },
    summary: 'Write a system setting',
    tags: ['settings'],
    handler: async (req: LernRequest) => {
      const { id } = await svc.setSetting(req.body, callerOf(req.auth));
      return { ...SUCCESS, id };
    },
  });

  // ---- re-index
  route({
    method: 'POST',
    url: '/v1/data/sync',
    errorPrefix: errorPrefix('sync'),
    schema: { body: SyncBody },
    summary: 'Rebuild index documents from Cassandra',
    tags: ['operations'],
    handler: async (req: LernRequest) => {
      const r = requestOf(req.body, 'sync');
      const objectType = text(r.objectType);
      if (objectType === undefined) throw fail.missing('sync', 'objectType');
      if (objectType !== 'user' && objectType !== 'organisation' && objectType !== 'location') throw fail.format('sync', 'objectType');
      const ids = Array.isArray(r.objectIds) ? r.objectIds.filter((x): x is string => typeof x === 'string').slice(0, 10_000) : undefined;
      const count = await svc.sync(objectType, ids);
      return { ...SUCCESS, count };
    },
  });

  return routes;
}
