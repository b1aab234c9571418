/**
 * The authorisation model every Lern service shares: a caller's grants keep their scope (role +
 * organisations), and each route declares a policy. Everything here is pure; the kit's request hook
 * (app.ts) resolves the caller and the target and asks these functions.
 *
 * Scope rules:
 * - SYSTEM_ADMINISTRATION counts only when held in the system scope ({@link SYSTEM_SCOPE}); the same
 *   role held in an ordinary organisation grants nothing beyond that organisation's admin rights.
 * - ORG_ADMIN of an organisation administers it and, when it is a root organisation (tenant), every
 *   organisation and user under that root.
 * - Nobody grants a role above their own in a scope: only system administrators grant in the system
 *   scope or grant SYSTEM_ADMINISTRATION; an organisation administrator grants ordinary roles
 *   (ORG_ADMIN included) only in organisations they administer.
 */

/** The organisation id that stands for the whole system in a grant's scope. */
export const SYSTEM_SCOPE = '*';

/** Role ids the kit's rules read (upstream ids). */
export const ADMIN_ROLE = 'ORG_ADMIN';
export const SYSTEM_ADMIN_ROLE = 'SYSTEM_ADMINISTRATION';

/** A role held in the organisations of its scope. */
export interface Grant {
  readonly role: string;
  /** Organisation ids; {@link SYSTEM_SCOPE} for the system. */
  readonly orgIds: readonly string[];
}

/** Account state of a caller. Blocked and deleted callers are refused on every protected route. */
export type CallerStatus = 'active' | 'blocked' | 'deleted';

/** What the kit knows of a caller beyond the token: status and grants, resolved per request (cached). */
export interface CallerRecord {
  status: CallerStatus;
  grants: readonly Grant[];
}

/** The verified caller of a request. */
export interface Caller {
  /** The requester: the part of the token's `sub` after the last ':'. */
  userId: string;
  /** The managed (child) user when `x-authenticated-for` carried a valid token for them. */
  managedFor?: string;
  /** `managedFor ?? userId`: whose data the request is about. */
  effectiveUserId: string;
  /** The requester's grants (never the managed user's). */
  grants: readonly Grant[];
}

/**
 * Who may call a route.
 * - `public`: anyone; a valid token is read when sent, a bad one ignored.
 * - `internal`: served on the internal port only (other services in the installation); no token.
 * - `authenticated`: any active signed-in user.
 * - `self`: the target user is the caller (or the managed user acted for).
 * - `selfOrManaged`: `self`, or the target is a managed user of the caller.
 * - `selfOrAdmin`: `self`, or an administrator of the target's organisation or its root.
 * - `adminOfTarget`: an administrator of the target's organisation or its root.
 * - `admin`: an administrator of some organisation (the handler narrows to the target it creates).
 * - `systemAdmin`: a system administrator.
 */
export type Policy = 'public' | 'internal' | 'authenticated' | 'self' | 'selfOrManaged' | 'selfOrAdmin' | 'adminOfTarget' | 'admin' | 'systemAdmin';

/** Policies that need a target to decide. */
export const TARGET_POLICIES: ReadonlySet<Policy> = new Set(['self', 'selfOrManaged', 'selfOrAdmin', 'adminOfTarget']);

/** Where a target lives: its organisations and their root, and who manages it (managed users). */
export interface TargetScope {
  orgIds: readonly string[];
  rootOrgId?: string | null;
  managedBy?: string | null;
}

/** What a request is about, for target policies. `scope` is loaded only when a rule needs it. */
export interface Target {
  /** The user the request is about. */
  userId?: string;
  /** Loads the target's scope; null when the target does not exist (the handler answers 404). */
  scope?: () => Promise<TargetScope | null>;
}

/** The outcome of a decision: allowed, or refused with the status to answer. */
export type Decision = { allowed: true } | { allowed: false; status: 401 | 403 | 404; reason: string };

const ALLOW: Decision = { allowed: true };
const refuse = (status: 401 | 403 | 404, reason: string): Decision => ({ allowed: false, status, reason });

