/**
 * Reading users: by id (the view is cached in Redis), by a unique identifier (email, phone,
 * userName, external id), the existence check and the private lookup. Who may read whom is the
 * routes' policy; lookups by email or phone are open, like upstream, and show a caller who may not
 * read the user only the public view.
 */
import type { Caller } from '@lern/kit';
import { mayReadUser } from '../access.ts';
import type { UserOrgDeps } from '../context.ts';
import { fail, type Operation } from '../errors.ts';
import { orgView } from '../orgs/views.ts';
import { LOOKUP_KEYS, type LookupKey } from './schemas.ts';
import { publicUserView, userView } from './views.ts';

/** A user's view. */
export type UserView = Record<string, unknown>;

/** The user's view (read through the cache); null when the user does not exist. */
export async function readUserView(deps: UserOrgDeps, userId: string): Promise<UserView | null> {
  const cached = await deps.cache.get(userId);
  if (cached !== null) return JSON.parse(cached) as UserView;
  // The row, memberships and grants are independent reads: one round trip instead of three.
  const [user, memberships, grants] = await Promise.all([deps.store.users.get(userId), deps.store.users.memberships(userId), deps.store.roles.grants(userId)]);
  if (!user) return null;
  const rootOrg = user.rootOrgId ? await deps.store.orgs.get(user.rootOrgId) : null;
  const view = userView(user, { organisations: memberships, roles: grants, rootOrg: rootOrg ? orgView(rootOrg) : null });
  await deps.cache.set(userId, JSON.stringify(view));
  return view;
}

/** The user's view, or upstream's 404. */
export async function readUser(deps: UserOrgDeps, userId: string, op: Operation = 'readUser'): Promise<UserView> {
  const view = await readUserView(deps, userId);
  if (view === null) throw fail.notFound(op, 'user', 'user not found.');
  return view;
}

/** A request's identifier kind, as the lookup table names it. */
export type IdentifierKind = (typeof LOOKUP_KEYS)[LookupKey];

/** The user id of an identifier; null when nobody holds it. */
export async function resolveIdentifier(deps: UserOrgDeps, kind: IdentifierKind, value: string): Promise<string | null> {
  const v = value.trim();
  if (kind === 'id') return (await deps.store.users.get(v)) ? v : null;
  return deps.store.unique.owner(deps.store.unique.userValue(kind, v));
}

/** Whether an email, phone, userName, external id or user id is taken. */
export async function userExists(deps: UserOrgDeps, key: LookupKey, value: string): Promise<boolean> {
  return (await resolveIdentifier(deps, LOOKUP_KEYS[key], value)) !== null;
}

/**
 * A user by email or phone, open to anyone as upstream: the full view for a caller who may read the
 * user (self, managed, administrator of the user's organisation), the public view for everyone else.
 */
export async function getByContact(deps: UserOrgDeps, kind: 'email' | 'phone', value: string, caller: Caller | null): Promise<UserView> {
  const userId = await resolveIdentifier(deps, kind, value);
  const view = userId ? await readUserView(deps, userId) : null;
  if (!userId || view === null) throw fail.notFound('getUserByKey', 'user', 'user not found.');
  const scope = caller ? await deps.store.users.scope(userId) : null;
  return scope && (await mayReadUser(caller, userId, scope)) ? view : publicUserView(view);
}

/**
 * A user by userName, external id or id, for a caller who may read that user. The target is known
 * only after the lookup, so the read rule runs here rather than as the route's policy.
 */
export async function getByIdentifier(deps: UserOrgDeps, key: LookupKey, value: string, caller: Caller | null): Promise<UserView> {
  const userId = await resolveIdentifier(deps, LOOKUP_KEYS[key], value);
  const scope = userId ? await deps.store.users.scope(userId) : null;
  if (!userId || !scope) throw fail.notFound('getUserByKey', 'user', 'user not found.');
  if (!(await mayReadUser(caller, userId, scope))) throw fail.forbidden('getUserByKey');
  return readUser(deps, userId, 'getUserByKey');
}

/** Private lookup: `{key, value(s), fields}` -> the matching users (at most one per value; a value nobody holds matches none), trimmed to `fields`. */
export async function lookupUsers(deps: UserOrgDeps, key: LookupKey, values: readonly string[], fields: readonly string[] | null): Promise<UserView[]> {
  const kind = LOOKUP_KEYS[key];
  const out: UserView[] = [];
  for (const value of values) {
    const userId = await resolveIdentifier(deps, kind, value);
    const view = userId ? await readUserView(deps, userId) : null;
    if (view === null) continue;
    out.push(fields && fields.length > 0 ? Object.fromEntries(fields.filter((f) => f in view).map((f) => [f, view[f]])) : view);
  }
  return out;
}
