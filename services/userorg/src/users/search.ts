/**
 * User search over the index, limited to the users the caller may read: a system administrator (or
 * another service on the internal port) sees everyone; an organisation administrator the users of
 * the organisations they administer (and of the organisations under a root they administer); anyone
 * else themself and the users they manage.
 */
import { administeredOrgs, isSystemAdmin, type Caller } from '@lern/kit';
import { INDEX, type UserOrgDeps } from '../context.ts';
import { USER_SEARCH_PROFILE } from '../search-query.ts';
import { searchIndex, type SearchPage, type SearchRequest } from '../search.ts';

/** The engine filter of the users a caller may read; null: no limit. */
export function visibleUsersFilter(caller: Caller | null, internal: boolean): Record<string, unknown> | null {
  if (internal) return null;
  if (caller === null) return { match_none: {} };
  if (isSystemAdmin(caller.grants)) return null;
  const ids = [...new Set([caller.userId, caller.effectiveUserId])];
  const should: Record<string, unknown>[] = [{ terms: { id: ids } }, { term: { managedBy: caller.userId } }];
  const orgs = [...administeredOrgs(caller.grants)];
  if (orgs.length > 0) should.push({ terms: { rootOrgId: orgs } }, { terms: { 'organisations.organisationId': orgs } });
  return { bool: { should, minimum_should_match: 1 } };
}

/** Searches users the caller may read. */
export async function searchUsers(deps: UserOrgDeps, request: SearchRequest, caller: Caller | null, internal: boolean): Promise<SearchPage> {
  return searchIndex(deps, INDEX.user, request, USER_SEARCH_PROFILE, 'userSearch', visibleUsersFilter(caller, internal) ?? undefined);
}
