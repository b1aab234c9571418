/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * Fixture of the LMS integration suites: isolated keyspace, index, topic and Redis names; User-Org's
 * Cassandra migrations (the kit resolves callers from the shared `sunbird` keyspace) and LMS's
 * migrations applied with the kit's runners; the app built with createApp and exercised with
 * app.inject; an RSA key the suite signs its tokens with; users, organisations and grants seeded
 * straight into the `sunbird` tables.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import {
  createApp,
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
  type LernApp,
  type LernConfig,
  type RedisConnector,
  type SearchConnector,
} from '@lern/kit';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createLmsService, type LmsServiceOptions } from '../src/index.ts';

/** Issuer the suites' tokens carry. */
export const ISSUER = 'http://127.0.0.1/auth/realms/sunbird';

/** The collection mimeType. */
export const COLLECTION = 'application/vnd.ekstep.content-collection';

/** Everything a suite needs. */
export interface Fixture {
  app: LernApp;
  config: LernConfig;
  env: Record<string, string>;
  names: ReturnType<typeof testNames>;
  db: CassandraConnector;
  redis: RedisConnector;
  search: SearchConnector;
  kafka: KafkaConnector;
  /** Signs a token for the user (valid 1 hour). */
  token(userId: string): Promise<string>;
  /** A user row in `sunbird.user` (active unless told). */
  seedUser(user: { id?: string; rootOrgId?: string | null; status?: number; deleted?: boolean }): Promise<string>;
  /** An organisation row; a root organisation unless `rootOrgId` names another. */
  seedOrg(org?: { id?: string; rootOrgId?: string }): Promise<string>;
  /** Grants a role in organisations (or '*') in `sunbird.user_roles`. */
  grant(userId: string, role: string, orgIds: string[]): Promise<void>;
  /** A user with a token holding `role` in `orgIds` (seeded under `rootOrgId`). */
  caller(role: string | null, orgIds: string[], rootOrgId?: string | null): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/** A random id with a readable prefix. */
export const uid = (prefix: string): string => `${prefix}_${randomBytes(6).toString('hex')}`;

/** Starts the servers, migrates isolated names and builds the app. */
export async function startFixture(fileUrl: string, options: LmsServiceOptions = {}, engine: 'elasticsearch' | 'opensearch' = 'elasticsearch'): Promise<Fixture> {
  const servers = await requireServers(['cassandra', 'redis', 'kafka', 'postgres', engine]);
  const names = testNames(fileUrl);
  const keysDir = await mkdtemp(join(tmpdir(), 'lms-keys-'));
  const kid = 'test-key';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(keysDir, kid), await exportSPKI(publicKey));
  const env: Record<string, string> = {
    ...servers,
    LERN_CASSANDRA_KEYSPACE_PREFIX: `${names.keyspace}_`,
    LERN_SEARCH_INDEX_PREFIX: `${names.index}-`,
    LERN_KAFKA_TOPIC_PREFIX: names.topic,
    LERN_SEARCH_ENGINE: engine,
    LERN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LERN_AUTH_KEYS_DIR: keysDir,
    LERN_AUTH_ISSUER: ISSUER,
    LERN_LOG_LEVEL: 'warn',
  };
  const config = loadConfig(env);
  const [userorg, lms] = await discoverComponents(repoRoot(), { services: ['userorg', 'lms'] });
  // The kit reads callers from User-Org's `sunbird` tables; only LMS's index and topics are needed.
  await migrateCassandra({ config, components: [userorg!, lms!] });
  await migrateSearch({ config, components: [lms!] });
  await migrateKafka({ config, components: [lms!] });
  const service = createLmsService({ refreshIndex: true, consumeCourseStructures: false, cachePrefix: names.redisPrefix, ...options });
  const app = await createApp({ service, config, logger: false });
  await app.ready();
  const db = createCassandra(config.cassandra);
  const redis = createRedis(config.redis);
  const search = createSearch(config.search);
  const kafka = createKafka(config.kafka, { clientId: `test-${names.id}` });
  const users = db.table('sunbird', 'user');
  const fixture: Fixture = {
    app,
    config,
    env,
    names,
    db,
    redis,
    search,
    kafka,
    async token(userId) {
      return new SignJWT({ typ: 'Bearer' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(ISSUER)
        .setSubject(`f:${randomUUID()}:${userId}`)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
        .sign(privateKey);
    },
    async seedUser(user) {
      const id = user.id ?? randomUUID();
      await db.execute(`INSERT INTO ${users} (id, userid, firstname, rootorgid, status, isdeleted) VALUES (?, ?, ?, ?, ?, ?)`, [
        id,
        id,
        'Test',
        user.rootOrgId ?? null,
        user.status ?? 1,
        user.deleted ?? false,
      ]);
      return id;
    },
    async seedOrg(org = {}) {
      const id = org.id ?? uid('org');
      const isRoot = org.rootOrgId === undefined || org.rootOrgId === id;
      await db.execute(`INSERT INTO ${db.table('sunbird', 'organisation')} (id, orgname, rootorgid, isrootorg, istenant, status) VALUES (?, ?, ?, ?, ?, ?)`, [
        id,
        `Org ${id}`,
        isRoot ? id : org.rootOrgId,
        isRoot,
        isRoot,
        1,
      ]);
      return id;
    },
    async grant(userId, role, orgIds) {
      await db.execute(`INSERT INTO ${db.table('sunbird', 'user_roles')} (userid, role, scope) VALUES (?, ?, ?)`, [
        userId,
        role,
        JSON.stringify(orgIds.map((organisationId) => ({ organisationId }))),
      ]);
    },
    async caller(role, orgIds, rootOrgId = orgIds[0] ?? null) {
      const id = await fixture.seedUser({ rootOrgId: rootOrgId === '*' ? null : rootOrgId });
      if (role !== null) await fixture.grant(id, role, orgIds);
      return { id, token: await fixture.token(id) };
    },
    async close() {
      await app.close();
      // Leave the shared servers as they were: this file's keyspaces, indices and topics go.
      await Promise.allSettled([
        ...['sunbird', 'sunbird_courses'].map((ks) => db.execute(`DROP KEYSPACE IF EXISTS ${db.keyspace(ks)}`, [], { prepare: false, readTimeout: 60_000 })),
        search
          .request<Record<string, unknown>>('GET', `/${search.name('course-batch')}/_alias`)
          .then(({ body }) => Promise.all(Object.keys(body).map((index) => search.request('DELETE', `/${index}`)))),
        kafka.admin().then(async (admin) => admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(names.topic)) })),
      ]);
      await Promise.allSettled([db.close(), redis.close(), search.close(), kafka.close()]);
      await rm(keysDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Sends a JSON request through the app. */
export async function call(
  f: Pick<Fixture, 'app'>,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, any> }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['x-authenticated-user-token'] = opts.token;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await f.app.inject({ method, url, headers, ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}) });
  let body: Record<string, any>;
  try {
    body = res.json();
  } catch {
    body = { raw: res.body };
  }
  return { status: res.statusCode, body };
}

/** A course hierarchy: `units` units of `perUnit` contents each. */
export function hierarchy(courseId: string, units = 2, perUnit = 2): Record<string, unknown> {
  return {
    identifier: courseId,
    mimeType: COLLECTION,
    name: `Course ${courseId}`,
    children: Array.from({ length: units }, (_, u) => ({
      identifier: `${courseId}_u${u + 1}`,
      mimeType: COLLECTION,
      children: Array.from({ length: perUnit }, (_, c) => ({ identifier: `${courseId}_u${u + 1}_c${c + 1}`, mimeType: 'video/mp4' })),
    })),
  };
}

/** Registers a course through the API as an administrator of `channel`. */
export async function registerCourse(f: Fixture, adminToken: string, channel: string, courseId = uid('do'), status = 'Live'): Promise<string> {
  const res = await call(f, 'POST', '/v1/course/hierarchy/register', { token: adminToken, body: { request: { channel, status, hierarchy: hierarchy(courseId) } } });
  if (res.status !== 200) throw new Error(`course registration failed: ${JSON.stringify(res.body)}`);
  return courseId;
}

/** A calendar date `days` from today (UTC). */
export function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** Polls until `check` returns a value. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}
