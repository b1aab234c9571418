/**
 * Role-assignment decisions: what a v1 replacement changes, which changes a caller may make (nobody
 * above their own rights in a scope), and the grants afterwards, with their scopes.
 */
import { describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE, type Grant } from '@lern/kit';
import { applyRoleChanges, refusedChange, replaceRolesIn, rolesIn, type RoleChange } from '../src/roles/decisions.ts';
import type { RoleGrant } from '../src/records.ts';

const grant = (role: string, ...orgs: string[]): RoleGrant => ({ role, scope: orgs.map((organisationId) => ({ organisationId })) });
const add = (role: string, ...orgs: string[]): RoleChange => ({ role, operation: 'add', organisationIds: orgs });
const remove = (role: string, ...orgs: string[]): RoleChange => ({ role, operation: 'remove', organisationIds: orgs });

const SYS: Grant[] = [{ role: 'SYSTEM_ADMINISTRATION', orgIds: [SYSTEM_SCOPE] }];
const ADMIN_A: Grant[] = [{ role: 'ORG_ADMIN', orgIds: ['A'] }];
/** Organisations: A (a tenant), A1 under A, B (another tenant). */
const ROOT: Record<string, string> = { A: 'A', A1: 'A', B: 'B' };
const rootOf = (id: string) => ROOT[id] ?? null;

describe('replaceRolesIn', () => {
  it('removes the roles held in the organisation that are not listed, adds the listed, keeps PUBLIC', () => {
    const current = [grant('PUBLIC', 'A'), grant('BOOK_CREATOR', 'A', 'B'), grant('COURSE_MENTOR', 'B')];
    expect(replaceRolesIn(current, 'A', ['CONTENT_CREATOR'])).toEqual([remove('BOOK_CREATOR', 'A'), add('CONTENT_CREATOR', 'A')]);
    expect(replaceRolesIn(current, 'A', [])).toEqual([remove('BOOK_CREATOR', 'A')]);
  });
});

describe('refusedChange', () => {
  it.each<[string, Grant[], RoleChange[], { role: string; orgId: string } | null]>([
    ['an admin grants an ordinary role in its organisation', ADMIN_A, [add('CONTENT_CREATOR', 'A')], null],
    ['an admin grants in a sub-organisation of its tenant', ADMIN_A, [add('ORG_ADMIN', 'A1')], null],
    ['an admin may make another admin of its organisation', ADMIN_A, [add('ORG_ADMIN', 'A')], null],
    ['an admin may not grant SYSTEM_ADMINISTRATION, even in its organisation', ADMIN_A, [add('SYSTEM_ADMINISTRATION', 'A')], { role: 'SYSTEM_ADMINISTRATION', orgId: 'A' }],
    ['an admin may not grant in the system scope', ADMIN_A, [add('ORG_ADMIN', SYSTEM_SCOPE)], { role: 'ORG_ADMIN', orgId: SYSTEM_SCOPE }],
    ['an admin may not grant in another tenant', ADMIN_A, [add('CONTENT_CREATOR', 'A', 'B')], { role: 'CONTENT_CREATOR', orgId: 'B' }],
    ['an admin may not name an unknown organisation', ADMIN_A, [add('CONTENT_CREATOR', 'nowhere')], { role: 'CONTENT_CREATOR', orgId: 'nowhere' }],
    ['an admin may not revoke SYSTEM_ADMINISTRATION', ADMIN_A, [remove('SYSTEM_ADMINISTRATION', 'A')], { role: 'SYSTEM_ADMINISTRATION', orgId: 'A' }],
    ['a plain user grants nothing', [], [add('PUBLIC', 'A')], { role: 'PUBLIC', orgId: 'A' }],
    ['SYSTEM_ADMINISTRATION held in an organisation is only that organisation\'s admin', [{ role: 'SYSTEM_ADMINISTRATION', orgIds: ['A'] }], [add('SYSTEM_ADMINISTRATION', 'A')], { role: 'SYSTEM_ADMINISTRATION', orgId: 'A' }],
    ['a system administrator grants anything anywhere', SYS, [add('SYSTEM_ADMINISTRATION', SYSTEM_SCOPE), add('ORG_ADMIN', 'B', 'nowhere')], null],
  ])('%s', (_name, grants, changes, refused) => {
    expect(refusedChange(grants, changes, rootOf)).toEqual(refused);
  });
});

describe('applyRoleChanges', () => {
  it('adds and removes organisations in each grant, drops emptied grants, keeps PUBLIC', () => {
    const current = [grant('PUBLIC', 'A'), grant('BOOK_CREATOR', 'A', 'B')];
    const { next, put, removed } = applyRoleChanges(current, [remove('BOOK_CREATOR', 'A', 'B'), add('ORG_ADMIN', 'A'), remove('PUBLIC', 'A')], 'admin', 'now');
    expect(removed).toEqual(['BOOK_CREATOR']);
    expect(put.map((g) => [g.role, g.scope])).toEqual([
      ['PUBLIC', []],
      ['ORG_ADMIN', [{ organisationId: 'A' }]],
    ]);
    expect(next.map((g) => g.role)).toEqual(['PUBLIC', 'ORG_ADMIN']);
    expect(put.find((g) => g.role === 'ORG_ADMIN')).toMatchObject({ createdBy: 'admin', updatedBy: 'admin', updatedDate: 'now' });
  });

  it('lists the roles held in one organisation', () => {
    expect(rolesIn([grant('PUBLIC'), grant('ORG_ADMIN', 'A'), grant('COURSE_MENTOR', 'B')], 'A')).toEqual(['PUBLIC', 'ORG_ADMIN']);
  });
});
