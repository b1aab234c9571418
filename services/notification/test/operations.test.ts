/** Table tests of the pure decisions: rendering, job requests, feed views and limits, retries, events, SMS requests, options. */
import { describe, expect, it } from 'vitest';
import { outgoing } from '../src/delivery/dispatch.ts';
import { isHtml } from '../src/delivery/email.ts';
import { smsRequest } from '../src/delivery/sms.ts';
import { jsonPointerOfParent, sendValidation } from '../src/errors.ts';
import { newestFirst, overflow, ownedIds, parseObject, userFeedResult, v1Feed, v2Feed } from '../src/feed/operations.ts';
import type { FeedRow } from '../src/feed/store.ts';
import { resolveOptions } from '../src/options.ts';
import { DEVICE_BATCH, jobEntries, jobEvent } from '../src/send/events.ts';
import { fromV1, fromV2, refusal, render, retryDelays, type JobNotification } from '../src/send/operations.ts';
import { schemaProblem, updated, type TemplateRecord } from '../src/templates/operations.ts';
import { codeHash, mayGenerate, newCode, otpMessage, verifyOutcome } from '../src/otp/operations.ts';

const row = (id: string, createdOn: number | null, over: Partial<FeedRow> = {}): FeedRow => ({
  userId: 'u', id, action: '{"type":"x"}', category: 'c', priority: 1, status: 'unread', version: null,
  expireOn: null, createdBy: null, createdOn: createdOn === null ? null : new Date(createdOn), updatedBy: null, updatedOn: null, ...over,
});

describe('render', () => {
  it.each([
    ['Hello $name', { name: 'Asha' }, 'Hello Asha'],
    ['${a}-${b}', { a: 1, b: true }, '1-true'],
    ['$missing stays', {}, '$missing stays'],
    ['obj ${o}', { o: { k: 1 } }, 'obj {"k":1}'],
    ['no params', undefined, 'no params'],
    ['$$name', { name: 'x' }, '$x'],
  ])('%s', (text, params, expected) => expect(render(text, params)).toBe(expected));
});

describe('refusal', () => {
  it.each([
    ['email', [], undefined, '#/notifications/0: required key [ids] not found'],
    ['feed', null, undefined, '#/notifications/0: required key [ids] not found'],
    ['phone', ['1'], undefined, undefined],
    ['device', [], 'topic', undefined],
    ['device', undefined, undefined, '#/notifications/0: neither device ids nor a topic given'],
  ] as const)('%s %j %s', (kind, ids, topic, expected) => expect(refusal(kind, ids, topic, 0)).toBe(expected));
});

describe('job requests', () => {
  it('v1 keeps mode, delivery type and config, rendering the template', () => {
    expect(fromV1({ mode: 'email', deliveryType: 'message', config: { subject: 's' }, ids: ['a@x.org'], template: { data: 'Hi $n', params: { n: 'A' } } })).toEqual({
      mode: 'email', deliveryType: 'message', config: { subject: 's' }, ids: ['a@x.org'], template: { data: 'Hi A', params: { n: 'A' } },
    });
  });
  it('v2 email takes sender/subject from the template config or additionalInfo', () => {
    const base = { ids: ['a@x.org'], priority: 1, type: 'email' as const };
    expect(fromV2({ ...base, action: { type: 't', template: { type: 'TEXT', data: 'x', config: { sender: 's1', subject: 'j1' } }, additionalInfo: { sender: 's2' } } }, null).config).toEqual({ sender: 's1', subject: 'j1' });
    expect(fromV2({ ...base, action: { type: 't', additionalInfo: { sender: 's2', subject: 'j2' } } }, { data: 'stored $p', type: 'TEXT', ver: null }).template).toEqual({ data: 'stored $p' });
  });
  it('v2 phone with an otp is an otp delivery; device carries rawData and topic', () => {
    expect(fromV2({ ids: ['1'], priority: 1, type: 'phone', action: { type: 't', additionalInfo: { otp: { length: 4 } } } }, null)).toMatchObject({ mode: 'phone', deliveryType: 'otp', config: { otp: { length: 4 } } });
    expect(fromV2({ ids: null, priority: 1, type: 'device', action: { type: 't', additionalInfo: { topic: 'tp', rawData: { k: 1 } } } }, null)).toMatchObject({ mode: 'device', ids: [], config: { topic: 'tp' }, rawData: { k: 1 } });
  });
});

