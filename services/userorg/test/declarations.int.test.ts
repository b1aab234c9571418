/**
 * Self-declarations against real Cassandra: add / edit / remove as upstream, declared email and
 * phone encrypted at rest, upstream's validation codes, refused callers and unknown users.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeclarationStore } from '../src/declarations/store.ts';
import { userDeclarations } from '../src/declarations/operations.ts';
import { seed, send, startExtras, type ExtrasFixture } from './extras-fixture.ts';

let f: ExtrasFixture;
let store: DeclarationStore;
let tenant: string;
let school: string;
let otherSchool: string;

const body = (declarations: Record<string, unknown>[]) => ({ request: { declarations } });

beforeAll(async () => {
  f = await startExtras(import.meta.url);
  store = new DeclarationStore(f.db);
  tenant = await seed.org(f);
  school = await seed.org(f, { rootOrgId: tenant, externalId: 'UDISE-1', orgName: 'School One' });
  otherSchool = await seed.org(f, { rootOrgId: tenant, externalId: 'UDISE-2', orgName: 'School Two' });
});

afterAll(async () => {
  await f?.close();
});

describe('PATCH /v1/user/declarations', () => {
  it('adds a declaration with the declared email encrypted and the status SUBMITTED', async () => {
    const user = await seed.user(f, { rootOrgId: tenant, orgIds: [tenant, school] });
    const res = await send(f, 'PATCH', '/v1/user/declarations', {
      token: await f.token(user),
      body: body([{ userId: user, orgId: school, persona: 'teacher', operation: 'add', info: { 'declared-email': 'teacher@example.org', 'declared-state': 'Karnataka' } }]),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.user.declarations', result: { response: 'SUCCESS' } });
    const [stored] = await store.list(user);
    expect(stored).toMatchObject({ userId: user, orgId: school, persona: 'teacher', status: 'SUBMITTED', createdBy: user });
    expect(stored!.userInfo['declared-email']).not.toBe('teacher@example.org');
    expect(f.cipher.decrypt(stored!.userInfo['declared-email']!)).toBe('teacher@example.org');
    // The user's school is filled in from their organisation, as upstream does.
    expect(stored!.userInfo['declared-school-udise-code']).toBe('UDISE-1');
    const shown = await userDeclarations({ store, cipher: f.cipher }, user);
    expect(shown).toEqual([expect.objectContaining({ orgId: school, persona: 'teacher', status: 'SUBMITTED', info: expect.objectContaining({ 'declared-email': 'teacher@example.org' }) })]);
  });

  it('keeps the stored email for a masked declared email, edits and removes', async () => {
    const user = await seed.user(f, { rootOrgId: tenant, email: 'owner@example.org' });
    const token = await f.token(user);
    await send(f, 'PATCH', '/v1/user/declarations', { token, body: body([{ userId: user, orgId: school, operation: 'add', info: { 'declared-email': 'ow***@example.org' } }]) });
    const [added] = await store.list(user);
    expect(added!.persona).toBe('default');
    expect(f.cipher.decrypt(added!.userInfo['declared-email']!)).toBe('owner@example.org');

    // Same organisation, another persona: the old persona's declaration is replaced.
    const edit = await send(f, 'PATCH', '/v1/user/declarations', {
      token,
      body: body([{ userId: user, orgId: school, persona: 'volunteer', operation: 'edit', status: 'VALIDATED', info: { 'declared-school-udise-code': 'X1' } }]),
    });
    expect(edit.status).toBe(200);
    const afterEdit = await store.list(user);
    expect(afterEdit).toHaveLength(1);
    expect(afterEdit[0]).toMatchObject({ orgId: school, persona: 'volunteer', status: 'VALIDATED', updatedBy: user });

    const removed = await send(f, 'PATCH', '/v1/user/declarations', { token, body: body([{ userId: user, orgId: school, persona: 'volunteer', operation: 'remove' }]) });
    expect(removed.status).toBe(200);
    expect(await store.list(user)).toEqual([]);
  });

  it.each([
    [{ request: {} }, 'UOS_UDECLUPD0017', 'Mandatory parameter declarations is missing.'],
    [body([]), 'UOS_UDECLUPD0017', 'Mandatory parameter declarations is missing.'],
    [body([{ userId: 'u', orgId: ' ', operation: 'add' }]), 'UOS_UDECLUPD0017', 'Mandatory parameter userId or orgId is missing.'],
    [body([{ orgId: 'o', operation: 'add' }]), 'UOS_UDECLUPD0017', 'Mandatory parameter userId or orgId is missing.'],
    [body([{ userId: 'u', orgId: 'o' }]), 'UOS_UDECLUPD0027', 'Operation name is invalid. Please provide a valid operation name'],
    [body([{ userId: 'u', orgId: 'o', operation: 'replace' }]), 'UOS_UDECLUPD0027', 'Operation name is invalid. Please provide a valid operation name'],
    [body([{ userId: 'u', orgId: 'o', operation: 'add', info: { 'declared-phone': 9876543210 } }]), 'UOS_UDECLUPD0017', 'Data type of declared-phone should be string.'],
  ])('refuses %j with upstream’s code', async (request, err, errmsg) => {
    const user = await seed.user(f, { rootOrgId: tenant });
    const res = await send(f, 'PATCH', '/v1/user/declarations', { token: await f.token(user), body: request });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err, errmsg });
  });

  it('refuses the custodian or an unknown organisation, and entries for another user', async () => {
    const custodian = await seed.org(f);
    await seed.setting(f, 'custodianOrgId', custodian);
    const user = await seed.user(f, { rootOrgId: tenant });
    const token = await f.token(user);
    for (const orgId of [custodian, randomUUID()]) {
      const res = await send(f, 'PATCH', '/v1/user/declarations', { token, body: body([{ userId: user, orgId, operation: 'add' }]) });
      expect(res.status).toBe(400);
      expect(res.body.params).toMatchObject({ err: 'UOS_UDECLUPD0019', errmsg: 'Please provide valid organisationid.' });
    }
    const victim = await seed.user(f, { rootOrgId: tenant });
    const mixed = await send(f, 'PATCH', '/v1/user/declarations', {
      token,
      body: body([
        { userId: user, orgId: school, operation: 'add' },
        { userId: victim, orgId: otherSchool, operation: 'add' },
      ]),
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.params.err).toBe('UOS_UDECLUPD0017');
    expect(await store.list(victim)).toEqual([]);
  });

  it('refuses declarations for someone else (403), even by an administrator, and needs a token (401)', async () => {
    const user = await seed.user(f, { rootOrgId: tenant });
    const admin = await seed.user(f, { rootOrgId: tenant });
    await seed.grant(f, admin, 'ORG_ADMIN', [tenant]);
    const request = body([{ userId: user, orgId: school, operation: 'add' }]);
    const res = await send(f, 'PATCH', '/v1/user/declarations', { token: await f.token(admin), body: request });
    expect(res.status).toBe(403);
    expect((await send(f, 'PATCH', '/v1/user/declarations', { body: request })).status).toBe(401);
    expect(await store.list(user)).toEqual([]);
  });

  it('answers 404 for a caller without a user record and 0073 for a deleted user', async () => {
    const ghost = randomUUID();
    const missing = await send(f, 'PATCH', '/v1/user/declarations', { token: await f.token(ghost), body: body([{ userId: ghost, orgId: school, operation: 'add' }]) });
    expect(missing.status).toBe(404);
    expect(missing.body.params.err).toBe('UOS_UDECLUPD0013');
    const parent = await seed.user(f, { rootOrgId: tenant });
    const deleted = await seed.user(f, { rootOrgId: tenant, managedBy: parent, isDeleted: true });
    const res = await send(f, 'PATCH', '/v1/user/declarations', {
      token: await f.token(parent),
      forToken: await f.token(deleted, { parentId: parent }),
      body: body([{ userId: deleted, orgId: school, operation: 'add' }]),
    });
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err: 'UOS_UDECLUPD0073', errmsg: 'User is Inactive. Please make it active to proceed.' });
  });
});
