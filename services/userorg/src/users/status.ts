/**
 * A user's account state: block (status inactive), unblock, and delete (marked deleted, then the
 * user-deletion job cleans up from the delete.user instruction). A blocked or deleted user is refused
 * by the kit on every protected route as soon as the caller cache entry is dropped (effects.ts).
 */
import { sunbirdTimestamp, type Caller } from '@lern/kit';
import type { UserOrgDeps } from '../context.ts';
import { fail, uosError, type Operation } from '../errors.ts';
import { USER_STATUS, type UserRecord } from '../records.ts';
import { afterUserDelete, afterUserWrite } from './effects.ts';

/** Roles a user may hold and still delete their account (upstream user_deletion_roles default). */
const DELETABLE_ROLES: ReadonlySet<string> = new Set(['PUBLIC']);

/** Blocks or unblocks a user; the route's policy checked that the caller administers the user. */
export async function setBlocked(deps: UserOrgDeps, userId: string, block: boolean, caller: Caller | null): Promise<void> {
  const op: Operation = block ? 'blockUser' : 'unblockUser';
  const user = await deps.store.users.get(userId);
  // Upstream's message is the bare word.
  if (!user || user.status === USER_STATUS.DELETED) throw fail.notFound(op, 'user', 'user');
  if (block && user.status === USER_STATUS.INACTIVE) throw uosError(op, 'userStatusError', ['inactive']);
  if (!block && user.status === USER_STATUS.ACTIVE) throw uosError(op, 'userStatusError', ['active']);
  const updated: UserRecord = { ...user, status: block ? USER_STATUS.INACTIVE : USER_STATUS.ACTIVE, updatedBy: caller?.userId ?? null, updatedDate: sunbirdTimestamp() };
  await deps.store.users.put(updated);
  await afterUserWrite(deps, updated, { action: block ? 'block' : 'unblock', caller, fields: ['status'] });
}

/** Marks a user deleted; refused while the user holds roles beyond PUBLIC. */
export async function deleteUser(deps: UserOrgDeps, userId: string, caller: Caller | null): Promise<void> {
  const op: Operation = 'deleteUser';
  const user = await deps.store.users.get(userId);
  if (!user || user.status === USER_STATUS.DELETED) throw fail.notFound(op, 'user', 'user');
  const roles = (await deps.store.roles.grants(userId)).map((g) => g.role);
  if (roles.some((r) => !DELETABLE_ROLES.has(r))) throw uosError(op, 'cannotDeleteUser');
  const updated: UserRecord = { ...user, status: USER_STATUS.DELETED, isDeleted: true, updatedBy: caller?.userId ?? null, updatedDate: sunbirdTimestamp() };
  await deps.store.users.put(updated);
  await afterUserDelete(deps, updated, roles, caller);
}
