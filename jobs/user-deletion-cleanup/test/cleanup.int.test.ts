/**
 * user-deletion-cleanup against real Cassandra, Elasticsearch, Redis and Kafka: the instruction
 * User-Org publishes cleans the user and the users they manage; a replay of the batch changes
 * nothing; malformed or inconsistent instructions are dead-lettered while the partition proceeds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerCacheKey, sunbirdTimestamp } from '@lern/kit';
import { runJob, type RunningJob } from '@lern/job-kit';
import { DELETE_USER_TOPIC, INDEX, toDeleteUserEvent, userCacheKey } from '@lern/userorg';
import { job } from '../src/index.ts';
import { eventually, metricValue, readAll } from '../../kit/test/helpers.ts';
import { lookupOwners, seedUser, snapshot, startFixture, type Fixture, type SeededUser } from './fixture.ts';

let f: Fixture;
let running: RunningJob | undefined;
const rootOrgId = 'org-root-1';
const subOrgId = 'org-sub-1';
const ets = 1_767_000_000_000;
let user: SeededUser;
let managed: SeededUser;
let stranger: SeededUser;
let bystander: SeededUser;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  user = await seedUser(f, { rootOrgId, orgIds: [rootOrgId, subOrgId] });
  managed = await seedUser(f, { rootOrgId, orgIds: [rootOrgId], managedBy: user.id, contacts: false, status: 1 });
  stranger = await seedUser(f, { rootOrgId, orgIds: [rootOrgId], managedBy: 'someone-else', status: 1 });
  bystander = await seedUser(f, { rootOrgId, orgIds: [rootOrgId], status: 1 });
});

afterAll(async () => {
  await running?.stop();
  await f?.close();
});

const start = async (): Promise<RunningJob> => (running = await runJob(job, f.env, { port: 0, signals: false }));
const metric = async (name: string, labels: Record<string, string> = {}): Promise<number> => metricValue(await (await fetch(`${running!.url}/metrics`)).text(), name, labels);
const instruction = (u: SeededUser, extra: { managedUsers?: string[]; rootOrgId?: string } = {}) =>
  toDeleteUserEvent({ userId: u.id, rootOrgId: extra.rootOrgId ?? rootOrgId, userName: u.userName, suggestedUsers: [], managedUsers: extra.managedUsers ?? [], ets });

describe('user-deletion-cleanup', () => {
  it('removes lookups, identities, memberships, personal data, the search document and cached entries', async () => {
    const event = instruction(user, { managedUsers: [managed.id, stranger.id] });
    await f.kafka.send(DELETE_USER_TOPIC, [{ key: event.key, value: event.value }]);
    await start();
    await eventually(async () => ((await metric('lern_job_events_processed_total')) === 1 ? true : undefined), 60_000, 'instruction processed');

    // The identifiers are free again.
    expect(await lookupOwners(f, user)).toEqual({ email: null, phone: null, username: null, externalid: null });
    expect((await f.db.execute(`SELECT * FROM ${f.db.table('sunbird', 'usr_external_identity')} WHERE userid = ?`, [user.id])).rowLength).toBe(0);
    // The row keeps who it was (id, organisation) but no personal data, and says deleted.
    const row = (await f.db.execute(`SELECT * FROM ${f.db.table('sunbird', 'user')} WHERE id = ?`, [user.id])).first();
    expect({ status: row.get('status'), isdeleted: row.get('isdeleted'), rootorgid: row.get('rootorgid') }).toEqual({ status: 2, isdeleted: true, rootorgid: rootOrgId });
    for (const column of ['email', 'phone', 'maskedemail', 'maskedphone', 'username', 'firstname', 'lastname', 'dob']) expect(row.get(column), column).toBeNull();
    const memberships = await f.store.users.memberships(user.id);
    expect(memberships.map((m) => [m.organisationId, m.isDeleted]).sort()).toEqual([[rootOrgId, true], [subOrgId, true]]);
    const left = (await f.db.execute(`SELECT orgleftdate FROM ${f.db.table('sunbird', 'user_organisation')} WHERE userid = ?`, [user.id])).rows.map((r) => r.get('orgleftdate') as unknown);
    expect(left).toEqual([sunbirdTimestamp(new Date(ets)), sunbirdTimestamp(new Date(ets))]);
    expect(await f.search.get(INDEX.user, user.id)).toBeNull();
    expect(await f.redis.client.exists(userCacheKey(user.id), callerCacheKey(user.id))).toBe(0);

    // The managed user is cleaned the same way; a listed user managed by someone else is not.
    expect(await lookupOwners(f, managed)).toEqual({ username: null });
    expect((await f.store.users.get(managed.id))!.status).toBe(2);
    expect(await f.search.get(INDEX.user, managed.id)).toBeNull();
    expect(await lookupOwners(f, stranger)).toEqual({ email: stranger.id, phone: stranger.id, username: stranger.id, externalid: stranger.id });
    expect((await f.store.users.get(stranger.id))!.status).toBe(1);
    expect(await f.search.get(INDEX.user, stranger.id)).not.toBeNull();
    expect(await f.redis.client.exists(userCacheKey(stranger.id))).toBe(1);
    expect(await lookupOwners(f, bystander)).toEqual({ email: bystander.id, phone: bystander.id, username: bystander.id, externalid: bystander.id });

    // One AUDIT event per cleaned user.
    const audits = (await readAll(f.kafka, 'telemetry.audit')).map((m) => JSON.parse(m.value!.toString()) as { eid: string; object: { id: string }; edata: { type: string } });
    expect(audits.map((a) => a.object.id).sort()).toEqual([user.id, managed.id].sort());
    expect(audits.every((a) => a.eid === 'AUDIT' && a.edata.type === 'DeleteUserStatus')).toBe(true);
  });

  it('a replayed batch leaves every store unchanged and sends no second audit event', async () => {
    const before = await snapshot(f, [user, managed, stranger, bystander]);
    const groupId = running!.groupId;
    await running!.stop();
    // Replay: the group starts over from the first offset, as after a crash before any commit.
    const admin = await f.kafka.admin();
    await admin.resetOffsets({ groupId, topic: f.kafka.topic(DELETE_USER_TOPIC), earliest: true });
    await start();
    await eventually(async () => ((await metric('lern_job_events_processed_total')) === 1 ? true : undefined), 60_000, 'instruction processed again');
    expect(await snapshot(f, [user, managed, stranger, bystander])).toBe(before);
    expect(await readAll(f.kafka, 'telemetry.audit')).toHaveLength(2);
    expect(await metric('lern_job_events_dead_lettered_total')).toBe(0);
  });

  it('dead-letters a malformed or inconsistent instruction and goes on with the next one', async () => {
    const wrongOrg = instruction(bystander, { rootOrgId: 'org-of-someone-else' });
    const next = await seedUser(f, { rootOrgId, orgIds: [rootOrgId] });
    const good = instruction(next);
    await f.kafka.send(DELETE_USER_TOPIC, [
      { key: 'bad', value: { eid: 'BE_JOB_REQUEST', edata: { action: 'delete-user' } } },
      { key: wrongOrg.key, value: wrongOrg.value },
      { key: good.key, value: good.value },
    ]);
    await eventually(async () => ((await lookupOwners(f, next)).email === null ? true : undefined), 60_000, 'next instruction processed');
    const letters = await readAll(f.kafka, 'delete.user.failed');
    expect(letters.map((m) => m.headers!['lern-error']!.toString())).toEqual([
      'not a delete.user instruction: edata.userId is missing or not an id',
      'organisationId org-of-someone-else is not the user\'s root organisation',
    ]);
    expect(JSON.parse(letters[1]!.value!.toString())).toEqual(JSON.parse(JSON.stringify(wrongOrg.value)));
    // The bystander named in the inconsistent instruction was left alone.
    expect(await lookupOwners(f, bystander)).toEqual({ email: bystander.id, phone: bystander.id, username: bystander.id, externalid: bystander.id });
  });
});
