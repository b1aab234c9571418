/** Who may create and manage batches, and the mentor rules (table tests). */
import { describe, expect, it } from 'vitest';
import type { Caller, Grant } from '@lern/kit';
import { isBatchStaff, mayCreateBatch, mayManageBatch } from '../src/access.ts';
import { mentorProblem } from '../src/batches/mentors.ts';
import type { DirectoryUser } from '../src/directory.ts';

const R = { id: 'R', rootOrgId: 'R' };
const S = { id: 'S', rootOrgId: 'R' };
const O = { id: 'O', rootOrgId: 'O' };
const g = (role: string, ...orgIds: string[]): Grant => ({ role, orgIds });
const caller = (userId: string, ...grants: Grant[]): Caller => ({ userId, effectiveUserId: userId, grants });

describe('mayCreateBatch', () => {
  const table: [string, Grant[], (typeof R)[], boolean][] = [
    ['creator of the root, for a sub-organisation', [g('CONTENT_CREATOR', 'R')], [S], true],
    ['mentor of the organisation itself', [g('COURSE_MENTOR', 'S')], [S], true],
    ['course creator for the root', [g('COURSE_CREATOR', 'R')], [R], true],
    ['creator of a sub-organisation, for the root', [g('CONTENT_CREATOR', 'S')], [R], false],
    ['creator of another tenant', [g('CONTENT_CREATOR', 'O')], [S], false],
    ['creator for two tenants, staff in one', [g('CONTENT_CREATOR', 'R')], [R, O], false],
    ['staff in both tenants', [g('CONTENT_CREATOR', 'R'), g('COURSE_MENTOR', 'O')], [R, O], true],
    ['administrator of the root', [g('ORG_ADMIN', 'R')], [S], true],
    ['administrator of the sub-organisation, for the root', [g('ORG_ADMIN', 'S')], [R], false],
    ['system administrator', [g('SYSTEM_ADMINISTRATION', '*')], [O], true],
    ['system administration held in an organisation', [g('SYSTEM_ADMINISTRATION', 'O')], [R], false],
    ['staff anywhere, for no organisation', [g('CONTENT_CREATOR', 'O')], [], true],
    ['administrator only, for no organisation', [g('ORG_ADMIN', 'R')], [], false],
    ['a public user', [g('PUBLIC', 'R')], [], false],
    ['no grants', [], [R], false],
    ['staff in the system scope', [g('COURSE_MENTOR', '*')], [O], true],
  ];
  for (const [name, grants, orgs, want] of table) it(name, () => expect(mayCreateBatch(grants, orgs)).toBe(want));

  it('counts staff roles held in some organisation', () => {
    expect([isBatchStaff([g('CONTENT_CREATOR', 'R')]), isBatchStaff([g('CONTENT_CREATOR')]), isBatchStaff([g('ORG_ADMIN', 'R')])]).toEqual([true, false, false]);
  });
});

describe('mayManageBatch', () => {
  const batch = { createdBy: 'creator', mentors: ['mentor'], orgs: [S] };
  const table: [string, Caller, boolean][] = [
    ['the creator holding a staff role', caller('creator', g('CONTENT_CREATOR', 'R')), true],
    ['the creator without a staff role any more', caller('creator'), false],
    ['a mentor holding a staff role', caller('mentor', g('COURSE_MENTOR', 'R')), true],
    ['another creator of the tenant', caller('colleague', g('CONTENT_CREATOR', 'R')), false],
    ['an administrator of the root', caller('admin', g('ORG_ADMIN', 'R')), true],
    ['an administrator of another tenant', caller('admin', g('ORG_ADMIN', 'O')), false],
    ['a system administrator', caller('sys', g('SYSTEM_ADMINISTRATION', '*')), true],
  ];
  for (const [name, who, want] of table) it(name, () => expect(mayManageBatch(who, batch)).toBe(want));

  it('a batch for no organisation is managed by its creator, mentors and system administrators only', () => {
    const loose = { createdBy: 'creator', mentors: [], orgs: [] };
    expect([mayManageBatch(caller('creator', g('CONTENT_CREATOR', 'O')), loose), mayManageBatch(caller('admin', g('ORG_ADMIN', 'R')), loose)]).toEqual([true, false]);
  });
});

describe('mentorProblem', () => {
  const users = new Map<string, DirectoryUser>([
    ['m1', { id: 'm1', rootOrgId: 'R', deleted: false }],
    ['m2', { id: 'm2', rootOrgId: 'O', deleted: false }],
    ['gone', { id: 'gone', rootOrgId: 'R', deleted: true }],
  ]);
  const table: [string, string | null, string[], ReturnType<typeof mentorProblem>][] = [
    ['mentors of the creator\'s root', 'R', ['m1'], null],
    ['no mentors', null, [], null],
    ['an unknown user', 'R', ['m1', 'x'], { key: 'invalidUserId', args: [] }],
    ['a deleted user', 'R', ['gone'], { key: 'invalidUserId', args: [] }],
    ['a user of another root', 'R', ['m2'], { key: 'userNotAssociatedToRootOrg', args: ['m2'] }],
    ['a creator without a root organisation', null, ['m1'], { key: 'userNotAssociatedToRootOrg', args: ['m1'] }],
  ];
  for (const [name, root, mentors, want] of table) it(name, () => expect(mentorProblem(root, mentors, users)).toEqual(want));
});
