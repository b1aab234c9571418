/** The pure rules of the Groups service, table-tested: member changes, limits, who may do what, reads, notifications, settings. */
import { describe, expect, it } from 'vitest';
import { ConfigError, SYSTEM_SCOPE } from '@lern/kit';
import { cacheKeys } from '../src/cache.ts';
import { MAX_BATCH_STATEMENTS, batchesOf } from '../src/context.ts';
import { GS_MESSAGES, gsError, gsValidation } from '../src/errors.ts';
import { changesAnything, isExitRequest, mayDelete, mayRead, planActivities, readParts, refuseUpdate, sortByRole, type UpdateIntent } from '../src/groups/operations.ts';
import { groupLimitReached, initialMembers, planMemberChanges, type MemberChanges } from '../src/members/operations.ts';
import type { GroupRecord, MemberRecord, MemberRole } from '../src/model.ts';
import { groupNotification, notificationRequest } from '../src/notifications/events.ts';
import { DEFAULT_LIMITS, resolveOptions } from '../src/options.ts';

const member = (userId: string, role: MemberRole = 'member', status: 'active' | 'inactive' = 'active'): MemberRecord => ({
  groupId: 'g',
  userId,
  role,
  status,
  visited: null,
  createdBy: null,
  createdOn: null,
  updatedBy: null,
  updatedOn: null,
  removedBy: null,
  removedOn: null,
});

const group = (over: Partial<GroupRecord> = {}): GroupRecord => ({
  id: 'g',
  name: 'G',
  description: null,
  status: 'active',
  membershipType: 'invite_only',
  activities: [],
  createdBy: 'creator',
  createdOn: null,
  updatedBy: null,
  updatedOn: null,
  ...over,
});

// creator (admin), co (admin), m (member), gone (removed)
const STORED = [member('creator', 'admin'), member('co', 'admin'), member('m'), member('gone', 'member', 'inactive')];

describe('planMemberChanges', () => {
  const cases: [string, MemberChanges, number, unknown][] = [
    ['adds a new user as member by default', { add: [{ userId: 'x' }] }, 10, { added: [{ userId: 'x', role: 'member' }], roleChanged: [], removed: [], activeAfter: 4 }],
    ['brings a removed member back with the given role', { add: [{ userId: 'gone', role: 'admin' }] }, 10, { added: [{ userId: 'gone', role: 'admin' }], activeAfter: 4 }],
    ['ignores adding an active member', { add: [{ userId: 'm', role: 'admin' }] }, 10, { added: [], roleChanged: [], activeAfter: 3 }],
    ['adds a user named twice once', { add: [{ userId: 'x' }, { userId: 'x', role: 'admin' }] }, 10, { added: [{ userId: 'x', role: 'member' }], activeAfter: 4 }],
    ['changes a role', { edit: [{ userId: 'm', role: 'admin' }] }, 10, { roleChanged: [{ userId: 'm', role: 'admin' }] }],
    ['skips an edit to the same role', { edit: [{ userId: 'co', role: 'admin' }] }, 10, { roleChanged: [] }],
    ['refuses editing a non-member', { edit: [{ userId: 'x', role: 'admin' }] }, 10, { kind: 'notMember', userId: 'x' }],
    ['refuses editing a removed member', { edit: [{ userId: 'gone', role: 'admin' }] }, 10, { kind: 'notMember', userId: 'gone' }],
    ['removes active members, ignores others', { remove: ['m', 'x', 'gone', 'm'] }, 10, { removed: ['m'], activeAfter: 2 }],
    ['refuses a user both added and removed', { add: [{ userId: 'x' }], remove: ['x'] }, 10, { kind: 'ambiguous', userId: 'x' }],
    ['refuses a user both edited and removed', { edit: [{ userId: 'm', role: 'admin' }], remove: ['m'] }, 10, { kind: 'ambiguous', userId: 'm' }],
    ['allows reaching the limit exactly', { add: [{ userId: 'x' }] }, 4, { activeAfter: 4 }],
    ['refuses going over the limit', { add: [{ userId: 'x' }, { userId: 'y' }] }, 4, { kind: 'limit', limit: 4 }],
    ['counts removals before the limit', { add: [{ userId: 'x' }, { userId: 'y' }], remove: ['m'] }, 4, { activeAfter: 4 }],
    ['lets a group over a lowered limit shrink', { remove: ['m'] }, 1, { removed: ['m'], activeAfter: 2 }],
  ];
  for (const [name, changes, max, expected] of cases) {
    it(name, () => expect(planMemberChanges(STORED, changes, max)).toMatchObject(expected as object));
  }
});

describe('initialMembers and the group limit', () => {
  it('makes the creator admin once, then the members', () => {
    expect(initialMembers('c', [{ userId: 'c', role: 'member' }, { userId: 'a', role: 'admin' }, { userId: 'b' }])).toEqual([
      { userId: 'c', role: 'admin' },
      { userId: 'a', role: 'admin' },
      { userId: 'b', role: 'member' },
    ]);
  });
  it.each([
    [49, 50, false],
    [50, 50, true],
    [51, 50, true],
    [0, 1, false],
  ])('%i groups against a limit of %i: reached %s', (count, max, reached) => expect(groupLimitReached(count, max)).toBe(reached));
});