/** True when the grants make their holder a system administrator (SYSTEM_ADMINISTRATION in the system scope). */
export function isSystemAdmin(grants: readonly Grant[]): boolean {
  return grants.some((g) => g.role === SYSTEM_ADMIN_ROLE && g.orgIds.includes(SYSTEM_SCOPE));
}

/** Organisations in which the grants hold administrator rights (ORG_ADMIN, or SYSTEM_ADMINISTRATION held there). */
export function administeredOrgs(grants: readonly Grant[]): ReadonlySet<string> {
  const orgs = new Set<string>();
  for (const g of grants) {
    if (g.role !== ADMIN_ROLE && g.role !== SYSTEM_ADMIN_ROLE) continue;
    for (const id of g.orgIds) if (id !== SYSTEM_SCOPE) orgs.add(id);
  }
  return orgs;
}

/** True when the grants administer some organisation, or the system. */
export function isAnyAdmin(grants: readonly Grant[]): boolean {
  return isSystemAdmin(grants) || administeredOrgs(grants).size > 0;
}

/** True when the grants administer one of the scope's organisations or its root organisation. */
export function administers(grants: readonly Grant[], scope: TargetScope): boolean {
  if (isSystemAdmin(grants)) return true;
  const mine = administeredOrgs(grants);
  if (scope.rootOrgId && mine.has(scope.rootOrgId)) return true;
  return scope.orgIds.some((id) => mine.has(id));
}

/** True when the target user is the caller or the managed user the caller acts for. */
export function isSelf(caller: Caller, target: Target): boolean {
  return target.userId !== undefined && (target.userId === caller.effectiveUserId || target.userId === caller.userId);
}

/**
 * Decides a route's policy for a caller (null: no valid token) and a target. `internal` tells
 * whether the request came in on the internal port.
 */
export async function decide(policy: Policy, caller: Caller | null, context: { internal: boolean; target?: Target }): Promise<Decision> {
  if (policy === 'internal') return context.internal ? ALLOW : refuse(404, 'internal route on the public port');
  if (policy === 'public') return ALLOW;
  if (caller === null) return refuse(401, 'no valid token');
  const { grants } = caller;
  switch (policy) {
    case 'authenticated':
      return ALLOW;
    case 'systemAdmin':
      return isSystemAdmin(grants) ? ALLOW : refuse(403, 'not a system administrator');
    case 'admin':
      return isAnyAdmin(grants) ? ALLOW : refuse(403, 'not an administrator');
    default:
      break;
  }
  const target = context.target ?? {};
  if ((policy === 'self' || policy === 'selfOrManaged' || policy === 'selfOrAdmin') && isSelf(caller, target)) return ALLOW;
  if (policy === 'self') return refuse(403, 'not the caller');
  if ((policy === 'selfOrAdmin' || policy === 'adminOfTarget') && !isAnyAdmin(grants)) return refuse(403, 'not an administrator');
  const scope = target.scope ? await target.scope() : null;
  // An unknown target is the handler's 404; an administrator may learn that it does not exist.
  if (scope === null) return policy === 'selfOrManaged' ? refuse(403, 'no such managed user') : ALLOW;
  if (policy === 'selfOrManaged') return scope.managedBy === caller.userId ? ALLOW : refuse(403, 'not a managed user of the caller');
  return administers(grants, scope) ? ALLOW : refuse(403, "not an administrator of the target's organisation");
}

/**
 * True when a caller holding `grants` may grant `role` in organisation `orgId` (whose root is
 * `rootOrgId`): system administrators anything anywhere; organisation administrators ordinary roles in
 * organisations they administer; nobody else anything.
 */
export function mayGrant(grants: readonly Grant[], role: string, orgId: string, rootOrgId?: string | null): boolean {
  if (isSystemAdmin(grants)) return true;
  if (orgId === SYSTEM_SCOPE || role === SYSTEM_ADMIN_ROLE) return false;
  return administers(grants, { orgIds: [orgId], rootOrgId });
}

/** Grants as role names (for routes and views that list roles). */
export function roleNames(grants: readonly Grant[]): string[] {
  return [...new Set(grants.map((g) => g.role))];
}
