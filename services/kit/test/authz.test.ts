import { describe, expect, it } from 'vitest';
import { administers, decide, isSystemAdmin, mayGrant, SYSTEM_SCOPE, type Caller, type Grant, type Policy, type TargetScope } from '@lern/kit';

const caller = (userId: string, grants: Grant[], managedFor?: string): Caller => ({ userId, managedFor, effectiveUserId: managedFor ?? userId, grants });

const sysAdmin = caller('sys', [{ role: 'SYSTEM_ADMINISTRATION', orgIds: [SYSTEM_SCOPE] }]);
// SYSTEM_ADMINISTRATION granted inside an ordinary organisation: admin of that organisation only.
const selfMadeSys = caller('cheat', [{ role: 'SYSTEM_ADMINISTRATION', orgIds: ['orgA'] }]);
const adminA = caller('adminA', [{ role: 'ORG_ADMIN', orgIds: ['orgA'] }]);
const adminRoot = caller('adminRoot', [{ role: 'ORG_ADMIN', orgIds: ['rootA'] }]);
const adminB = caller('adminB', [{ role: 'ORG_ADMIN', orgIds: ['orgB'] }]);
const plain = caller('plain', [{ role: 'PUBLIC', orgIds: [] }, { role: 'COURSE_MENTOR', orgIds: ['orgA'] }]);
const parent = caller('parent', []);
const actingForChild = caller('parent', [], 'child');

const userInA: TargetScope = { orgIds: ['orgA'], rootOrgId: 'rootA' };
const childOfParent: TargetScope = { orgIds: ['orgA'], rootOrgId: 'rootA', managedBy: 'parent' };

const target = (userId: string, scope: TargetScope | null) => ({ userId, scope: async () => Promise.resolve(scope) });

describe('decide', () => {
  const table: [string, Policy, Caller | null, { internal?: boolean; target?: ReturnType<typeof target> }, number | 'allow'][] = [
    ['public, anonymous', 'public', null, {}, 'allow'],
    ['internal on the public port', 'internal', null, { internal: false }, 404],
    ['internal on the internal port', 'internal', null, { internal: true }, 'allow'],
    ['authenticated, anonymous', 'authenticated', null, {}, 401],
    ['authenticated, plain user', 'authenticated', plain, {}, 'allow'],
    ['systemAdmin, system scope', 'systemAdmin', sysAdmin, {}, 'allow'],
    ['systemAdmin, role held in an org only', 'systemAdmin', selfMadeSys, {}, 403],
    ['systemAdmin, org admin', 'systemAdmin', adminA, {}, 403],
    ['admin, org admin', 'admin', adminA, {}, 'allow'],
    ['admin, plain user with another role', 'admin', plain, {}, 403],
    ['self, same user', 'self', plain, { target: target('plain', userInA) }, 'allow'],
    ['self, other user', 'self', plain, { target: target('other', userInA) }, 403],
    ['self, acting for a managed user', 'self', actingForChild, { target: target('child', childOfParent) }, 'allow'],
    ['selfOrManaged, own managed user', 'selfOrManaged', parent, { target: target('child', childOfParent) }, 'allow'],
    ['selfOrManaged, someone else', 'selfOrManaged', parent, { target: target('x', userInA) }, 403],
    ['selfOrAdmin, admin of the org', 'selfOrAdmin', adminA, { target: target('x', userInA) }, 'allow'],
    ['selfOrAdmin, admin of the root', 'selfOrAdmin', adminRoot, { target: target('x', userInA) }, 'allow'],
    ['selfOrAdmin, admin of another org', 'selfOrAdmin', adminB, { target: target('x', userInA) }, 403],
    ['selfOrAdmin, SYSTEM_ADMINISTRATION held in orgA, user in orgB', 'selfOrAdmin', selfMadeSys, { target: target('x', { orgIds: ['orgB'], rootOrgId: 'rootB' }) }, 403],
    ['selfOrAdmin, system admin', 'selfOrAdmin', sysAdmin, { target: target('x', userInA) }, 'allow'],
    ['selfOrAdmin, unknown target: the handler answers 404', 'selfOrAdmin', adminB, { target: target('x', null) }, 'allow'],
    ['selfOrAdmin, plain user and unknown target', 'selfOrAdmin', plain, { target: target('x', null) }, 403],
    ['adminOfTarget, self is not enough', 'adminOfTarget', plain, { target: target('plain', userInA) }, 403],
    ['adminOfTarget, admin of the org', 'adminOfTarget', adminA, { target: target('x', userInA) }, 'allow'],
    ['adminOfTarget, anonymous', 'adminOfTarget', null, { target: target('x', userInA) }, 401],
  ];
  it.each(table)('%s', async (_name, policy, who, context, expected) => {
    const decision = await decide(policy, who, { internal: context.internal ?? false, target: context.target });
    if (expected === 'allow') expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, status: expected });
  });

  it('does not load the target scope when the caller is the target or no administrator', async () => {
    let loads = 0;
    const counted = { userId: 'plain', scope: async () => Promise.resolve((loads++, userInA)) };
    await decide('selfOrAdmin', plain, { internal: false, target: counted });
    await decide('adminOfTarget', plain, { internal: false, target: { ...counted, userId: 'x' } });
    expect(loads).toBe(0);
  });
});

describe('scope rules', () => {
  it('counts SYSTEM_ADMINISTRATION only in the system scope', () => {
    expect(isSystemAdmin(sysAdmin.grants)).toBe(true);
    expect(isSystemAdmin(selfMadeSys.grants)).toBe(false);
    expect(administers(selfMadeSys.grants, { orgIds: ['orgA'] })).toBe(true);
  });

  const grants: [string, Grant[], string, string, string | null, boolean][] = [
    ['org admin grants ORG_ADMIN in its org', adminA.grants as Grant[], 'ORG_ADMIN', 'orgA', 'rootA', true],
    ['org admin grants a role in a sub-org of its root', adminRoot.grants as Grant[], 'COURSE_MENTOR', 'orgA', 'rootA', true],
    ['org admin cannot grant SYSTEM_ADMINISTRATION in its own org', adminA.grants as Grant[], 'SYSTEM_ADMINISTRATION', 'orgA', 'rootA', false],
    ['org admin cannot grant in the system scope', adminA.grants as Grant[], 'ORG_ADMIN', SYSTEM_SCOPE, null, false],
    ['org admin cannot grant in another org', adminB.grants as Grant[], 'ORG_ADMIN', 'orgA', 'rootA', false],
    ['plain user grants nothing', plain.grants as Grant[], 'PUBLIC', 'orgA', 'rootA', false],
    ['system admin grants SYSTEM_ADMINISTRATION', sysAdmin.grants as Grant[], 'SYSTEM_ADMINISTRATION', SYSTEM_SCOPE, null, true],
  ];
  it.each(grants)('mayGrant: %s', (_name, held, role, orgId, rootOrgId, expected) => {
    expect(mayGrant(held, role, orgId, rootOrgId)).toBe(expected);
  });
});
