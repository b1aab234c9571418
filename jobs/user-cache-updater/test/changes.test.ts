/** Which user an event is about: User-Org's change events and upstream's AUDIT telemetry. */
import { describe, expect, it } from 'vitest';
import { toChangeEvent, toUserEvent } from '@lern/userorg';
import { userChangeOf, type UserChange } from '../src/index.ts';

const text = (v: unknown): string => JSON.stringify(v);
const system = { id: 'system', type: 'System' } as const;

describe('userChangeOf', () => {
  const table: [string, string | null, UserChange][] = [
    ['a User-Org user change', text(toUserEvent('update', { id: 'u-1' }, system, ['firstName']).value), { kind: 'user', userId: 'u-1' }],
    ['a User-Org user deletion', text(toUserEvent('delete', { id: 'u-2' }, system, ['status']).value), { kind: 'user', userId: 'u-2' }],
    [
      'a User-Org organisation change',
      text(toChangeEvent({ action: 'update', objectType: 'Organisation', objectId: 'o-1', actor: system, changedFields: ['orgName'] }).value),
      { kind: 'other', what: 'Organisation' },
    ],
    ['upstream AUDIT of a user', text({ eid: 'AUDIT', ets: 1, object: { id: 'u-3', type: 'User' }, edata: { state: 'Update', props: ['firstName'] } }), { kind: 'user', userId: 'u-3' }],
    ['upstream AUDIT of a content', text({ eid: 'AUDIT', object: { id: 'c-1', type: 'Content' } }), { kind: 'other', what: 'Content' }],
    ['other telemetry', text({ eid: 'LOG', object: { id: 'u-3', type: 'User' } }), { kind: 'other', what: 'telemetry LOG' }],
    ['empty', null, { kind: 'invalid', reason: 'empty message' }],
    ['not JSON', '{', { kind: 'invalid', reason: 'not JSON' }],
    ['a string', '"x"', { kind: 'invalid', reason: 'not a JSON object' }],
    ['an unknown object', text({ hello: 'world' }), { kind: 'invalid', reason: 'neither a lern.userorg.event nor a telemetry event' }],
    ['an AUDIT without object', text({ eid: 'AUDIT' }), { kind: 'invalid', reason: 'object is missing' }],
    ['a user id that is not an id', text({ eid: 'AUDIT', object: { id: 'a b', type: 'User' } }), { kind: 'invalid', reason: 'object.id is missing or not an id' }],
  ];
  for (const [name, value, expected] of table) it(name, () => expect(userChangeOf(value)).toEqual(expected));
});
