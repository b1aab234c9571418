/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- responses are untyped JSON that the assertions walk */
/** The feed routes against real Cassandra: read, update, delete, the private v1 routes User-Org uses, validation and authorisation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;
let owner: string;
let other: string;
let ownerToken: string;
let otherToken: string;

const feedNotification = (ids: string[], title = 'Math') => ({
  ids,
  priority: 1,
  type: 'feed',
  action: {
    type: 'add-member',
    category: 'groups',
    template: { type: 'JSON', ver: '4.2', data: '{"title":"${param1} has been added"}', params: { param1: title } },
    createdBy: { id: 'creator-1', name: 'John', type: 'User' },
    additionalInfo: { group: { id: 'g1', name: 'Test' } },
  },
});

async function addFeed(userId: string, title: string): Promise<void> {
  const res = await call(f, 'POST', '/v2/notification/send', { token: ownerToken, body: { request: { notifications: [feedNotification([userId], title)] } } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function readFeed(userId: string, token: string): Promise<any[]> {
  const res = await call(f, 'GET', `/v1/notification/feed/read/${userId}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result.feeds as any[];
}

beforeAll(async () => {
  f = await startFixture(import.meta.url, { feedLimit: 3 });
  owner = await f.user();
  other = await f.user();
  ownerToken = await f.token(owner);
  otherToken = await f.token(other);
});

afterAll(async () => {
  await f?.close();
});

describe('feed', () => {
  it('reads the own feed, newest first, with the rendered template', async () => {
    await addFeed(owner, 'First');
    await new Promise((r) => setTimeout(r, 5));
    await addFeed(owner, 'Second');
    const feeds = await readFeed(owner, ownerToken);
    expect(feeds.map((e) => JSON.parse(e.action.template.data).title)).toEqual(['Second has been added', 'First has been added']);
    expect(feeds[0]).toMatchObject({ userId: owner, status: 'unread', category: 'groups', priority: 1, createdBy: 'creator-1', version: null });
    expect(feeds[0].action).toMatchObject({ type: 'add-member', template: { type: 'JSON', ver: '4.2' }, additionalInfo: { group: { id: 'g1' } } });
    expect(typeof feeds[0].createdOn).toBe('number');
  });

  it('keeps at most the feed limit, dropping the oldest', async () => {
    const user = await f.user();
    for (const title of ['a', 'b', 'c', 'd']) {
      await addFeed(user, title);
      await new Promise((r) => setTimeout(r, 5));
    }
    const feeds = await readFeed(user, await f.token(user));
    expect(feeds.map((e) => JSON.parse(e.action.template.data).title)).toEqual(['d has been added', 'c has been added', 'b has been added']);
  });

  it('marks entries read and unread', async () => {
    const [entry] = await readFeed(owner, ownerToken);
    let res = await call(f, 'PATCH', '/v1/notification/feed/update', { token: ownerToken, body: { request: { userId: owner, ids: [entry.id] } } });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual({ response: 'SUCCESS' });
    let updated = (await readFeed(owner, ownerToken)).find((e) => e.id === entry.id);
    expect(updated).toMatchObject({ status: 'read', updatedBy: owner });
    expect(typeof updated.updatedOn).toBe('number');
    res = await call(f, 'PATCH', '/v1/notification/feed/update', { token: ownerToken, body: { request: { userId: owner, ids: [entry.id], status: 'unread' } } });
    expect(res.status).toBe(200);
    updated = (await readFeed(owner, ownerToken)).find((e) => e.id === entry.id);
    expect(updated.status).toBe('unread');
  });

  it('answers 404 when none of the ids is in the feed', async () => {
    const res = await call(f, 'PATCH', '/v1/notification/feed/update', { token: ownerToken, body: { request: { userId: owner, ids: ['no-such-entry'] } } });
    expect(res.status).toBe(404);
    expect(res.body.params.err).toBe('INVALID_REQUESTED_DATA');
  });

  it('deletes entries', async () => {
    const before = await readFeed(owner, ownerToken);
    const res = await call(f, 'POST', '/v1/notification/feed/delete', { token: ownerToken, body: { request: { userId: owner, ids: [before[0].id], category: 'groups' } } });
    expect(res.status).toBe(200);
    const after = await readFeed(owner, ownerToken);
    expect(after.map((e) => e.id)).toEqual(before.slice(1).map((e) => e.id));
  });

  it('refuses other users and anonymous callers', async () => {
    expect((await call(f, 'GET', `/v1/notification/feed/read/${owner}`, { token: otherToken })).status).toBe(403);
    expect((await call(f, 'GET', `/v1/notification/feed/read/${owner}`)).status).toBe(401);
    expect((await call(f, 'GET', `/v1/notification/feed/read/${owner}`, { token: await f.token(owner, { foreignKey: true }) })).status).toBe(401);
    const [entry] = await readFeed(owner, ownerToken);
    expect((await call(f, 'PATCH', '/v1/notification/feed/update', { token: otherToken, body: { request: { userId: owner, ids: [entry.id] } } })).status).toBe(403);
    expect((await call(f, 'POST', '/v1/notification/feed/delete', { token: otherToken, body: { request: { userId: owner, ids: [entry.id], category: 'groups' } } })).status).toBe(403);
    expect((await readFeed(owner, ownerToken)).find((e) => e.id === entry.id)).toBeDefined();
  });

  it('validates requests with upstream codes', async () => {
    let res = await call(f, 'PATCH', '/v1/notification/feed/update', { token: ownerToken, body: { request: { userId: owner, ids: [] } } });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err: 'MANDATORY_PARAMETER_MISSING', errmsg: 'Mandatory parameter ids is missing.' });
    res = await call(f, 'PATCH', '/v1/notification/feed/update', { token: ownerToken, body: { request: { ids: ['x'] } } });
    expect(res.status).toBe(400);
    expect(res.body.params.errmsg).toBe('Mandatory parameter userId is missing.');
    res = await call(f, 'POST', '/v1/notification/feed/delete', { token: ownerToken, body: { request: { userId: owner, ids: ['x'] } } });
    expect(res.status).toBe(400);
    expect(res.body.params.errmsg).toBe('Mandatory parameter category is missing.');
    res = await call(f, 'PATCH', '/v1/notification/feed/update', { token: ownerToken, body: { request: { userId: owner, ids: ['x'], status: 'gone' } } });
    expect(res.status).toBe(400);
    res = await call(f, 'PATCH', '/v1/notification/feed/update', { token: ownerToken, rawBody: '{not json' });
    expect(res.status).toBe(400);
  });

  it('serves the v1 feed (User-Org user feed) on the internal port only', async () => {
    const body = { request: { notifications: [{ userId: owner, category: 'user-feed', priority: 1, createdBy: owner, data: { dataValue: 'yes' } }] } };
    expect((await call(f, 'POST', '/private/v2/notification/send', { body })).status).toBe(404);
    const sent = await call(f, 'POST', '/private/v2/notification/send', { body, internal: true });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect((await call(f, 'GET', `/private/v1/notification/feed/read/${owner}`)).status).toBe(404);
    const read = await call(f, 'GET', `/private/v1/notification/feed/read/${owner}`, { internal: true });
    expect(read.status).toBe(200);
    expect(read.body.result.feeds).toHaveLength(1);
    const [entry] = read.body.result.feeds;
    expect(entry).toMatchObject({ userId: owner, category: 'user-feed', priority: 1, createdBy: owner, status: 'unread', data: { dataValue: 'yes' } });
    // v1 entries stay out of the v2 feed, and the other way round.
    expect((await readFeed(owner, ownerToken)).some((e) => e.id === entry.id)).toBe(false);
    const upd = await call(f, 'PATCH', '/private/v1/notification/feed/update', { internal: true, body: { request: { userId: owner, ids: [entry.id] } } });
    expect(upd.status).toBe(200);
    expect((await call(f, 'GET', `/private/v1/notification/feed/read/${owner}`, { internal: true })).body.result.feeds[0].status).toBe('read');
    const del = await call(f, 'POST', '/private/v1/notification/feed/delete', { internal: true, body: { request: { userId: owner, ids: [entry.id], category: 'user-feed' } } });
    expect(del.status).toBe(200);
    expect((await call(f, 'GET', `/private/v1/notification/feed/read/${owner}`, { internal: true })).body.result.feeds).toEqual([]);
  });
});
