/**
 * Authorisation pieces the routes share: targets (whose organisations a request is about) for the
 * kit's target policies, and the decisions handlers make once they know more than the request says
 * (where a new user is placed, whether a caller may see a user in full).
 */
import { administers, decide, isSystemAdmin, SYSTEM_SCOPE, type Caller, type Grant, type Target, type TargetScope } from '@lern/kit';
import type { UserOrgDeps } from './context.ts';

/** A user as the target of a request; unknown users have no scope (the handler answers 404). */
export function userTarget(deps: UserOrgDeps, userId: string | undefined): Target {
  if (userId === undefined) return {};
  return { userId, scope: () => deps.store.users.scope(userId) };
}

/** An organisation as the target of a request: it and its root organisation. */
export function orgTarget(deps: UserOrgDeps, orgId: string): Target {
  return {
    scope: async () => {
      const org = await deps.store.orgs.get(orgId);
      return org ? { orgIds: [org.id], rootOrgId: org.rootOrgId } : null;
    },
  };
}

/** A tenant preference's organisation as the target; `*` (every tenant) is the system scope. */
export function preferenceTarget(deps: UserOrgDeps, orgId: string): Target {
  if (orgId === SYSTEM_SCOPE) return { scope: () => Promise.resolve({ orgIds: [SYSTEM_SCOPE] }) };
  return orgTarget(deps, orgId);
}

/**
 * The read rule of a user: the user themself (or the managed user acted for), or an administrator
 * of one of the user's organisations or of its root. Null caller: nobody.
 */
export async function mayReadUser(caller: Caller | null, userId: string, scope: TargetScope): Promise<boolean> {
  const decision = await decide('selfOrAdmin', caller, { internal: false, target: { userId, scope: () => Promise.resolve(scope) } });
  return decision.allowed;
}

/**
 * True when the grants allow placing a new user in `orgId` under `rootOrgId`: system administrators
 * anywhere, organisation administrators only in organisations they administer. A user with no root
 * organisation (no channel and no custodian organisation) belongs to nobody but the system.
 */
export function mayPlaceUser(grants: readonly Grant[], rootOrgId: string | null, orgId: string | null): boolean {
  if (isSystemAdmin(grants)) return true;
  if (rootOrgId === null) return false;
  return administers(grants, { orgIds: [orgId ?? rootOrgId], rootOrgId });
}
