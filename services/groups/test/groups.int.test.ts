/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- responses are untyped JSON that the assertions walk */
/**
 * The group routes against real Cassandra and Redis: success, validation, authentication,
 * membership rules, limits (set low for this file), cache entries under upstream's keys and their
 * invalidation, and notifications (sent to a loopback stand-in of the Notification service, retried
 * by the outbox while it refuses).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, createGroup, eventually, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;
type User = { id: string; token: string; name: string };
let admin: User;
let member: User;
let outsider: User;
let sysadmin: User;

const LIMITS = { maxMembers: 4, maxActivities: 3, maxGroupsPerUser: 3 };

beforeAll(async () => {
  f = await startFixture(import.meta.url, { limits: LIMITS, outboxTiming: { requestDeliveryTimeoutMs: 1000, relayGraceMs: 1500, pollIntervalMs: 250, requestPathCooldownMs: 200 } });
  member = await f.user({ firstName: 'Ravi' });
  outsider = await f.user();
  sysadmin = await f.user({ systemAdmin: true });
});

// A new group admin per test: each may create only LIMITS.maxGroupsPerUser groups.
beforeEach(async () => {
  admin = await f.user({ firstName: 'Asha' });
});

afterAll(async () => {
  await f?.close();
});

const read = (groupId: string, token: string, fields?: string) => call(f, 'GET', `/v1/group/read/${groupId}${fields ? `?fields=${fields}` : ''}`, { token });
const update = (token: string, request: Record<string, unknown>) => call(f, 'PATCH', '/v1/group/update', { token, body: { request } });
const list = (token: string, userId: string) => call(f, 'POST', '/v1/group/list', { token, body: { request: { filters: { userId } } } });
const cached = async (key: string) => f.redis.client.get(`${f.cachePrefix}${key}`);

function expectError(res: { status: number; body: Record<string, any> }, status: number, err: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.params.status).toBe('FAILED');
  expect(res.body.params.err).toBe(err);
}

describe('POST /v1/group/create', () => {
  it('creates a group whose creator is its admin, with members and activities', async () => {
    const res = await call(f, 'POST', '/v1/group/create', {
      token: admin.token,
      body: { request: { name: 'Maths', description: 'Algebra', members: [{ userId: member.id }], activities: [{ id: 'do_1', type: 'Course' }] } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.group.create', ver: 'v1', responseCode: 'OK', params: { status: 'SUCCESS' } });
    const groupId = res.body.result.groupId as string;
    const got = await read(groupId, admin.token, 'members,activities');
    expect(got.status).toBe(200);
    expect(got.body.result).toMatchObject({ id: groupId, name: 'Maths', description: 'Algebra', status: 'active', membershipType: 'invite_only', createdBy: admin.id, activities: [{ id: 'do_1', type: 'Course' }] });
    const roles = Object.fromEntries((got.body.result.members as any[]).map((m) => [m.userId, [m.role, m.name]]));
    expect(roles).toEqual({ [admin.id]: ['admin', 'Asha'], [member.id]: ['member', 'Ravi'] });
    await call(f, 'POST', '/v1/group/delete', { token: admin.token, body: { request: { groupId } } });
  });

  it('refuses a missing name, a bad role, an unknown member and a missing token', async () => {
    expectError(await call(f, 'POST', '/v1/group/create', { token: admin.token, body: { request: { description: 'x' } } }), 400, 'GS_CRT02');
    expectError(await call(f, 'POST', '/v1/group/create', { token: admin.token, body: { request: { name: 'x', members: [{ userId: member.id, role: 'owner' }] } } }), 400, 'GS_CRT02');
    expectError(await call(f, 'POST', '/v1/group/create', { token: admin.token, body: { request: { name: 'x', members: [{ userId: 'no-such-user' }] } } }), 400, 'GS_CRT02');
    expectError(await call(f, 'POST', '/v1/group/create', { body: { request: { name: 'x' } } }), 401, 'GS_UNAUTHORIZED');
  });

  it('enforces the member, activity and groups-per-user limits with upstream codes', async () => {
    const extra = await Promise.all([f.user(), f.user(), f.user(), f.user()]);
    const tooMany = await call(f, 'POST', '/v1/group/create', { token: admin.token, body: { request: { name: 'x', members: extra.map((u) => ({ userId: u.id })) } } });
    expectError(tooMany, 400, 'GS_CRT05');
    expect(tooMany.body.params.errmsg).toContain('of 4');
    const activities = [1, 2, 3, 4].map((i) => ({ id: `do_${i}`, type: 'Course' }));
    expectError(await call(f, 'POST', '/v1/group/create', { token: admin.token, body: { request: { name: 'x', activities } } }), 400, 'GS_CRT06');
    const creator = await f.user();
    for (let i = 0; i < LIMITS.maxGroupsPerUser; i++) await createGroup(f, creator.token);
    expectError(await call(f, 'POST', '/v1/group/create', { token: creator.token, body: { request: { name: 'one more' } } }), 400, 'GS_CRT04');
  });
});

describe('GET /v1/group/read/:groupId', () => {
  it('answers members and system administrators, with fields as upstream', async () => {
    const groupId = await createGroup(f, admin.token, { members: [{ userId: member.id }], activities: [{ id: 'do_9', type: 'Course' }] });
    const plain = await read(groupId, member.token);
    expect(plain.status).toBe(200);
    expect(plain.body.result.activities).toEqual([{ id: 'do_9', type: 'Course' }]);
    expect(plain.body.result.members).toBeUndefined();
    const onlyMembers = await read(groupId, sysadmin.token, 'members');
    expect(onlyMembers.status).toBe(200);
    expect(onlyMembers.body.result.activities).toBeUndefined();
    expect(onlyMembers.body.result.members).toHaveLength(2);
    expectError(await read(groupId, outsider.token), 403, 'GS_RED01');
    expectError(await read('no-such-group', admin.token), 404, 'GS_RED07');
    expectError(await read(groupId, admin.token, 'everything'), 400, 'GS_RED02');
    expectError(await call(f, 'GET', `/v1/group/read/${groupId}`), 401, 'GS_UNAUTHORIZED');
  });

  it('caches the group and its members under upstream keys, and drops them on change', async () => {
    const groupId = await createGroup(f, admin.token);
    await read(groupId, admin.token, 'members');
    expect(JSON.parse((await cached(groupId))!)).toMatchObject({ id: groupId, name: 'Study group' });
    expect(JSON.parse((await cached(`${groupId}_members`))!)).toHaveLength(1);
    expect((await update(admin.token, { groupId, name: 'Renamed', members: { add: [{ userId: member.id }] } })).status).toBe(200);
    expect(await cached(groupId)).toBeNull();
    expect(await cached(`${groupId}_members`)).toBeNull();
    const after = await read(groupId, member.token, 'members');
    expect(after.body.result.name).toBe('Renamed');
    expect(after.body.result.members).toHaveLength(2);
  });
});

describe('PATCH /v1/group/update', () => {
  it('lets admins change the group, its activities and members', async () => {
    const groupId = await createGroup(f, admin.token, { activities: [{ id: 'do_a', type: 'Course' }] });
    const third = await f.user();
    const res = await update(admin.token, {
      groupId,
      description: 'New',
      activities: { add: [{ id: 'do_b', type: 'Textbook' }, { id: 'do_a', type: 'Course' }], remove: ['do_a'] },
      members: { add: [{ userId: member.id }, { userId: third.id, role: 'admin' }] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toEqual({ response: 'success' });
    expect((await update(admin.token, { groupId, members: { edit: [{ userId: third.id, role: 'member' }], remove: [member.id] } })).status).toBe(200);
    const got = await read(groupId, admin.token, 'members,activities');
    expect(got.body.result).toMatchObject({ description: 'New', activities: [{ id: 'do_b', type: 'Textbook' }], updatedBy: admin.id });
    expect(Object.fromEntries((got.body.result.members as any[]).map((m) => [m.userId, m.role]))).toEqual({ [admin.id]: 'admin', [third.id]: 'member' });
    expectError(await read(groupId, member.token), 403, 'GS_RED01');
  });

  it('refuses members who are not admins, but lets a member leave', async () => {
    const groupId = await createGroup(f, admin.token, { members: [{ userId: member.id }] });
    expectError(await update(member.token, { groupId, name: 'Mine' }), 403, 'GS_UDT09');
    expectError(await update(member.token, { groupId, activities: { add: [{ id: 'do_x', type: 'Course' }] } }), 403, 'GS_UDT09');
    expectError(await update(outsider.token, { groupId, members: { remove: [outsider.id] } }), 403, 'GS_UDT09');
    expect((await update(member.token, { groupId, members: { remove: [member.id] } })).status).toBe(200);
    expect((await list(member.token, member.id)).body.result.group.map((g: any) => g.id)).not.toContain(groupId);
  });

  it('refuses unknown groups, invalid requests and changes beyond the limits', async () => {
    expectError(await update(admin.token, { groupId: 'no-such-group', name: 'x' }), 404, 'GS_UDT07');
    expectError(await update(admin.token, { name: 'x' }), 400, 'GS_UDT02');
    expectError(await update(admin.token, { groupId: 'g', status: 'closed' }), 400, 'GS_UDT02');
    const groupId = await createGroup(f, admin.token, { members: [{ userId: member.id }] });
    expectError(await update(admin.token, { groupId, members: { edit: [{ userId: outsider.id, role: 'admin' }] } }), 400, 'GS_UDT02');
    expectError(await update(admin.token, { groupId, members: { add: [{ userId: outsider.id }], remove: [outsider.id] } }), 400, 'GS_UDT02');
    const users = await Promise.all([f.user(), f.user(), f.user()]);
    expectError(await update(admin.token, { groupId, members: { add: users.map((u) => ({ userId: u.id })) } }), 400, 'GS_UDT05');
    const activities = [1, 2, 3, 4].map((i) => ({ id: `do_${i}`, type: 'Course' }));
    expectError(await update(admin.token, { groupId, activities: { add: activities } }), 400, 'GS_UDT06');
  });

  it('takes no change but leaving and re-activation while suspended; inactive deletes (creator only)', async () => {
    const co = await f.user();
    const groupId = await createGroup(f, admin.token, { members: [{ userId: member.id }, { userId: co.id, role: 'admin' }] });
    expect((await update(admin.token, { groupId, status: 'suspended' })).status).toBe(200);
    expectError(await update(admin.token, { groupId, name: 'x' }), 400, 'GS_UDT08');
    expect((await update(member.token, { groupId, members: { remove: [member.id] } })).status).toBe(200);
    expect((await update(co.token, { groupId, status: 'active' })).status).toBe(200);
    expectError(await update(co.token, { groupId, status: 'inactive' }), 403, 'GS_UDT09');
    expect((await update(admin.token, { groupId, status: 'inactive' })).status).toBe(200);
    expectError(await read(groupId, admin.token), 404, 'GS_RED07');
  });
});

describe('POST /v1/group/list', () => {
  it("lists the caller's groups, admin roles first, with the visited flag", async () => {
    const lister = await f.user();
    const asMember = await createGroup(f, admin.token, { members: [{ userId: lister.id }] });
    const asAdmin = await createGroup(f, lister.token);
    const res = await list(lister.token, lister.id);
    expect(res.status).toBe(200);
    expect(res.body.result.group.map((g: any) => [g.id, g.memberRole])).toEqual([
      [asAdmin, 'admin'],
      [asMember, 'member'],
    ]);
    expect(JSON.parse((await cached(lister.id))!)).toHaveLength(2);
    const visited = await call(f, 'PATCH', '/v1/group/membership/update', { token: lister.token, body: { request: { userId: lister.id, groups: [{ groupId: asMember, visited: true }] } } });
    expect(visited.status).toBe(200);
    expect(visited.body.result).toEqual({ response: 'SUCCESS' });
    expect(await cached(lister.id)).toBeNull();
    expect((await list(lister.token, lister.id)).body.result.group.find((g: any) => g.id === asMember).visited).toBe(true);
    expect((await list(sysadmin.token, lister.id)).status).toBe(200);
    expectError(await list(outsider.token, lister.id), 403, 'GS_LST01');
    expectError(await call(f, 'POST', '/v1/group/list', { token: lister.token, body: { request: { filters: {} } } }), 400, 'GS_LST02');
  });
});

describe('PATCH /v1/group/membership/update', () => {
  it("refuses someone else's memberships, groups the caller is not in and empty requests", async () => {
    const groupId = await createGroup(f, admin.token, { members: [{ userId: member.id }] });
    const send = (token: string, request: unknown) => call(f, 'PATCH', '/v1/group/membership/update', { token, body: { request } });
    expectError(await send(admin.token, { userId: member.id, groups: [{ groupId, visited: true }] }), 403, 'GS_MBRSHP_UDT01');
    expectError(await send(outsider.token, { userId: outsider.id, groups: [{ groupId, visited: true }] }), 403, 'GS_MBRSHP_UDT01');
    expectError(await send(member.token, { userId: member.id, groups: [] }), 400, 'GS_MBRSHP_UDT02');
    expectError(await send(member.token, { groups: [{ groupId, visited: true }] }), 400, 'GS_MBRSHP_UDT02');
  });
});

describe('POST /v1/group/delete', () => {
  it('lets only the creator delete, and clears every member list', async () => {
    const co = await f.user();
    const groupId = await createGroup(f, admin.token, { members: [{ userId: co.id, role: 'admin' }] });
    const del = (token: string) => call(f, 'POST', '/v1/group/delete', { token, body: { request: { groupId } } });
    expectError(await del(co.token), 403, 'GS_DLT10');
    const ok = await del(admin.token);
    expect(ok.status).toBe(200);
    expect(ok.body.result).toEqual({ response: 'SUCCESS' });
    expectError(await del(admin.token), 404, 'GS_DLT07');
    expect((await list(co.token, co.id)).body.result.group.map((g: any) => g.id)).not.toContain(groupId);
    expectError(await call(f, 'POST', '/v1/group/delete', { token: admin.token, body: { request: {} } }), 400, 'GS_DLT02');
  });
});

describe('notifications', () => {
  it('tells added members through the Notification service, and retries while it refuses', async () => {
    const newcomer = await f.user();
    const groupId = await createGroup(f, admin.token);
    f.inbox.received.length = 0;
    expect((await update(admin.token, { groupId, members: { add: [{ userId: newcomer.id }] } })).status).toBe(200);
    const sent = await eventually(() => f.inbox.received.find((r) => r.request.notifications[0].action.additionalInfo.group.id === groupId));
    expect(sent.request.notifications[0]).toMatchObject({
      ids: [newcomer.id],
      type: 'feed',
      action: { type: 'member-added', category: 'group', createdBy: { id: admin.id, name: 'Asha', type: 'User' }, additionalInfo: { groupRole: 'member' } },
    });
    f.inbox.status = 503;
    expect((await update(admin.token, { groupId, activities: { add: [{ id: 'do_n', type: 'Course' }] } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(f.inbox.received.some((r) => r.request.notifications[0].action.type === 'group-activity-added' && r.request.notifications[0].action.additionalInfo.group.id === groupId)).toBe(false);
    f.inbox.status = 200;
    const retried = await eventually(() =>
      f.inbox.received.find((r) => r.request.notifications[0].action.type === 'group-activity-added' && r.request.notifications[0].action.additionalInfo.group.id === groupId),
    );
    expect(retried.request.notifications[0].ids).toEqual([newcomer.id]);
  });
});
