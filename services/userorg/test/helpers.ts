/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * Fixture for the User-Org integration suites: isolated keyspace/index/topic names, migrations
 * applied with the kit's runners, the app built with createApp and listening on loopback on both
 * of its ports (public routes exercised with app.inject, `/private` routes through the internal
 * port), an RSA key the suite signs its own tokens with, and direct store access for seeding
 * administrators.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import {
  createApp,
  createCallerDirectory,
  createCassandra,
  createRedis,
  createSearch,
  discoverComponents,
  listenOnLoopback,
  loadConfig,
  migrateCassandra,
  migrateKafka,
  migrateSearch,
  repoRoot,
  sunbirdCallerResolver,
  type CallerDirectory,
  type CassandraConnector,
  type Policy,
  type RedisConnector,
  type SearchConnector,
  type LernApp,
  type LernConfig,
  type ServiceDefinition,
} from '@lern/kit';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { service } from '../src/index.ts';
import { createPiiCipher } from '../src/pii.ts';
import { UserOrgStore } from '../src/store/index.ts';

/** Issuer the suites' tokens carry. */
export const ISSUER = 'http://127.0.0.1/auth/realms/sunbird';

/** A route as the app registered it. */
export interface RegisteredRoute {
  method: string;
  url: string;
  policy: Policy;
}

/** Options of Fixture.token. */
export interface TokenOptions {
  expiresInSec?: number;
  kid?: string;
  issuer?: string;
  foreignKey?: boolean;
  /** A managed user's token: the parent (requester) it belongs to. */
  parentId?: string;
}

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
  /** The caller directory the app uses (status and grants of callers). */
  callers: CallerDirectory;
  /** The service's routes, as registered. */
  routes: RegisteredRoute[];
  /** Base URL of the app's public port (loopback). */
  publicUrl: string;
  /** Base URL of the app's internal port (loopback), the only one serving `/private` routes. */
  internalUrl: string;
  /** Signs a token for the user (valid 1 hour unless told). */
  token(userId: string, opts?: TokenOptions): Promise<string>;
  /**
   * Grants a role in organisations directly in Cassandra (the bootstrap of administrators), adding
   * to the scope the user already holds it in; creates a bare user row when the user has none, since
   * the kit reads grants of existing users only. A system administrator: `grant(id, 'SYSTEM_ADMINISTRATION', ['*'])`.
   */
  grant(userId: string, role: string, orgIds: string[]): Promise<void>;
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

/** The service, with its registered routes recorded. */
function recording(into: RegisteredRoute[]): ServiceDefinition {
  return {
    ...service,
    register(app, deps) {
      app.addHook('onRoute', (route) => {
        const policy = route.config?.lern?.policy;
        // Fastify adds a HEAD route for each GET: the GET is the route.
        if (policy !== undefined) for (const method of [route.method].flat().filter((m) => m !== 'HEAD')) into.push({ method, url: route.url, policy });
      });
      return service.register(app, deps);
    },
  };
}

/** Options of startFixture. */
export interface FixtureOptions {
  /** Refresh the index on each write, so a search sees it at once (slower writes). @default true */
  refreshIndex?: boolean;
  /** Variables over the servers' own (e.g. a contact point through a proxy the suite controls). */
  env?: Record<string, string>;
}

/** Starts the servers, migrates isolated names and builds the app. */
export async function startFixture(fileUrl: string, engine: 'elasticsearch' | 'opensearch' = defaultEngine(), options: FixtureOptions = {}): Promise<Fixture> {
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
    ...options.env,
  };
  const config = loadConfig(env);
  const components = await discoverComponents(repoRoot(), { services: ['userorg'] });
  await migrateCassandra({ config, components });
  await migrateSearch({ config, components });
  await migrateKafka({ config, components });
  // Searches in the suites follow writes at once: refresh the index on each write.
  process.env.LERN_USERORG_REFRESH_INDEX = String(options.refreshIndex ?? true);
  const db = createCassandra(config.cassandra);
  const redis = createRedis(config.redis);
  const search = createSearch(config.search);
  const callers = createCallerDirectory({ resolve: sunbirdCallerResolver(db), redis: redis.client });
  const routes: RegisteredRoute[] = [];
  const app = await createApp({ service: recording(routes), config, callers, logger: false });
  const { publicUrl, internalUrl } = await listenOnLoopback(app);
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
    callers,
    routes,
    publicUrl,
    internalUrl,
    async token(userId, opts = {}) {
      const jwt = new SignJWT({ typ: 'Bearer', ...(opts.parentId ? { parentId: opts.parentId } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? kid })
        .setIssuer(opts.issuer ?? ISSUER)
        .setSubject(`f:${randomUUID()}:${userId}`)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.expiresInSec ?? 3600));
      return jwt.sign(opts.foreignKey ? foreign.privateKey : privateKey);
    },
    async grant(userId, role, orgIds) {
      await db.execute(`INSERT INTO ${db.table('sunbird', 'user')} (id, userid, firstname, status, isdeleted) VALUES (?, ?, ?, 1, false) IF NOT EXISTS`, [userId, userId, 'Seeded'], {
        prepare: true,
      });
      const held = (await store.roles.grants(userId)).find((g) => g.role === role)?.scope.map((s) => s.organisationId) ?? [];
      const scope = [...new Set([...held, ...orgIds])].map((organisationId) => ({ organisationId }));
      await store.roles.putGrant(userId, { role, scope });
      await callers.invalidate(userId);
    },
    async close() {
      await app.close();
      // Leftover keyspaces slow every later schema change on the shared Cassandra.
      await db.execute(`DROP KEYSPACE IF EXISTS ${db.keyspace('sunbird')}`, [], { prepare: false, readTimeout: 60_000 }).catch(() => undefined);
      await db.close();
      await redis.close();
      await search.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

/** Options of call. */
export interface CallOptions {
  token?: string;
  /** A managed user's token, sent as x-authenticated-for (acting for that user). */
  forToken?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Send through the internal port (for `/private` routes). */
  internal?: boolean;
}

/** Sends a JSON request through the app (or its internal listener). */
export async function call(
  f: Fixture,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  opts: CallOptions = {},
): Promise<{ status: number; body: Record<string, any> }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['x-authenticated-user-token'] = opts.token;
  if (opts.forToken) headers['x-authenticated-for'] = opts.forToken;
  let payload: string | undefined;
  if (opts.rawBody !== undefined) payload = opts.rawBody;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  let status: number;
  let text: string;
  if (opts.internal) {
    const res = await fetch(`${f.internalUrl}${url}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    status = res.status;
    text = await res.text();
  } else {
    const res = await f.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    status = res.statusCode;
    text = res.body;
  }
  let body: Record<string, any>;
  try {
    body = JSON.parse(text) as Record<string, any>;
  } catch {
    body = { raw: text };
  }
  return { status, body };
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
