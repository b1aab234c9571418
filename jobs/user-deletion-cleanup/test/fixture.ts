/**
 * The deletion job's integration fixture: User-Org's and the job's migrations applied to isolated
 * names, users seeded through User-Org's own store (so rows, sealed values and lookup hashes are
 * exactly what the service writes), and a snapshot of everything the job may touch.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import {
  callerCacheKey,
  createCassandra,
  createKafka,
  createRedis,
  createSearch,
  discoverComponents,
  loadConfig,
  migrateCassandra,
  migrateKafka,
  migrateSearch,
  repoRoot,
  type CassandraConnector,
  type KafkaConnector,
  type RedisConnector,
  type SearchConnector,
} from '@lern/kit';
import { createPiiCipher, INDEX, userCacheKey, UserOrgStore } from '@lern/userorg';
import { deleteSuiteTopics, suiteEnv } from '../../kit/test/helpers.ts';

type UserRecord = Parameters<UserOrgStore['users']['put']>[0];

/** What a suite works with. */
export interface Fixture {
  env: Record<string, string>;
  names: Awaited<ReturnType<typeof suiteEnv>>['names'];
  db: CassandraConnector;
  redis: RedisConnector;
  search: SearchConnector;
  kafka: KafkaConnector;
  store: UserOrgStore;
  close(): Promise<void>;
}

/** A seeded user and the identifiers it holds. */
export interface SeededUser {
  id: string;
  email: string | null;
  phone: string | null;
  userName: string | null;
  externalId: { id: string; idType: string; provider: string } | null;
  orgIds: string[];
}

