/**
 * The authorisation decisions the handlers make themselves: where an administrator may place a new
 * user, who sees a user in full, and which users a search shows.
 */
import { describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE, type Caller, type Grant } from '@lern/kit';
import { mayPlaceUser, mayReadUser } from '../src/access.ts';
import { visibleUsersFilter } from '../src/users/search.ts';

const SYS: Grant[] = [{ role: 'SYSTEM_ADMINISTRATION', orgIds: [SYSTEM_SCOPE] }];
const ADMIN_A: Grant[] = [{ role: 'ORG_ADMIN', orgIds: ['A'] }];
const caller = (userId: string, grants: Grant[] = [], managedFor?: string): Caller => ({ userId, managedFor, effectiveUserId: managedFor ?? userId, grants });

describe('mayPlaceUser', () => {
  it.each<[string, Grant[], string | null, string | null, boolean]>([
    ['an admin, in its tenant', ADMIN_A, 'A', null, true],
    ['an admin, in a sub-organisation of its tenant', ADMIN_A, 'A', 'A1', true],
    ['an admin, in another tenant', ADMIN_A, 'B', null, false],
    ['an admin, with no organisation at all', ADMIN_A, null, null, false],
    ['a system administrator, with no organisation', SYS, null, null, true],
    ['a plain user', [], 'A', null, false],
  ])('%s', (_name, grants, root, org, allowed) => {
    expect(mayPlaceUser(grants, root, org)).toBe(allowed);
  });
});

describe('mayReadUser', () => {
  const scope = { orgIds: ['A'], rootOrgId: 'A', managedBy: 'parent' };
  it.each<[string, Caller | null, boolean]>([
    ['nobody', null, false],
    ['the user', caller('u'), true],
    ['the parent acting for the user', caller('parent', [], 'u'), true],
    ['another user', caller('x'), false],
    ['an admin of the user organisation', caller('a', ADMIN_A), true],
    ['an admin of another organisation', caller('b', [{ role: 'ORG_ADMIN', orgIds: ['B'] }]), false],
    ['a system administrator', caller('s', SYS), true],
  ])('%s', async (_name, who, allowed) => {
    expect(await mayReadUser(who, 'u', scope)).toBe(allowed);
  });
});

describe('visibleUsersFilter', () => {
  it('sees everyone on the internal port and as a system administrator', () => {
    expect(visibleUsersFilter(null, true)).toBeNull();
    expect(visibleUsersFilter(caller('s', SYS), false)).toBeNull();
  });

  it('an admin sees its organisations; anyone sees themself and their managed users', () => {
    expect(visibleUsersFilter(caller('a', ADMIN_A), false)).toEqual({
      bool: {
        should: [{ terms: { id: ['a'] } }, { term: { managedBy: 'a' } }, { terms: { rootOrgId: ['A'] } }, { terms: { 'organisations.organisationId': ['A'] } }],
        minimum_should_match: 1,
      },
    });
    expect(visibleUsersFilter(caller('p', [], 'child'), false)).toEqual({ bool: { should: [{ terms: { id: ['p', 'child'] } }, { term: { managedBy: 'p' } }], minimum_should_match: 1 } });
  });

  it('an anonymous public caller sees nobody', () => {
    expect(visibleUsersFilter(null, false)).toEqual({ match_none: {} });
  });
});
