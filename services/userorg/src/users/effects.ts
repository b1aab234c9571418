/**
 * What follows every write to a user, in one place: drop the cached view, drop the kit's cached
 * caller (status and grants may have changed), rewrite the search document and publish the change.
 * Each only depends on the committed Cassandra row, so they run side by side; index and event
 * failures are logged, not returned.
 */
import { ADMIN_ROLE, type Caller } from '@lern/kit';
import { actorOf, INDEX, type UserOrgDeps } from '../context.ts';
import { toDeleteUserEvent, toUserEvent, type ChangeAction } from '../events.ts';
import type { MembershipRecord, RoleGrant, UserRecord } from '../records.ts';
import { toEngineSearch, USER_SEARCH_PROFILE } from '../search-query.ts';
import { userDocument } from './views.ts';

/** Memberships and grants the writer already has, to skip re-reading them. */
export interface KnownUserParts {
  memberships: MembershipRecord[];
  grants: RoleGrant[];
}

/** The user's search document, from the store or from parts the writer has. */
async function documentOf(deps: UserOrgDeps, user: UserRecord, known?: KnownUserParts): Promise<Record<string, unknown>> {
  const [memberships, grants] = known ? [known.memberships, known.grants] : await Promise.all([deps.store.users.memberships(user.id), deps.store.roles.grants(user.id)]);
  return userDocument(user, memberships, grants, (type, value) => deps.store.unique.identifierKey(type, value));
}

/** Rewrites a user's search document from Cassandra; false when the user does not exist. */
export async function indexUser(deps: UserOrgDeps, id: string): Promise<boolean> {
  const user = await deps.store.users.get(id);
  if (!user) return false;
  await deps.index(INDEX.user, id, await documentOf(deps, user));
  return true;
}

/** After a committed write to `user`: caches dropped, index rewritten, change published. */
export async function afterUserWrite(
  deps: UserOrgDeps,
  user: UserRecord,
  change: { action: ChangeAction; caller: Caller | null; fields: readonly string[] },
  known?: KnownUserParts,
): Promise<void> {
  await Promise.all([
    deps.cache.invalidate(user.id),
    deps.callers?.invalidate(user.id),
    documentOf(deps, user, known).then((doc) => deps.index(INDEX.user, user.id, doc)),
    deps.publish(toUserEvent(change.action, user, actorOf(change.caller), change.fields)),
  ]);
}

/** Ids of users found by a filter search (a failed search finds none and is logged). */
async function idsWhere(deps: UserOrgDeps, filters: Record<string, unknown>, limit: number): Promise<string[]> {
  try {
    const found = await deps.search.search<Record<string, unknown>>(INDEX.user, { ...toEngineSearch({ filters, fields: ['id'], limit }, USER_SEARCH_PROFILE) });
    return found.hits.map((h) => String(h.source.id));
  } catch (error) {
    deps.log.warn({ err: error }, 'users for the delete.user instruction not found');
    return [];
  }
}

/**
 * After a user was marked deleted: the usual after-write steps, then the delete.user instruction
 * for the deletion job, with the users who could take over each of the deleted user's roles in the
 * root organisation and the users the deleted user managed.
 */
export async function afterUserDelete(deps: UserOrgDeps, user: UserRecord, roles: readonly string[], caller: Caller | null): Promise<void> {
  await afterUserWrite(deps, user, { action: 'delete', caller, fields: ['status', 'isDeleted'] });
  const suggestedUsers: { role: string; users: string[] }[] = [];
  if (user.rootOrgId) {
    for (const role of [...new Set([...roles, ADMIN_ROLE])]) {
      const users = (await idsWhere(deps, { rootOrgId: user.rootOrgId, 'roles.role': role }, 100)).filter((id) => id !== user.id);
      if (users.length > 0) suggestedUsers.push({ role, users });
    }
  }
  const managedUsers = await idsWhere(deps, { managedBy: user.id }, 1000);
  await deps.publish(toDeleteUserEvent({ userId: user.id, rootOrgId: user.rootOrgId, userName: user.userName, suggestedUsers, managedUsers }));
}