export async function startFixture(fileUrl: string): Promise<Fixture> {
  const suite = await suiteEnv(fileUrl, ['cassandra', 'redis', 'kafka', 'elasticsearch']);
  const { names } = suite;
  const env = {
    ...suite.env,
    LERN_CASSANDRA_KEYSPACE_PREFIX: `${names.keyspace}_`,
    LERN_SEARCH_INDEX_PREFIX: `${names.index}-`,
    LERN_SEARCH_ENGINE: 'elasticsearch',
    LERN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  const config = loadConfig(env);
  const components = await discoverComponents(repoRoot(), { services: ['userorg'], jobs: ['user-deletion-cleanup'] });
  await migrateCassandra({ config, components });
  await migrateSearch({ config, components });
  await migrateKafka({ config, components });
  const db = createCassandra(config.cassandra);
  const redis = createRedis(config.redis);
  const search = createSearch(config.search);
  const kafka = createKafka(config.kafka);
  return {
    env,
    names,
    db,
    redis,
    search,
    kafka,
    store: new UserOrgStore(db, createPiiCipher(env.LERN_ENCRYPTION_KEY)),
    async close() {
      await deleteSuiteTopics(kafka, names.topic, names.id);
      await search.request('DELETE', `/${names.index}-*`).catch(() => undefined);
      await db.execute(`DROP KEYSPACE IF EXISTS "${db.keyspace('sunbird')}"`, [], { prepare: false }).catch(() => undefined);
      await Promise.allSettled([db.close(), redis.close(), search.close(), kafka.close()]);
    },
  };
}

const hex = (n: number): string => randomBytes(n).toString('hex');

/** Seeds a user as User-Org writes one: row, lookups, external identity, memberships, search document and cached entries. */
export async function seedUser(f: Fixture, options: { rootOrgId: string; orgIds: string[]; managedBy?: string | null; contacts?: boolean; status?: number }): Promise<SeededUser> {
  const id = randomUUID();
  const contacts = options.contacts ?? true;
  const seeded: SeededUser = {
    id,
    email: contacts ? `u${hex(4)}@example.com` : null,
    phone: contacts ? `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}` : null,
    userName: `user_${hex(4)}`,
    externalId: contacts ? { id: `E-${hex(3)}`, idType: 'emp', provider: 'State' } : null,
    orgIds: options.orgIds,
  };
  const record: UserRecord = {
    id, firstName: 'Ann', lastName: 'Lee', userName: seeded.userName, email: seeded.email, phone: seeded.phone, emailVerified: true, phoneVerified: false,
    countryCode: '+91', recoveryEmail: null, recoveryPhone: null, dob: '1990-01-01', gender: null, language: [], subject: [], channel: 'ch', rootOrgId: options.rootOrgId,
    status: options.status ?? 2, isDeleted: (options.status ?? 2) === 2, roles: ['PUBLIC'], userType: null, userSubType: null, profileUserTypes: [], profileLocation: [],
    profileDetails: null, locationIds: [], framework: {}, managedBy: options.managedBy ?? null, flagsValue: 0, tncAcceptedOn: null, tncAcceptedVersion: null,
    createdBy: null, createdDate: '2025-01-01 00:00:00:000+0000', updatedBy: null, updatedDate: null,
  };
  const u = f.store.unique;
  await f.store.users.put(record);
  const claims = [
    seeded.email && u.userValue('email', seeded.email),
    seeded.phone && u.userValue('phone', seeded.phone),
    seeded.userName && u.userValue('username', seeded.userName),
    seeded.externalId && u.userValue('externalid', `${seeded.externalId.provider}:${seeded.externalId.idType}:${seeded.externalId.id}`),
  ].filter((v) => typeof v === 'object' && v !== null);
  for (const claim of claims) expect(await u.reserve(claim, id)).toBe('reserved');
  if (seeded.externalId) await f.store.users.putExternalIdentity(id, seeded.externalId, null);
  for (const organisationId of options.orgIds) {
    await f.store.users.putMembership({ userId: id, organisationId, roles: ['PUBLIC'], associationType: 1, isDeleted: false, orgJoinDate: '2025-01-01 00:00:00:000+0000', addedBy: null, updatedBy: null, updatedDate: null });
  }
  await f.search.index(INDEX.user, id, { id, userId: id, firstName: 'Ann', rootOrgId: options.rootOrgId }, { refresh: true });
  await f.redis.client.set(userCacheKey(id), '{"id":"cached"}', 'EX', 600);
  await f.redis.client.set(callerCacheKey(id), '{"status":"active","grants":[]}', 'EX', 600);
  return seeded;
}

/** The lookup owners of a user's identifiers, by kind (null: free). */
export async function lookupOwners(f: Fixture, user: SeededUser): Promise<Record<string, string | null>> {
  const u = f.store.unique;
  const out: Record<string, string | null> = {};
  if (user.email) out.email = await u.owner(u.userValue('email', user.email));
  if (user.phone) out.phone = await u.owner(u.userValue('phone', user.phone));
  if (user.userName) out.username = await u.owner(u.userValue('username', user.userName));
  if (user.externalId) out.externalid = await u.owner(u.userValue('externalid', `${user.externalId.provider}:${user.externalId.idType}:${user.externalId.id}`));
  return out;
}

/** Everything the job may touch about users, as comparable JSON. */
export async function snapshot(f: Fixture, users: SeededUser[]): Promise<string> {
  const t = (name: string): string => f.db.table('sunbird', name);
  const rows = async (cql: string, params: unknown[]) => (await f.db.execute(cql, params)).rows.map((r) => Object.fromEntries(r.keys().map((k) => [k, r.get(k) as unknown])));
  const out: unknown[] = [];
  for (const user of users) {
    out.push({
      user: await rows(`SELECT * FROM ${t('user')} WHERE id = ?`, [user.id]),
      memberships: await rows(`SELECT * FROM ${t('user_organisation')} WHERE userid = ?`, [user.id]),
      identities: await rows(`SELECT * FROM ${t('usr_external_identity')} WHERE userid = ?`, [user.id]),
      lookups: await lookupOwners(f, user),
      indexed: (await f.search.get(INDEX.user, user.id)) !== null,
      cached: [await f.redis.client.exists(userCacheKey(user.id)), await f.redis.client.exists(callerCacheKey(user.id))],
    });
  }
  return JSON.stringify(out);
}
