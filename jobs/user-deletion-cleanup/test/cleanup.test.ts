/** The pure parts of the cleanup: reading the instruction, planning the cleanup, the audit event. */
import { describe, expect, it } from 'vitest';
import { createPiiCipher, toDeleteUserEvent } from '@lern/userorg';
import { isEmptyPlan, parseDeleteUser, planCleanup, toAuditEvent, UndecryptableError, type Identifiers, type UserSnapshot } from '../src/index.ts';

const cipher = createPiiCipher('a5'.repeat(32));
const ids: Identifiers = { open: (s) => cipher.decrypt(s), hash: (t, v) => cipher.lookupHash(t, v) };

describe('parseDeleteUser', () => {
  const published = toDeleteUserEvent({ userId: 'u-1', rootOrgId: 'org-1', userName: 'ann', suggestedUsers: [], managedUsers: ['m-1', 'm-1', 'u-1', 'm-2'], ets: 1_700_000_000_000 });
  const text = (v: unknown): string => JSON.stringify(v);

  it("reads User-Org's instruction", () => {
    expect(parseDeleteUser(text(published.value), 5)).toEqual({
      ok: true,
      instruction: { userId: 'u-1', organisationId: 'org-1', managedUsers: ['m-1', 'm-2'], requestedAt: 1_700_000_000_000 },
    });
  });

  const edata = published.value.edata as Record<string, unknown>;
  const table: [string, string | null, string | RegExp][] = [
    ['empty', null, 'empty message'],
    ['not JSON', '{', 'not JSON'],
    ['an array', '[]', 'not a JSON object'],
    ['no edata', text({ eid: 'BE_JOB_REQUEST' }), 'edata is missing'],
    ['another action', text({ edata: { ...edata, action: 'merge-user' } }), `edata.action is "merge-user", not 'delete-user'`],
    ['no user id', text({ edata: { ...edata, userId: undefined } }), 'edata.userId is missing or not an id'],
    ['a user id with spaces', text({ edata: { ...edata, userId: 'a b' } }), 'edata.userId is missing or not an id'],
    ['an organisation that is a number', text({ edata: { ...edata, organisationId: 5 } }), 'edata.organisationId is not an id'],
    ['managed users that are not ids', text({ edata: { ...edata, managed_users: [{}] } }), 'edata.managed_users is not a list of ids'],
  ];
  for (const [name, value, reason] of table) {
    it(`refuses ${name}`, () => {
      const parsed = parseDeleteUser(value, 5);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.reason).toMatch(reason);
    });
  }

  it('takes the broker time when ets is missing, and no organisation as null', () => {
    expect(parseDeleteUser(text({ edata: { userId: 'u-2', organisationId: '' } }), 42)).toEqual({ ok: true, instruction: { userId: 'u-2', organisationId: null, managedUsers: [], requestedAt: 42 } });
  });
});

describe('planCleanup', () => {
  const user = {
    id: 'u-1',
    rootOrgId: 'org-1',
    managedBy: null,
    email: cipher.encrypt('Ann@Example.com'),
    phone: cipher.encrypt('9876543210'),
    userName: 'ann_1',
    status: 2,
    isDeleted: true,
    holdsPersonalData: true,
  };
  const snapshot: UserSnapshot = {
    user,
    externalIdentities: [{ provider: 'state', idType: 'emp', externalId: 'e-9' }],
    memberships: [
      { organisationId: 'org-1', isDeleted: false },
      { organisationId: 'org-0', isDeleted: true },
    ],
  };

  it('finds every lookup as User-Org keyed it, the open memberships, and blanks the row', () => {
    expect(planCleanup('u-1', snapshot, ids)).toEqual({
      userId: 'u-1',
      lookups: [
        { type: 'email', value: cipher.lookupHash('email', 'ann@example.com') },
        { type: 'phone', value: cipher.lookupHash('phone', '98765 43210') },
        { type: 'username', value: cipher.lookupHash('username', 'ANN_1') },
        // As User-Org claims an external id: provider:idType:id (case-insensitive).
        { type: 'externalid', value: cipher.lookupHash('externalid', 'State:EMP:E-9') },
      ],
      externalIdentities: snapshot.externalIdentities,
      leaveOrganisations: ['org-1'],
      blankUser: true,
    });
  });

  it('plans nothing once done: a replay changes nothing', () => {
    const cleaned: UserSnapshot = { user: { ...user, email: null, phone: null, userName: null, holdsPersonalData: false }, externalIdentities: [], memberships: [{ organisationId: 'org-1', isDeleted: true }] };
    expect(isEmptyPlan(planCleanup('u-1', cleaned, ids))).toBe(true);
  });

  it('still marks a clean row that is not marked deleted (an instruction from upstream)', () => {
    const active: UserSnapshot = { user: { ...user, email: null, phone: null, userName: null, holdsPersonalData: false, status: 1, isDeleted: false }, externalIdentities: [], memberships: [] };
    expect(planCleanup('u-1', active, ids).blankUser).toBe(true);
  });

  it('without a user row, still removes external identities and their lookups and leaves memberships', () => {
    const plan = planCleanup('u-1', { ...snapshot, user: null }, ids);
    expect(plan.lookups.map((l) => l.type)).toEqual(['externalid']);
    expect(plan.leaveOrganisations).toEqual(['org-1']);
    expect(plan.blankUser).toBe(false);
  });

  it('refuses to plan when the email cannot be opened with this key', () => {
    const other = createPiiCipher('b6'.repeat(32));
    expect(() => planCleanup('u-1', { ...snapshot, user: { ...user, email: other.encrypt('x@y.org') } }, ids)).toThrow(UndecryptableError);
  });
});

describe('toAuditEvent', () => {
  it('is an AUDIT telemetry event about the user, with counts and no personal data', () => {
    const { key, value } = toAuditEvent(
      { userId: 'u-1', organisationId: 'org-1', lookupsRemoved: 3, externalIdentitiesRemoved: 1, organisationsLeft: 1, userBlanked: true, managedBy: null },
      1_700_000_000_000,
    );
    expect(key).toBe('u-1');
    expect(value).toMatchObject({
      eid: 'AUDIT',
      ets: 1_700_000_000_000,
      actor: { id: 'u-1', type: 'User' },
      object: { id: 'u-1', type: 'User' },
      context: { channel: 'org-1', cdata: [{ type: 'User', id: 'u-1' }] },
      edata: { type: 'DeleteUserStatus', status: 'Delete', props: ['userLookUpTable:3', 'userExternalIdTable:1', 'userOrgTable:1', 'userTable:true', 'searchIndex:true', 'cache:true'] },
    });
  });
});
