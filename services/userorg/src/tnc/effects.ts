/**
 * What follows a change this module makes to a user's row, through the users module's after-write
 * steps: cached view and caller dropped, search document rewritten, change published.
 */
import type { Caller } from '@lern/kit';
import type { UserOrgDeps } from '../context.ts';
import { afterUserWrite } from '../users/effects.ts';

/** `userChanged` of the terms and declaration operations, over the users module. */
export function userChangedVia(deps: UserOrgDeps): (userId: string, fields: readonly string[], caller: Caller) => Promise<void> {
  return async (userId, fields, caller) => {
    const user = await deps.store.users.get(userId);
    if (user) await afterUserWrite(deps, user, { action: 'update', caller, fields });
  };
}