describe('feed views', () => {
  const rows = [row('old', 1), row('new', 3), row('none', null), row('v1', 2, { version: 'v1', action: '{"dataValue":"yes"}' }), row('bad', 4, { action: 'not json' })];
  it('v2 feed: no v1 entries, newest first, action parsed (null when unreadable)', () => {
    expect(v2Feed(rows).map((e) => [e.id, e.action])).toEqual([['bad', null], ['new', { type: 'x' }], ['old', { type: 'x' }], ['none', { type: 'x' }]]);
  });
  it('v1 feed: only v1 entries, data in place of action; User-Org shape drops nulls', () => {
    const v1 = v1Feed(rows);
    expect(v1).toEqual([expect.objectContaining({ id: 'v1', data: { dataValue: 'yes' }, createdOn: 2 })]);
    expect(Object.keys(userFeedResult(v1).response.userFeed[0]!).sort()).toEqual(['category', 'createdOn', 'data', 'id', 'priority', 'status', 'userId']);
  });
  it('owned ids, overflow and order', () => {
    expect(ownedIds(rows, ['new', 'x', 'new'])).toEqual(['new']);
    expect(overflow(rows, 1, 5)).toEqual(['none']);
    expect(overflow(rows, 2, 5)).toEqual(['none', 'old']);
    expect(overflow(rows, 0, 10)).toEqual([]);
    expect(newestFirst([{ createdOn: null }, { createdOn: 5 }])).toEqual([{ createdOn: 5 }, { createdOn: null }]);
    expect(parseObject('[1]')).toBeNull();
  });
});

describe('retries, events and requests', () => {
  it.each([[1, 100, []], [3, 100, [100, 200]], [4, 0, [0, 0, 0]]] as const)('retryDelays(%i, %i)', (n, base, expected) => expect(retryDelays(n, base)).toEqual(expected));

  const job: JobNotification = { mode: 'email', deliveryType: 'message', config: { subject: 's', sender: 'f@x.org' }, ids: ['a@x.org'], template: { data: '<p>hi</p>' } };
  it('job event: upstream BE_JOB_REQUEST shape, object id a hash of the request', () => {
    const now = new Date(1_700_000_000_000);
    const a = jobEvent(job, 'req-1', now, 'NS.1.x');
    expect(a).toMatchObject({ eid: 'BE_JOB_REQUEST', ets: now.getTime(), mid: 'NS.1.x', edata: { action: 'broadcast-topic-notification-all', request: { notification: job } }, trace: { 'X-Request-ID': 'req-1' } });
    expect(a.object.id).toBe(jobEvent(job, 'other', now).object.id);
  });
  it('device ids are split in batches', () => {
    const ids = Array.from({ length: DEVICE_BATCH * 2 + 1 }, (_, i) => `t${i}`);
    const entries = jobEntries([{ ...job, mode: 'device', ids }], 'r', new Date());
    expect(entries).toHaveLength(3);
    expect(entries.every((e) => e.kind === 'kafka' && e.topic === 'lms.notification')).toBe(true);
  });
  it('outgoing message and SMS provider request', () => {
    expect(outgoing(job)).toEqual({ to: ['a@x.org'], body: '<p>hi</p>', subject: 's', from: 'f@x.org' });
    expect(isHtml('<p>hi</p>')).toBe(true);
    expect(isHtml('a < b')).toBe(false);
    const req = smsRequest({ url: 'http://p/send', sender: 'S', country: '91' }, { to: ['1'], body: 'b' });
    expect(req.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(req.body)).toEqual({ sender: 'S', route: '4', country: '91', sms: [{ message: 'b', to: ['1'] }] });
  });
});

