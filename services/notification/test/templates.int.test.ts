/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call -- responses are untyped JSON that the assertions walk */
/** Template routes against real Cassandra, and a feed send rendered with an action's stored template. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;
let sysToken: string;
let adminToken: string;
let plainToken: string;
const schema = JSON.stringify({ type: 'object', properties: { param1: { type: 'string' } }, required: ['param1'] });
const newId = () => `tpl-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  sysToken = await f.token(await f.user({ SYSTEM_ADMINISTRATION: ['*'] }));
  adminToken = await f.token(await f.user({ ORG_ADMIN: ['org-a'] }));
  plainToken = await f.token(await f.user());
});

afterAll(async () => {
  await f?.close();
});

describe('templates', () => {
  it('creates, lists, updates, maps to an action, reads by action and deletes', async () => {
    const templateId = newId();
    const action = `act-${randomBytes(3).toString('hex')}`;
    let res = await call(f, 'POST', '/v1/notification/template/create', { token: sysToken, body: { request: { templateId, data: '{"title":"${param1} joined"}', template_schema: schema, type: 'JSON', ver: '4.4.0', config: { test: '1' } } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toEqual({ response: 'SUCCESS' });
    res = await call(f, 'POST', '/v1/notification/template/create', { token: sysToken, body: { request: { templateId, data: 'x', template_schema: schema, type: 'JSON' } } });
    expect(res.status).toBe(409);
    res = await call(f, 'GET', '/v1/notification/template/list', { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body.result.templates.find((t: any) => t.templateId === templateId)).toMatchObject({ type: 'JSON', ver: '4.4.0', config: { test: '1' }, template_schema: schema });
    res = await call(f, 'PATCH', '/v1/notification/template/update', { token: sysToken, body: { request: { templateId, data: '{"title":"${param1} has joined ${param2}"}' } } });
    expect(res.status).toBe(200);
    res = await call(f, 'PATCH', '/v1/notification/template/action/update', { token: sysToken, body: { request: { action, templateId, type: 'JSON' } } });
    expect(res.status).toBe(200);
    res = await call(f, 'GET', `/v1/notification/template/${action}`, { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({ action, type: 'JSON', template: { templateId, data: '{"title":"${param1} has joined ${param2}"}', ver: '4.4.0' } });
    expect(typeof res.body.result.template.lastUpdatedOn).toBe('number');

    // A feed notification of that action without its own template text is rendered with the stored one.
    const user = await f.user();
    res = await call(f, 'POST', '/v2/notification/send', {
      token: plainToken,
      body: { request: { notifications: [{ ids: [user], priority: 1, type: 'feed', action: { type: action, category: 'groups', template: { type: 'JSON', params: { param1: 'Asha', param2: 'Maths' } }, createdBy: { id: 'u1' } } }] } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const feed = await call(f, 'GET', `/v1/notification/feed/read/${user}`, { token: await f.token(user) });
    expect(feed.body.result.feeds[0].action.template).toEqual({ ver: '4.4.0', type: 'JSON', data: '{"title":"Asha has joined Maths"}' });

    res = await call(f, 'POST', '/v1/notification/template/delete', { token: sysToken, body: { request: { templateId } } });
    expect(res.status).toBe(200);
    expect((await call(f, 'GET', `/v1/notification/template/${action}`, { token: adminToken })).status).toBe(404);
  });

  it('answers 404 for unknown templates and actions', async () => {
    const res = await call(f, 'GET', '/v1/notification/template/no-such-action', { token: adminToken });
    expect(res.status).toBe(404);
    expect(res.body.params).toMatchObject({ err: 'TEMPLATE_NOT_FOUND', errmsg: 'Template is not pre configured for no-such-action type' });
    expect((await call(f, 'PATCH', '/v1/notification/template/update', { token: sysToken, body: { request: { templateId: newId(), data: 'x' } } })).status).toBe(404);
    expect((await call(f, 'PATCH', '/v1/notification/template/action/update', { token: sysToken, body: { request: { action: 'a', templateId: newId(), type: 'JSON' } } })).status).toBe(404);
  });

  it('validates with INVALID_REQUESTED_DATA', async () => {
    for (const field of ['templateId', 'data', 'template_schema', 'type']) {
      const request: Record<string, unknown> = { templateId: newId(), data: 'd', template_schema: schema, type: 'xml' };
      delete request[field];
      const res = await call(f, 'POST', '/v1/notification/template/create', { token: sysToken, body: { request } });
      expect(res.status).toBe(400);
      expect(res.body.params).toMatchObject({ err: 'INVALID_REQUESTED_DATA', errmsg: `Mandatory parameter ${field} is missing` });
    }
    const res = await call(f, 'POST', '/v1/notification/template/create', { token: sysToken, body: { request: { templateId: newId(), data: 'd', template_schema: 'not json', type: 'xml' } } });
    expect(res.status).toBe(400);
    expect(res.body.params.errmsg).toBe('template_schema is not valid JSON');
  });

  it('lets only system administrators change templates', async () => {
    const body = { request: { templateId: newId(), data: 'd', template_schema: schema, type: 'xml' } };
    expect((await call(f, 'POST', '/v1/notification/template/create', { token: adminToken, body })).status).toBe(403);
    expect((await call(f, 'POST', '/v1/notification/template/create', { token: plainToken, body })).status).toBe(403);
    expect((await call(f, 'POST', '/v1/notification/template/create', { body })).status).toBe(401);
    expect((await call(f, 'GET', '/v1/notification/template/list', { token: plainToken })).status).toBe(403);
  });
});
