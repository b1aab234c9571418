/**
 * The role routes: the role list (open), a user's grants (the user or an administrator of their
 * organisation), and assignment (an administrator of the user's organisation, each change checked
 * against what the caller may grant; the `/private` paths for other services).
 */
import { defineRoute, type Route, type Static } from '@lern/kit';
import { userTarget } from '../access.ts';
import type { UserOrgDeps } from '../context.ts';
import { operationOf } from '../errors.ts';
import { ResponseResult, SuccessResult } from '../schemas.ts';
import { assignRoles, listRoles, userRoles, type AssignRequest } from './operations.ts';
import { AssignRolesV1Body, AssignRolesV2Body, UserRoleParams } from './schemas.ts';

const SUCCESS = { response: 'SUCCESS' } as const;

/** v1 replaces the roles within one organisation; v2 lists the changes. */
const ASSIGN = {
  v1: { body: AssignRolesV1Body, summary: "Replace a user's roles within one organisation" },
  v2: { body: AssignRolesV2Body, summary: 'Add or remove roles per organisation' },
} as const;

type AssignBody = Static<typeof AssignRolesV1Body>['request'] | Static<typeof AssignRolesV2Body>['request'];

/** The operation's request from either body. */
function assignRequest(r: AssignBody): AssignRequest {
  if ('organisationId' in r) return { userId: r.userId, organisationId: r.organisationId, roles: r.roles };
  return { userId: r.userId, changes: r.roles.map((x) => ({ role: x.role, operation: x.operation ?? 'add', organisationIds: x.scope.map((s) => s.organisationId.trim()) })) };
}

/** Every role route. */
export function roleRoutes(deps: UserOrgDeps): Route[] {
  const assign = (version: keyof typeof ASSIGN, url: string) =>
    defineRoute({
      method: 'POST', url, policy: url.startsWith('/private') ? 'internal' : 'adminOfTarget', errors: [403, 404], ...operationOf('assignRoles', 'role'),
      target: (req) => userTarget(deps, req.body.request.userId),
      schema: { body: ASSIGN[version].body, result: SuccessResult },
      summary: ASSIGN[version].summary,
      handler: (req) => assignRoles(deps, assignRequest(req.body.request), req.caller).then(() => SUCCESS),
    });
  return [
    defineRoute({ method: 'GET', url: '/v1/role/read', policy: 'public', ...operationOf('getRoles', 'role'), summary: 'All roles', handler: async () => ({ roles: await listRoles(deps) }) }),
    defineRoute({
      method: 'GET', url: '/v1/user/role/read/:uid', policy: 'selfOrAdmin', ...operationOf('getUserRolesById', 'role'),
      target: (req) => userTarget(deps, req.params.uid),
      schema: { params: UserRoleParams, result: ResponseResult },
      summary: "A user's roles with their scopes",
      handler: async (req) => ({ response: await userRoles(deps, req.params.uid) }),
    }),
    assign('v1', '/v1/user/assign/role'),
    assign('v1', '/private/user/v1/assign/role'),
    assign('v2', '/v2/user/assign/role'),
    assign('v2', '/private/user/v2/assign/role'),
  ];
}
