/**
 * Upstream's default limits end to end: a group of 150 members (the creator and 149 others) is
 * created in one logged batch with its notification (under Cassandra's batch size limit), the 151st
 * member is refused with GS_UDT05, and 20 activities fit where 21 do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
});

afterAll(async () => {
  await f?.close();
});

describe('default limits', () => {
  it('creates a group of 150 members with 20 activities, and refuses one more of either', async () => {
    const creator = await f.user();
    const others = [];
    for (let i = 0; i < 149; i++) others.push(await f.user());
    const activities = Array.from({ length: 20 }, (_, i) => ({ id: `do_${i}`, type: 'Course' }));
    const created = await call(f, 'POST', '/v1/group/create', {
      token: creator.token,
      body: { request: { name: 'Big', members: others.map((u) => ({ userId: u.id })), activities } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const groupId = created.body.result.groupId as string;
    const read = await call(f, 'GET', `/v1/group/read/${groupId}?fields=members`, { token: others[148]!.token });
    expect(read.status).toBe(200);
    expect(read.body.result.members).toHaveLength(150);
    const late = await f.user();
    const more = await call(f, 'PATCH', '/v1/group/update', { token: creator.token, body: { request: { groupId, members: { add: [{ userId: late.id }] } } } });
    expect(more.status).toBe(400);
    expect(more.body.params).toMatchObject({ err: 'GS_UDT05', errmsg: 'Failed to update the group,  exceeded permissible members count of 150' });
    const extra = await call(f, 'PATCH', '/v1/group/update', { token: creator.token, body: { request: { groupId, activities: { add: [{ id: 'do_x', type: 'Course' }] } } } });
    expect(extra.body.params.err).toBe('GS_UDT06');
  });
});