describe('validation messages, templates and options', () => {
  it('send validation uses JSON pointers', () => {
    expect(jsonPointerOfParent('request.notifications.0.action')).toBe('#/notifications/0');
    expect(sendValidation({ kind: 'missing', field: 'action', path: 'request.notifications.0.action' })).toEqual({ err: 'INVALID_REQUESTED_DATA', errmsg: '#/notifications/0: required key [action] not found' });
  });
  it('template schema and updates', () => {
    expect(schemaProblem('{"type":"object"}')).toBeUndefined();
    expect(schemaProblem('[]')).toBe('template_schema must be a JSON object');
    expect(schemaProblem('{')).toBe('template_schema is not valid JSON');
    const current: TemplateRecord = { templateId: 't', data: 'd', template_schema: '{}', type: 'JSON', ver: '1', config: null, createdBy: 'c', createdOn: null, lastUpdatedBy: null, lastUpdatedOn: null };
    const at = new Date(5);
    expect(updated(current, { templateId: 't', ver: '2' }, 'u', at)).toEqual({ ...current, ver: '2', lastUpdatedBy: 'u', lastUpdatedOn: at });
  });
  it('options from the environment', () => {
    expect(resolveOptions({})).toEqual({
      smtp: null,
      sms: null,
      retry: { attempts: 3, baseDelayMs: 500 },
      feedLimit: 100,
      otp: { secret: null, length: 6, expiryMinutes: 10, maxAttempts: 3, maxPerWindow: 5, windowMinutes: 60 },
    });
    expect(resolveOptions({ LERN_NOTIFICATION_SMTP_HOST: 'mail', LERN_NOTIFICATION_SMS_URL: 'https://sms/x', LERN_NOTIFICATION_SMS_AUTH_KEY: 'k' })).toMatchObject({
      smtp: { host: 'mail', port: 587, secure: false, from: 'no-reply@example.org' },
      sms: { url: 'https://sms/x', authKey: 'k', sender: 'SUNBRD', country: '91' },
    });
    expect(() => resolveOptions({ LERN_NOTIFICATION_SMTP_HOST: 'm', LERN_NOTIFICATION_SMTP_PORT: 'x' })).toThrow(/LERN_NOTIFICATION_SMTP_PORT|whole number/);
    expect(() => resolveOptions({ LERN_NOTIFICATION_SMS_URL: 'ftp://x' })).toThrow();
  });
});

describe('otp', () => {
  it('codes are digits of the given length; hashes are keyed and bound to the key', () => {
    expect(newCode(6)).toMatch(/^[0-9]{6}$/);
    expect(codeHash('s', 'k', '1234')).toBe(codeHash('s', 'k', '1234'));
    expect(codeHash('s', 'k', '1234')).not.toBe(codeHash('t', 'k', '1234'));
    expect(codeHash('s', 'k', '1234')).not.toBe(codeHash('s', 'k2', '1234'));
    expect(codeHash('s', 'k', '1234')).not.toContain('1234');
  });
  it.each([
    [null, 'h', { result: 'void' }],
    [{ codeHash: 'aa', attempts: 3 }, 'aa', { result: 'void' }],
    [{ codeHash: 'aa', attempts: 0 }, 'aa', { result: 'verified' }],
    [{ codeHash: 'aa', attempts: 1 }, 'bb', { result: 'wrong', attemptsLeft: 1 }],
    [{ codeHash: 'aa', attempts: 0 }, 'aabb', { result: 'wrong', attemptsLeft: 2 }],
  ] as const)('verify %j with %s', (stored, given, expected) => expect(verifyOutcome(stored, given, 3)).toEqual(expected));
  it('rate limit and message', () => {
    expect(mayGenerate(2, 3)).toBe(true);
    expect(mayGenerate(3, 3)).toBe(false);
    expect(otpMessage('123456', 10)).toBe('Your verification code is 123456. It is valid for 10 minutes.');
    expect(otpMessage('1', 5, 'OTP ${otp} for $otpExpiryInMinutes min')).toBe('OTP 1 for 5 min');
  });
});
