/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * Fixture for the User-Org integration suites: isolated keyspace/index/topic names, migrations
 * applied with the kit's runners, the app built with createApp (exercised with app.inject), an RSA
 * key the suite signs its own tokens with, and direct store access for seeding roles.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import {
  createApp,
  createCassandra,
  createRedis,
  createSearch,
  discoverComponents,
  loadConfig,
  migrateCassandra,
  migrateKafka,
  migrateSearch,
  repoRoot,
  type CassandraConnector,
  type RedisConnector,
  type SearchConnector,
  type LernApp,
  type LernConfig,
} from '@lern/kit';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { service } from '../src/index.ts';
import { createPiiCipher } from '../src/pii.ts';
import { UserOrgStore } from '../src/store.ts';

/** Issuer the suites' tokens carry. */
export const ISSUER = 'http://127.0.0.1/auth/realms/sunbird';

/** Everything a suite needs. */
export interface Fixture {
  app: LernApp;
  config: LernConfig;
  env: Record<string, string>;
  names: ReturnType<typeof testNames>;
  store: UserOrgStore;
  db: CassandraConnector;
  redis: RedisConnector;
  search: SearchConnector;
  /** Signs a token for the user (valid 1 hour unless told). */
  token(userId: string, opts?: { expiresInSec?: number; kid?: string; issuer?: string; foreignKey?: boolean }): Promise<string>;
  /** Grants roles to a user id directly in Cassandra (bootstrap of administrators). */
  grant(userId: string, role: string, orgIds?: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Unique test values. */
export const unique = {
  email: () => `u${randomBytes(5).toString('hex')}@example.com`,
  phone: () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
  userName: () => `user_${randomBytes(5).toString('hex')}`,
  channel: () => `ch_${randomBytes(5).toString('hex')}`,
  code: () => `LOC_${randomBytes(5).toString('hex')}`,
};

/** Elasticsearch unless LERN_USERORG_TEST_ENGINE=opensearch (to run the Elasticsearch suites on OpenSearch too). */
function defaultEngine(): 'elasticsearch' | 'opensearch' {
  return process.env.LERN_USERORG_TEST_ENGINE === 'opensearch' ? 'opensearch' : 'elasticsearch';
}

/** Starts the servers, migrates isolated names and builds the app. */
export async function startFixture(fileUrl: string, engine: 'elasticsearch' | 'opensearch' = defaultEngine()): Promise<Fixture> {
  const servers = await requireServers(['cassandra', 'redis', 'kafka', engine]);
  const names = testNames(fileUrl);
  const keysDir = await mkdtemp(join(tmpdir(), 'userorg-keys-'));
  const kid = 'test-key';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(keysDir, kid), await exportSPKI(publicKey));
  const foreign = await generateKeyPair('RS256');
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
  const components = await discoverComponents(repoRoot(), { services: ['userorg'] });
  await migrateCassandra({ config, components });
  await migrateSearch({ config, components });
  await migrateKafka({ config, components });
  // Searches in the suites follow writes at once: refresh the index on each write.
  process.env.LERN_USERORG_REFRESH_INDEX = 'true';
  const app = await createApp({ service, config, logger: false });
  await app.ready();
  const db = createCassandra(config.cassandra);
  const redis = createRedis(config.redis);
  const search = createSearch(config.search);
  const store = new UserOrgStore(db, createPiiCipher(env.LERN_ENCRYPTION_KEY!));
  return {
    app,
    config,
    env,
    names,
    store,
    db,
    redis,
    search,
    async token(userId, opts = {}) {
      const jwt = new SignJWT({ typ: 'Bearer' })
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? kid })
        .setIssuer(opts.issuer ?? ISSUER)
        .setSubject(`f:${randomUUID()}:${userId}`)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.expiresInSec ?? 3600));
      return jwt.sign(opts.foreignKey ? foreign.privateKey : privateKey);
    },
    async grant(userId, role, orgIds = []) {
      await store.putGrant(userId, { role, scope: orgIds.map((organisationId) => ({ organisationId })) });
    },
    async close() {
      await app.close();
      await db.close();
      await redis.close();
      await search.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

/** Sends a JSON request through the app. */
export async function call(
  f: Fixture,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  opts: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, any> }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['x-authenticated-user-token'] = opts.token;
  let payload: string | undefined;
  if (opts.rawBody !== undefined) payload = opts.rawBody;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const res = await f.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  let body: Record<string, any>;
  try {
    body = res.json();
  } catch {
    body = { raw: res.body };
  }
  return { status: res.statusCode, body };
}

/** Polls until check returns a value (index refresh is synchronous here, but Kafka reads are not). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