describe('refuseUpdate', () => {
  const cases: [string, string, UpdateIntent, Partial<GroupRecord>, unknown][] = [
    ['an admin renames', 'co', { name: 'x' }, {}, null],
    ['a member may not rename', 'm', { name: 'x' }, {}, { code: 'GS_UDT09', status: 403 }],
    ['a member may not add activities', 'm', { activities: { add: [{ id: 'a', type: 'Course' }] } }, {}, { code: 'GS_UDT09', status: 403 }],
    ['a member may not remove others', 'm', { members: { remove: ['co'] } }, {}, { code: 'GS_UDT09', status: 403 }],
    ['a member leaves', 'm', { members: { remove: ['m'] } }, {}, null],
    ['a member leaves a suspended group', 'm', { members: { remove: ['m'] } }, { status: 'suspended' }, null],
    ['a non-member may not "leave"', 'x', { members: { remove: ['x'] } }, {}, { code: 'GS_UDT09', status: 403 }],
    ['a removed member may not "leave" again', 'gone', { members: { remove: ['gone'] } }, {}, { code: 'GS_UDT09', status: 403 }],
    ['an admin may not change a suspended group', 'co', { name: 'x' }, { status: 'suspended' }, { code: 'GS_UDT08', status: 400 }],
    ['an admin re-activates a suspended group', 'co', { status: 'active', name: 'x' }, { status: 'suspended' }, null],
    ['only the creator sets inactive', 'co', { status: 'inactive' }, {}, { code: 'GS_UDT09', status: 403 }],
    ['the creator sets inactive', 'creator', { status: 'inactive' }, {}, null],
    ['a member may not suspend', 'm', { status: 'suspended' }, {}, { code: 'GS_UDT09', status: 403 }],
  ];
  for (const [name, caller, intent, over, expected] of cases) {
    it(name, () => expect(refuseUpdate(group(over), STORED, caller, intent)).toEqual(expected));
  }

  it('reads a leave only when removing oneself and nothing else', () => {
    expect(isExitRequest({ members: { remove: ['m'] } }, 'm')).toBe(true);
    expect(isExitRequest({ members: { remove: ['m', 'co'] } }, 'm')).toBe(false);
    expect(isExitRequest({ name: 'x', members: { remove: ['m'] } }, 'm')).toBe(false);
    expect(isExitRequest({ members: { remove: ['m'], add: [{ userId: 'y' }] } }, 'm')).toBe(false);
  });

  it('treats an update without content as no change', () => {
    expect(changesAnything({})).toBe(false);
    expect(changesAnything({ members: { add: [] }, activities: {} })).toBe(false);
    expect(changesAnything({ description: null })).toBe(true);
  });
});

describe('activities', () => {
  const a = (id: string) => ({ id, type: 'Course' });
  it.each([
    ['appends new ones, keeps order, skips present ones', [a('1')], { add: [a('2'), a('1')] }, 5, ['1', '2']],
    ['removes by id', [a('1'), a('2')], { remove: ['1', 'x'] }, 5, ['2']],
    ['adds and removes in one change', [a('1')], { add: [a('2')], remove: ['1'] }, 1, ['2']],
    ['refuses growing past the limit', [a('1')], { add: [a('2'), a('3')] }, 2, null],
    ['lets a list over a lowered limit shrink', [a('1'), a('2'), a('3')], { remove: ['3'] }, 1, ['1', '2']],
  ] as const)('%s', (_name, stored, change, max, ids) => {
    const result = planActivities(stored, change, max);
    expect(result === null ? null : result.map((x) => x.id)).toEqual(ids);
  });
});

describe('reads', () => {
  const sys = [{ role: 'SYSTEM_ADMINISTRATION', orgIds: [SYSTEM_SCOPE] }];
  const orgSys = [{ role: 'SYSTEM_ADMINISTRATION', orgIds: ['org1'] }];
  it.each([
    ['an active member', 'm', [], true],
    ['a removed member', 'gone', [], false],
    ['a stranger', 'x', [], false],
    ['a system administrator', 'x', sys, true],
    ['SYSTEM_ADMINISTRATION held in an organisation', 'x', orgSys, false],
  ] as const)('%s may read: %s', (_n, caller, grants, allowed) => expect(mayRead(STORED, caller, grants)).toBe(allowed));

  it('lets only the creator delete', () => {
    expect(mayDelete(group(), 'creator')).toBe(true);
    expect(mayDelete(group(), 'co')).toBe(false);
  });

  it.each([
    [undefined, { members: false, activities: true }],
    ['', { members: false, activities: true }],
    ['members', { members: true, activities: false }],
    ['activities', { members: false, activities: true }],
    ['members,activities', { members: true, activities: true }],
  ])('fields=%s reads %o', (fields, parts) => expect(readParts(fields)).toEqual(parts));

  it('lists admin groups first, stable otherwise', () => {
    const listed = [{ id: '1', memberRole: 'member' }, { id: '2', memberRole: 'admin' }, { id: '3', memberRole: 'member' }, { id: '4', memberRole: 'admin' }];
    expect(sortByRole(listed).map((g) => g.id)).toEqual(['2', '4', '1', '3']);
  });

  it("uses upstream's cache keys", () => {
    expect([cacheKeys.group('g1'), cacheKeys.members('g1'), cacheKeys.userGroups('u1')]).toEqual(['g1', 'g1_members', 'u1']);
  });
});

