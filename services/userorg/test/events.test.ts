import { describe, expect, it } from 'vitest';
import { toChangeEvent, toDeleteUserEvent, toUserEvent } from '../src/events.ts';

describe('user.events', () => {
  it('has a stable schema keyed by the object id and carries no values', () => {
    const msg = toUserEvent('update', { id: 'u1', channel: 'ch', rootOrgId: 'o1' }, { id: 'admin', type: 'User' }, ['phone', 'email', 'phone'], { ets: 1700000000000, eventId: 'e1' });
    expect(msg).toEqual({
      topic: 'user.events',
      key: 'u1',
      value: {
        schema: 'lern.userorg.event',
        version: 1,
        eventId: 'e1',
        ets: 1700000000000,
        action: 'update',
        object: { id: 'u1', type: 'User' },
        actor: { id: 'admin', type: 'User' },
        changedFields: ['email', 'phone'],
        channel: 'ch',
        rootOrgId: 'o1',
      },
    });
  });

  it('omits empty scope and fills id and time', () => {
    const msg = toChangeEvent({ action: 'create', objectType: 'Location', objectId: 'l1', actor: { id: 'userorg-service', type: 'System' }, changedFields: [] });
    expect(msg.value).not.toHaveProperty('channel');
    expect(msg.value.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof msg.value.ets).toBe('number');
  });
});

describe('delete.user', () => {
  it("keeps upstream's BE_JOB_REQUEST shape", () => {
    const msg = toDeleteUserEvent({ userId: 'u1', rootOrgId: 'o1', userName: 'ravi', suggestedUsers: [{ role: 'ORG_ADMIN', users: ['a'] }], managedUsers: ['c1'], ets: 5, mid: 'LP.5.x' });
    expect(msg).toEqual({
      topic: 'delete.user',
      key: 'u1',
      value: {
        eid: 'BE_JOB_REQUEST',
        ets: 5,
        mid: 'LP.5.x',
        actor: { id: 'User Deletion', type: 'System' },
        context: { pdata: { id: 'org.sunbird.platform', ver: '1.0' } },
        object: { id: 'u1', type: 'User' },
        edata: { action: 'delete-user', iteration: 1, userId: 'u1', organisationId: 'o1', userName: 'ravi', suggested_users: [{ role: 'ORG_ADMIN', users: ['a'] }], managed_users: ['c1'] },
      },
    });
  });
});
