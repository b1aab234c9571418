/**
 * Roles: the roles that exist, a user's grants, and assigning roles. Every grant keeps its scope;
 * after an assignment the kit's caller cache entry of the user is dropped (users/effects.ts), so the
 * new rights count from the next request.
 */
import { sunbirdTimestamp, SYSTEM_SCOPE, type Caller } from '@lern/kit';
import type { UserOrgDeps } from '../context.ts';
import { fail, uosError, type Operation } from '../errors.ts';
import type { OrgRecord } from '../records.ts';
import { afterUserWrite } from '../users/effects.ts';
import { applyRoleChanges, refusedChange, replaceRolesIn, rolesIn, type RoleChange } from './decisions.ts';

const OP: Operation = 'assignRoles';

/** The active roles, as upstream lists them. */
export async function listRoles(deps: UserOrgDeps): Promise<Record<string, unknown>[]> {
  const roles = await deps.store.roles.list();
  return roles
    .filter((r) => r.status === 1)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => ({ id: r.id, name: r.name, actionGroups: r.roleGroupId.map((g) => ({ id: g, name: g, actions: [] })) }));
}

/** The grants of a user with their scopes. */
export async function userRoles(deps: UserOrgDeps, userId: string): Promise<Record<string, unknown>[]> {
  const grants = await deps.store.roles.grants(userId);
  return grants.map((g) => ({ userId, role: g.role, scope: g.scope, createdBy: g.createdBy, createdDate: g.createdDate, updatedBy: g.updatedBy, updatedDate: g.updatedDate }));
}

/** What an assignment request asks for: v1 replaces the roles within one organisation, v2 lists changes. */
export type AssignRequest = { userId: string; organisationId: string; roles: string[] } | { userId: string; changes: RoleChange[] };

/**
 * Assigns roles. `caller` null: another service on the internal port (trusted). Otherwise every
 * change must be one the caller may make (mayGrant) in each organisation it names; an unknown
 * organisation is refused like one the caller does not administer, except to a system administrator.
 */
export async function assignRoles(deps: UserOrgDeps, request: AssignRequest, caller: Caller | null): Promise<void> {
  const { store } = deps;
  const user = await store.users.get(request.userId);
  if (!user || user.isDeleted) throw fail.notFound(OP, 'user', 'user');
  const current = await store.roles.grants(user.id);
  const changes = 'changes' in request ? request.changes : replaceRolesIn(current, request.organisationId, request.roles);
  const orgIds = [...new Set(changes.flatMap((c) => c.organisationIds))].filter((id) => id !== SYSTEM_SCOPE);
  const orgs = new Map<string, OrgRecord | null>(await Promise.all(orgIds.map(async (id) => [id, await store.orgs.get(id)] as const)));
  if (caller && refusedChange(caller.grants, changes, (id) => orgs.get(id)?.rootOrgId ?? null)) throw fail.forbidden(OP);
  if ([...orgs.values()].some((o) => o === null)) throw uosError(OP, 'roleProcessingInvalidOrgError');
  const at = sunbirdTimestamp();
  const by = caller?.userId ?? null;
  const { next, put, removed } = applyRoleChanges(current, changes, by, at);
  await Promise.all([...put.map((g) => store.roles.putGrant(user.id, g)), ...removed.map((role) => store.roles.deleteGrant(user.id, role))]);
  const updated = { ...user, roles: next.map((g) => g.role).sort(), updatedBy: by, updatedDate: at };
  await store.users.put(updated);
  const memberships = await store.users.memberships(user.id);
  const withRoles = memberships.map((m) => ({ ...m, roles: rolesIn(next, m.organisationId), updatedBy: by, updatedDate: at }));
  await Promise.all(withRoles.map((m) => store.users.putMembership(m)));
  await afterUserWrite(deps, updated, { action: 'assign-role', caller, fields: ['roles'] }, { memberships: withRoles, grants: next });
}