describe('notifications', () => {
  const base = { group: { id: 'g', name: 'Maths' }, actor: { id: 'a', name: 'Asha' } };
  it('builds a feed notification without the actor', () => {
    expect(groupNotification({ ...base, type: 'member-added', recipients: ['a', 'u', 'u'], role: 'member' })).toEqual({
      ids: ['u'],
      priority: 1,
      type: 'feed',
      action: {
        type: 'member-added',
        category: 'group',
        template: { type: 'JSON', params: { param1: 'Asha', param2: 'Maths group' } },
        createdBy: { id: 'a', name: 'Asha', type: 'User' },
        additionalInfo: { group: { id: 'g', name: 'Maths' }, groupRole: 'member' },
      },
    });
  });
  it('names the activity and puts the group first where upstream does', () => {
    const n = groupNotification({ ...base, type: 'group-activity-removed', recipients: ['u'], activity: { id: 'do_1', type: 'Course' } });
    expect(n?.action.template.params).toEqual({ param1: 'Maths group', param2: 'Asha' });
    expect(n?.action.additionalInfo.activity).toEqual({ id: 'do_1', type: 'Course' });
  });
  it('sends nothing when nobody is to be told', () => {
    expect(groupNotification({ ...base, type: 'group-deleted', recipients: ['a'] })).toBeNull();
    expect(notificationRequest([null, null])).toBeNull();
    expect(notificationRequest([groupNotification({ ...base, type: 'group-deleted', recipients: ['u'] }), null])?.request.notifications).toHaveLength(1);
  });
});

describe('settings and errors', () => {
  it("defaults to upstream's limits and TTLs", () => {
    const o = resolveOptions({}, {});
    expect(o.limits).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({ maxMembers: 150, maxActivities: 20, maxGroupsPerUser: 50 });
    expect([o.groupCacheTtlSeconds, o.userCacheTtlSeconds, o.cachePrefix, o.notificationUrl]).toEqual([86_400, 3_600, '', null]);
  });
  it('reads the LERN_GROUPS_* variables and refuses bad values', () => {
    const o = resolveOptions({}, { LERN_GROUPS_MAX_MEMBERS: '10', LERN_GROUPS_MAX_ACTIVITIES: '5', LERN_GROUPS_MAX_GROUPS_PER_USER: '7', LERN_NOTIFICATION_URL: 'http://notification:9001/' });
    expect(o.limits).toEqual({ maxMembers: 10, maxActivities: 5, maxGroupsPerUser: 7 });
    expect(o.notificationUrl).toBe('http://notification:9001');
    expect(() => resolveOptions({}, { LERN_GROUPS_MAX_MEMBERS: '0' })).toThrow(ConfigError);
    expect(() => resolveOptions({}, { LERN_GROUPS_MAX_ACTIVITIES: 'many' })).toThrow(/LERN_GROUPS_MAX_ACTIVITIES|integer/);
    expect(() => resolveOptions({}, { LERN_NOTIFICATION_URL: 'notification:9001' })).toThrow(ConfigError);
  });
  it("answers with upstream's codes and messages", () => {
    const e = gsError('GS_UDT05', 'CLIENT_ERROR', 150);
    expect([e.status, e.err, e.errmsg]).toEqual([400, 'GS_UDT05', 'Failed to update the group,  exceeded permissible members count of 150']);
    expect(gsError('GS_RED07', 'RESOURCE_NOT_FOUND').status).toBe(404);
    expect(gsValidation('GS_CRT02')({ kind: 'missing', field: 'name', path: 'request.name' })).toEqual({ err: 'GS_CRT02', errmsg: GS_MESSAGES.GS_CRT02 });
  });
});

describe('batchesOf', () => {
  const st = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ query: `${tag}${i}`, params: [] }));
  it('keeps a change that fits in one batch', () => {
    expect(batchesOf({ core: st(1, 'g'), members: st(39, 'm') })).toEqual({ leading: [], main: [...st(1, 'g'), ...st(39, 'm')] });
  });
  it('writes member statements ahead, in batches of at most MAX_BATCH_STATEMENTS, when it does not fit', () => {
    const { leading, main } = batchesOf({ core: st(1, 'g'), members: st(300, 'm') });
    expect(main).toEqual(st(1, 'g'));
    expect(leading.map((b) => b.length)).toEqual([40, 40, 40, 40, 40, 40, 40, 20]);
    expect(leading.flat()).toEqual(st(300, 'm'));
    expect(MAX_BATCH_STATEMENTS).toBe(40);
  });
});
