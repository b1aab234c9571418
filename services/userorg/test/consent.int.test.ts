/**
 * Consent routes against real Cassandra and Redis: update by the user, read by the user or an
 * administrator of the consumer organisation, upstream's validation codes and 404.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, send, startExtras, type ExtrasFixture } from './extras-fixture.ts';

let f: ExtrasFixture;
let tenant: string;
let user: string;
let userToken: string;

const update = (consent: Record<string, unknown>) => ({ request: { consent } });
const read = (filters: Record<string, unknown>) => ({ request: { consent: { filters } } });

beforeAll(async () => {
  f = await startExtras(import.meta.url);
  tenant = await seed.org(f);
  user = await seed.user(f, { rootOrgId: tenant });
  userToken = await f.token(user);
});

afterAll(async () => {
  await f?.close();
});

describe('POST /v1/user/consent/update', () => {
  it('records a consent and answers upstream’s message', async () => {
    const res = await send(f, 'POST', '/v1/user/consent/update', {
      token: userToken,
      body: update({ userId: user, consumerId: tenant, objectId: tenant, objectType: 'Organisation', status: 'ACTIVE' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('api.user.consent.update');
    expect(res.body.result).toEqual({ consent: { userId: user }, message: 'User Consent updated successfully.' });
    const row = (await f.db.execute(`SELECT * FROM ${f.db.table('sunbird', 'user_consent')} WHERE user_id = ? AND consumer_id = ? AND object_id = ?`, [user, tenant, tenant], { prepare: true })).first();
    expect(row?.status).toBe('ACTIVE');
    expect(row?.consumer_type).toBe('ORGANISATION');
    expect(row?.id).toBe(`usr-consent:${user}:${tenant}:${tenant}`);
    const expiry = (row?.expiry as Date).getTime();
    // Upstream's default lifetime: 100 days.
    expect(Math.round((expiry - Date.now()) / 86_400_000)).toBe(100);
  });

  it('keeps the creation date when the consent is revoked', async () => {
    const objectId = `do_${randomUUID()}`;
    const body = (status: string) => update({ userId: user, consumerId: tenant, objectId, objectType: 'Collection', status });
    expect((await send(f, 'POST', '/v1/user/consent/update', { token: userToken, body: body('ACTIVE') })).status).toBe(200);
    const first = (await f.db.execute(`SELECT created_on FROM ${f.db.table('sunbird', 'user_consent')} WHERE user_id = ? AND consumer_id = ? AND object_id = ?`, [user, tenant, objectId], { prepare: true })).first();
    expect((await send(f, 'POST', '/v1/user/consent/update', { token: userToken, body: body('REVOKED') })).status).toBe(200);
    const res = await send(f, 'POST', '/v1/user/consent/read', { token: userToken, body: read({ userId: user, consumerId: tenant, objectId }) });
    expect(res.status).toBe(200);
    expect(res.body.result.consents).toHaveLength(1);
    expect(res.body.result.consents[0]).toMatchObject({ userId: user, consumerId: tenant, objectId, objectType: 'Collection', status: 'REVOKED', consumerType: 'ORGANISATION' });
    expect(res.body.result.consents[0].createdOn).toBe((first?.created_on as Date).toISOString());
  });

  it.each([
    [{ consumerId: 'x', objectId: 'y', objectType: 'Organisation', status: 'ACTIVE' }, 'UOS_UCNSNTUPD0030', 'Mandatory parameter userId is missing.'],
    [{ userId: 'u', consumerId: ' ', objectId: 'y', objectType: 'Organisation', status: 'ACTIVE' }, 'UOS_UCNSNTUPD0030', 'Mandatory parameter consumerId is missing.'],
    [{ userId: 'u', consumerId: 'x', objectId: 'y', status: 'ACTIVE' }, 'UOS_UCNSNTUPD0030', 'Mandatory parameter objectType is missing.'],
    [{ userId: 'u', consumerId: 'x', objectId: 'y', objectType: 'Organisation' }, 'UOS_UCNSNTUPD0030', 'Mandatory parameter status is missing.'],
    [{ userId: 'u', consumerId: 'x', objectId: 'y', objectType: 'Organisation', status: 'PAUSED' }, 'UOS_UCNSNTUPD0026', 'Consent status is invalid'],
  ])('refuses %j with upstream’s code', async (consent, err, errmsg) => {
    const res = await send(f, 'POST', '/v1/user/consent/update', { token: userToken, body: update(consent) });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err, errmsg, status: 'FAILED' });
    expect(res.body.responseCode).toBe('CLIENT_ERROR');
  });

  it('refuses an unknown or custodian consumer organisation (0019)', async () => {
    const custodian = await seed.org(f);
    await seed.setting(f, 'custodianOrgId', custodian);
    for (const consumerId of [randomUUID(), custodian]) {
      const res = await send(f, 'POST', '/v1/user/consent/update', { token: userToken, body: update({ userId: user, consumerId, objectId: consumerId, objectType: 'Organisation', status: 'ACTIVE' }) });
      expect(res.status).toBe(400);
      expect(res.body.params).toMatchObject({ err: 'UOS_UCNSNTUPD0019', errmsg: 'Please provide valid organisationid.' });
    }
  });

  it('needs a token (401) and refuses a consent for someone else (403), even from an administrator', async () => {
    const body = update({ userId: user, consumerId: tenant, objectId: tenant, objectType: 'Organisation', status: 'ACTIVE' });
    const anonymous = await send(f, 'POST', '/v1/user/consent/update', { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.params.err).toBe('UOS_0070');
    const admin = await seed.user(f, { rootOrgId: tenant });
    await seed.grant(f, admin, 'ORG_ADMIN', [tenant]);
    const res = await send(f, 'POST', '/v1/user/consent/update', { token: await f.token(admin), body });
    expect(res.status).toBe(403);
    expect(res.body.params.err).toBe('UOS_0071');
  });
});

describe('POST /v1/user/consent/read and /v2/user/consent/read', () => {
  it('shows the consent to an administrator of the consumer organisation, not to one of another', async () => {
    const consumer = await seed.org(f);
    await send(f, 'POST', '/v1/user/consent/update', { token: userToken, body: update({ userId: user, consumerId: consumer, objectId: consumer, objectType: 'Organisation', status: 'ACTIVE' }) });
    const admin = await seed.user(f, { rootOrgId: consumer });
    await seed.grant(f, admin, 'ORG_ADMIN', [consumer]);
    const res = await send(f, 'POST', '/v2/user/consent/read', { token: await f.token(admin), body: read({ userId: user, consumerId: consumer, objectId: consumer }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.user.consent.read', ver: 'v2' });
    expect(res.body.result.consents[0]).toMatchObject({ userId: user, consumerId: consumer, status: 'ACTIVE', objectType: 'Organisation' });

    const otherTenant = await seed.org(f);
    const stranger = await seed.user(f, { rootOrgId: otherTenant });
    await seed.grant(f, stranger, 'ORG_ADMIN', [otherTenant]);
    const refused = await send(f, 'POST', '/v1/user/consent/read', { token: await f.token(stranger), body: read({ userId: user, consumerId: consumer, objectId: consumer }) });
    expect(refused.status).toBe(403);
    const plain = await send(f, 'POST', '/v1/user/consent/read', { token: await f.token(await seed.user(f)), body: read({ userId: user, consumerId: consumer, objectId: consumer }) });
    expect(plain.status).toBe(403);
  });

  it('answers 404 for no consent and for a deleted one', async () => {
    const none = await send(f, 'POST', '/v1/user/consent/read', { token: userToken, body: read({ userId: user, consumerId: tenant, objectId: 'never' }) });
    expect(none.status).toBe(404);
    expect(none.body.params).toMatchObject({ err: 'UOS_UCNSTRED0013', errmsg: 'Requested user consent resource not found' });
    await send(f, 'POST', '/v1/user/consent/update', { token: userToken, body: update({ userId: user, consumerId: tenant, objectId: 'gone', objectType: 'Collection', status: 'DELETED' }) });
    const deleted = await send(f, 'POST', '/v1/user/consent/read', { token: userToken, body: read({ userId: user, consumerId: tenant, objectId: 'gone' }) });
    expect(deleted.status).toBe(404);
  });

  it('validates the filters with upstream’s codes', async () => {
    const res = await send(f, 'POST', '/v1/user/consent/read', { token: userToken, body: read({ userId: user, consumerId: tenant }) });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err: 'UOS_UCNSTRED0030', errmsg: 'Mandatory parameter objectId is missing.' });
    const notJson = await send(f, 'POST', '/v1/user/consent/read', { token: userToken, payload: '[1]', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.params.err).toBe('UOS_0028');
  });
});
