/**
 * Reads of managed users (upstream ManagedUserActor.getManagedUsers) and of a user by login id
 * (upstream UserProfileReadActor.getUserDetailsByLoginId). User views come from the users module's
 * read (masked, cached), so these routes show exactly what /v1/user/read shows.
 */
import { LernError, decide, forbidden, formatMessage, type Caller } from '@lern/kit';
import type { ManagedUserStore } from './managed-store.ts';

/** err prefix of user reads (upstream ActorOperations GET_MANAGED_USERS / GET_USER_DETAILS_BY_LOGINID). */
export const USER_READ_PREFIX = 'UOS_USRRED';

/** A user's view as the user read route answers it; null when the user does not exist. */
export type UserViewReader = (userId: string, fields: readonly string[]) => Promise<Record<string, unknown> | null>;

/** What the managed-user reads need. */
export interface ManagedUserDeps {
  store: ManagedUserStore;
  readUser: UserViewReader;
  /** The user whose login id (userName) this is, through the users module's lookup; null when none. */
  userIdByLoginId(loginId: string): Promise<string | null>;
}

/** Sort of the managed-user list. */
export interface ManagedSort {
  field: string;
  order: 'asc' | 'desc';
}

function sortValue(view: Record<string, unknown>, path: string): string | number | null {
  let v: unknown = view;
  for (const key of path.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** Sorts views by a field; views without the field come last, as in the search engine. */
export function sortViews(views: Record<string, unknown>[], sort: ManagedSort): Record<string, unknown>[] {
  const sign = sort.order === 'desc' ? -1 : 1;
  return [...views].sort((a, b) => {
    const x = sortValue(a, sort.field);
    const y = sortValue(b, sort.field);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return x < y ? -sign : x > y ? sign : 0;
  });
}

/** The non-deleted managed users of a user. */
export async function managedUsers(deps: ManagedUserDeps, managedBy: string, sort: ManagedSort | null): Promise<{ response: { content: Record<string, unknown>[]; count: number } }> {
  const ids = await deps.store.managedUserIds(managedBy);
  const views = (await Promise.all(ids.map((id) => deps.readUser(id, [])))).filter((v): v is Record<string, unknown> => v !== null && v.isDeleted !== true);
  const content = sort ? sortViews(views, sort) : views;
  return { response: { content, count: content.length } };
}

/** A user by login id, for the user themself or an administrator of the user's organisations. */
export async function userByLoginId(deps: ManagedUserDeps, caller: Caller, loginId: string, fields: readonly string[]): Promise<{ response: Record<string, unknown> }> {
  const value = loginId.toLowerCase();
  const userId = await deps.userIdByLoginId(value);
  const notFound = new LernError('RESOURCE_NOT_FOUND', `${USER_READ_PREFIX}0013`, formatMessage('Requested {0} resource not found', value));
  if (userId === null) throw notFound;
  const decision = await decide('selfOrAdmin', caller, { internal: false, target: { userId, scope: () => deps.store.userScope(userId) } });
  if (!decision.allowed) throw forbidden('UOS_0071');
  const view = await deps.readUser(userId, fields);
  if (view === null) throw notFound;
  return { response: view };
}
