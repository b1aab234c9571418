/**
 * The rules of role assignment, pure: what a v1 request (replace the roles within one
 * organisation) changes, which change a caller may not make (nobody grants or revokes above their
 * own rights in a scope: the kit's mayGrant), and the grants after the changes.
 */
import { mayGrant, type Grant } from '@lern/kit';
import type { RoleGrant } from '../records.ts';

/** Roles every user keeps whatever the changes. */
const PERMANENT_ROLES: ReadonlySet<string> = new Set(['PUBLIC']);

/** Adding or removing a role in organisations. */
export interface RoleChange {
  role: string;
  operation: 'add' | 'remove';
  organisationIds: string[];
}

/** The changes of "the user holds exactly `roles` in `orgId`". */
export function replaceRolesIn(current: readonly RoleGrant[], orgId: string, roles: readonly string[]): RoleChange[] {
  const removed = current
    .filter((g) => !PERMANENT_ROLES.has(g.role) && g.scope.some((s) => s.organisationId === orgId) && !roles.includes(g.role))
    .map((g): RoleChange => ({ role: g.role, operation: 'remove', organisationIds: [orgId] }));
  return [...removed, ...[...new Set(roles)].map((role): RoleChange => ({ role, operation: 'add', organisationIds: [orgId] }))];
}

/**
 * The first change the caller's grants do not allow, or null. `rootOf` gives an organisation's root
 * (null when unknown: only a system administrator may name an unknown organisation, and then learns
 * it is unknown).
 */
export function refusedChange(grants: readonly Grant[], changes: readonly RoleChange[], rootOf: (orgId: string) => string | null): { role: string; orgId: string } | null {
  for (const change of changes) {
    for (const orgId of change.organisationIds) {
      if (!mayGrant(grants, change.role, orgId, rootOf(orgId))) return { role: change.role, orgId };
    }
  }
  return null;
}

/** The grants after the changes: rows to write, and roles whose scope became empty (rows to delete). */
export function applyRoleChanges(current: readonly RoleGrant[], changes: readonly RoleChange[], by: string | null, at: string): { next: RoleGrant[]; put: RoleGrant[]; removed: string[] } {
  const grants = new Map(current.map((g) => [g.role, g] as const));
  const touched = new Set<string>();
  for (const change of changes) {
    const g: RoleGrant = grants.get(change.role) ?? { role: change.role, scope: [], createdBy: by, createdDate: at };
    const scope = new Set(g.scope.map((s) => s.organisationId));
    for (const id of change.organisationIds) {
      if (change.operation === 'add') scope.add(id);
      else scope.delete(id);
    }
    grants.set(change.role, { ...g, scope: [...scope].map((organisationId) => ({ organisationId })), updatedBy: by, updatedDate: at });
    touched.add(change.role);
  }
  const put: RoleGrant[] = [];
  const removed: string[] = [];
  for (const g of [...grants.values()].filter((x) => touched.has(x.role))) {
    if (g.scope.length === 0 && !PERMANENT_ROLES.has(g.role)) {
      removed.push(g.role);
      grants.delete(g.role);
    } else {
      put.push(g);
    }
  }
  return { next: [...grants.values()], put, removed };
}

/** The roles a user holds in one organisation (PUBLIC everywhere). */
export function rolesIn(grants: readonly RoleGrant[], orgId: string): string[] {
  return grants.filter((g) => PERMANENT_ROLES.has(g.role) || g.scope.some((s) => s.organisationId === orgId)).map((g) => g.role);
}
