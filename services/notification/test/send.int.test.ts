/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- responses are untyped JSON that the assertions walk */
/**
 * The send routes against real servers: a sync email arrives at the harness's SMTP server, a sync
 * SMS at a local provider endpoint, async sends land on `lms.notification` in the job's shape, and a
 * failing provider is retried and then reported on `lms.notification.failed` with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, readTopic, receivedMail, startFixture, uniqueEmail, type Fixture } from './helpers.ts';

let f: Fixture;
let adminToken: string;
let plainToken: string;

const emailV1 = (to: string, subject = 'Welcome') => ({
  mode: 'email',
  deliveryType: 'message',
  config: { sender: 'sender@example.org', subject },
  ids: [to],
  template: { data: 'Hello $name, welcome to ${installation}.', params: { name: 'Asha', installation: 'Lern' } },
});

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  adminToken = await f.token(await f.user({ ORG_ADMIN: ['org-a'] }));
  plainToken = await f.token(await f.user());
});

afterAll(async () => {
  await f?.close();
});

describe('sync send', () => {
  it('delivers an email through the SMTP server, the template rendered', async () => {
    const to = uniqueEmail();
    const res = await call(f, 'POST', '/v1/notification/send/sync', { token: adminToken, body: { request: { notifications: [emailV1(to, 'Sync subject')] } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toEqual({ response: 'SUCCESS' });
    const mail = await receivedMail(f, to);
    expect(mail).toContain('X-Lern-Envelope-From: sender@example.org');
    expect(mail).toContain('Subject: Sync subject');
    expect(mail).toContain('Hello Asha, welcome to Lern.');
  });

  it('delivers an SMS through the provider endpoint', async () => {
    f.sms.calls.length = 0;
    const body = { request: { notifications: [{ mode: 'phone', deliveryType: 'message', ids: ['9876543210'], template: { data: 'Code for $name', params: { name: 'Asha' } } }] } };
    const res = await call(f, 'POST', '/v1/notification/send/sync', { token: adminToken, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(f.sms.calls).toHaveLength(1);
    expect(f.sms.calls[0]!.headers.authkey).toBe('test-auth-key');
    expect(f.sms.calls[0]!.body).toEqual({ sender: 'LERNTS', route: '4', country: '91', sms: [{ message: 'Code for Asha', to: ['9876543210'] }] });
  });

  it('retries a failing provider, then dead-letters the notification with the reason and answers 503', async () => {
    f.sms.calls.length = 0;
    f.sms.failWith = 500;
    try {
      const body = { request: { notifications: [{ mode: 'phone', deliveryType: 'message', ids: ['9000000001'], template: { data: 'never arrives' } }] } };
      const res = await call(f, 'POST', '/v1/notification/send/sync', { token: adminToken, body });
      expect(res.status).toBe(503);
      expect(res.body.params.errmsg).toContain('failed after 3 attempt(s): SMS provider answered 500');
      expect(f.sms.calls).toHaveLength(3);
      const failed = await readTopic(f, 'lms.notification.failed', (v) => v.some((e) => e.edata?.request?.notification?.ids?.[0] === '9000000001'));
      const event = failed.find((e) => e.edata.request.notification.ids[0] === '9000000001');
      expect(event.failInfo).toMatchObject({ errorCode: 'DELIVERY_FAILED', attempts: 3 });
      expect(event.failInfo.error).toContain('SMS provider answered 500');
      expect(event.edata.request.notification).toMatchObject({ mode: 'phone', template: { data: 'never arrives' } });
    } finally {
      f.sms.failWith = null;
    }
  });

  it('fails a device send without a configured push adapter, dead-lettered', async () => {
    const body = { request: { notifications: [{ mode: 'device', deliveryType: 'message', ids: ['device-token-1'], rawData: { k: 1 } }] } };
    const res = await call(f, 'POST', '/v1/notification/send/sync', { token: adminToken, body });
    expect(res.status).toBe(503);
    expect(res.body.params.errmsg).toContain('no device provider is configured');
  });
});

describe('async send', () => {
  it('queues v1 and v2 sends on lms.notification in the notification job shape', async () => {
    const v1To = uniqueEmail();
    const v2To = uniqueEmail();
    const v1 = await call(f, 'POST', '/v1/notification/send', { token: adminToken, body: { request: { notifications: [emailV1(v1To)] } } });
    expect(v1.status, JSON.stringify(v1.body)).toBe(200);
    const v2body = {
      request: {
        notifications: [
          {
            ids: [v2To],
            priority: 1,
            type: 'email',
            action: {
              type: 'user-email',
              category: 'user-service',
              template: { type: 'TEXT', data: 'Your ttl is $ttl', params: { ttl: 30 } },
              createdBy: { id: 'u1', name: 'John', type: 'User' },
              additionalInfo: { sender: 'sender@sunbird.com', subject: 'Hello to sunbird user' },
            },
          },
          { ids: ['fcm1', 'fcm2'], priority: 1, type: 'device', action: { type: 'device-system-upgrade', category: 'device-notification', createdBy: { id: 'u1' }, additionalInfo: { rawData: { key: 2 } } } },
        ],
      },
    };
    const v2 = await call(f, 'POST', '/v2/notification/send', { token: adminToken, body: v2body });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    const ids = (e: any): string[] => e.edata.request.notification.ids;
    const events = await readTopic(f, 'lms.notification', (v) => [v1To, v2To, 'fcm1'].every((id) => v.some((e) => ids(e).includes(id))));
    const first = events.find((e) => ids(e).includes(v1To));
    expect(first).toMatchObject({
      eid: 'BE_JOB_REQUEST',
      actor: { id: 'BroadCast Topic Notification', type: 'System' },
      object: { type: 'TopicNotifyAll' },
      edata: {
        action: 'broadcast-topic-notification-all',
        request: { notification: { mode: 'email', deliveryType: 'message', config: { sender: 'sender@example.org', subject: 'Welcome' }, template: { data: 'Hello Asha, welcome to Lern.' } } },
      },
    });
    expect(first.mid).toMatch(/^NS\.\d+\./);
    expect(first.trace['X-Request-ID']).toBeTruthy();
    expect(events.find((e) => ids(e).includes(v2To)).edata.request.notification).toMatchObject({
      mode: 'email',
      config: { sender: 'sender@sunbird.com', subject: 'Hello to sunbird user' },
      template: { data: 'Your ttl is 30', params: { ttl: 30 } },
    });
    expect(events.find((e) => ids(e).includes('fcm1')).edata.request.notification).toMatchObject({ mode: 'device', ids: ['fcm1', 'fcm2'], rawData: { key: 2 } });
  });
});

describe('send validation and authorisation', () => {
  const feed = { ids: ['u-1'], priority: 1, type: 'feed', action: { type: 'add-member', category: 'groups', template: { type: 'JSON', params: {} }, createdBy: { id: 'u1' } } };

  it("answers upstream's JSON-schema messages", async () => {
    for (const missing of ['action', 'type', 'priority'] as const) {
      const n: Record<string, unknown> = { ...feed };
      delete n[missing];
      const res = await call(f, 'POST', '/v2/notification/send', { token: plainToken, body: { request: { notifications: [n] } } });
      expect(res.status).toBe(400);
      expect(res.body.params).toMatchObject({ err: 'INVALID_REQUESTED_DATA', errmsg: `#/notifications/0: required key [${missing}] not found` });
    }
    const noIds = await call(f, 'POST', '/v2/notification/send', { token: plainToken, body: { request: { notifications: [{ ...feed, ids: [] }] } } });
    expect(noIds.status).toBe(400);
    expect(noIds.body.params.errmsg).toBe('#/notifications/0: required key [ids] not found');
    const badMode = await call(f, 'POST', '/v1/notification/send', { token: adminToken, body: { request: { notifications: [{ ...emailV1('a@example.org'), mode: 'pigeon' }] } } });
    expect(badMode.status).toBe(400);
    const noTopic = await call(f, 'POST', '/v1/notification/send', { token: adminToken, body: { request: { notifications: [{ mode: 'device', deliveryType: 'message', ids: [] }] } } });
    expect(noTopic.status).toBe(400);
    expect(noTopic.body.params.errmsg).toContain('neither device ids nor a topic');
  });

  it('lets any signed-in user send feed entries, but only administrators email, SMS and v1 sends', async () => {
    expect((await call(f, 'POST', '/v2/notification/send', { token: plainToken, body: { request: { notifications: [feed] } } })).status).toBe(200);
    const email = { ...feed, ids: [uniqueEmail()], type: 'email' };
    expect((await call(f, 'POST', '/v2/notification/send', { token: plainToken, body: { request: { notifications: [email] } } })).status).toBe(403);
    expect((await call(f, 'POST', '/v1/notification/send', { token: plainToken, body: { request: { notifications: [emailV1(uniqueEmail())] } } })).status).toBe(403);
    expect((await call(f, 'POST', '/v1/notification/send/sync', { token: plainToken, body: { request: { notifications: [emailV1(uniqueEmail())] } } })).status).toBe(403);
    expect((await call(f, 'POST', '/v2/notification/send', { body: { request: { notifications: [feed] } } })).status).toBe(401);
    expect((await call(f, 'POST', '/v1/notification/send', { body: { request: { notifications: [emailV1(uniqueEmail())] } } })).status).toBe(401);
  });
});
