/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access -- responses are untyped JSON that the assertions walk */
/**
 * Fixture for the Groups integration suites: isolated keyspace names and cache prefix, User-Org's
 * and Groups' Cassandra migrations applied with the kit's runner (the kit resolves callers from the
 * `sunbird` keyspace's user and user_roles tables), the app built with createApp on loopback, an
 * RSA key the suite signs its own tokens with, users seeded straight into `sunbird.user`, and a
 * loopback HTTP receiver standing in for the Notification service's send route (it records what it
 * is sent, and can be told to refuse).
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import {
  createApp,
  createCallerDirectory,
  createCassandra,
  createRedis,
  discoverComponents,
  loadConfig,
  migrateCassandra,
  repoRoot,
  sunbirdCallerResolver,
  type CallerDirectory,
  type CassandraConnector,
  type LernApp,
  type Policy,
  type RedisConnector,
  type ServiceDefinition,
} from '@lern/kit';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createGroupsService, type GroupsServiceOptions } from '../src/index.ts';

export const ISSUER = 'http://127.0.0.1/auth/realms/sunbird';

/** A route as the app registered it. */
export interface RegisteredRoute {
  method: string;
  url: string;
  policy: Policy;
}

/** What the stand-in Notification service received. */
export interface NotificationInbox {
  /** Bodies of the accepted sends, in order. */
  received: any[];
  /** Answer every send with this status (200: accept). */
  status: number;
  url: string;
}

/** Everything a suite needs. */
export interface Fixture {
  app: LernApp;
  db: CassandraConnector;
  redis: RedisConnector;
  callers: CallerDirectory;
  routes: RegisteredRoute[];
  inbox: NotificationInbox;
  /** Prefix of the suite's cache keys. */
  cachePrefix: string;
  token(userId: string, opts?: { expiresInSec?: number }): Promise<string>;
  /** A new active user with a name (and SYSTEM_ADMINISTRATION in the system scope when `systemAdmin`). */
  user(opts?: { firstName?: string; systemAdmin?: boolean; status?: number }): Promise<{ id: string; token: string; name: string }>;
  close(): Promise<void>;
}

function recording(service: ServiceDefinition, into: RegisteredRoute[]): ServiceDefinition {
  return {
    ...service,
    register(app, deps) {
      app.addHook('onRoute', (route) => {
        const policy = route.config?.lern?.policy;
        if (policy !== undefined) for (const method of [route.method].flat().filter((m) => m !== 'HEAD')) into.push({ method, url: route.url, policy });
      });
      return service.register(app, deps);
    },
  };
}

async function startInbox(): Promise<{ inbox: NotificationInbox; server: Server }> {
  const inbox: NotificationInbox = { received: [], status: 200, url: '' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ok = req.method === 'POST' && req.url === '/private/v2/notification/send' && inbox.status === 200;
      if (ok) inbox.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(ok ? 200 : inbox.status === 200 ? 404 : inbox.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ responseCode: ok ? 'OK' : 'SERVER_ERROR', result: {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  inbox.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { inbox, server };
}

/** Starts the servers, migrates isolated keyspaces and builds the app. */
export async function startFixture(fileUrl: string, options: GroupsServiceOptions = {}): Promise<Fixture> {
  const servers = await requireServers(['cassandra', 'redis']);
  const names = testNames(fileUrl);
  const keysDir = await mkdtemp(join(tmpdir(), 'groups-keys-'));
  const kid = 'test-key';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(keysDir, kid), await exportSPKI(publicKey));
  const env: Record<string, string> = {
    ...servers,
    LERN_CASSANDRA_KEYSPACE_PREFIX: `${names.keyspace}_`,
    LERN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LERN_AUTH_KEYS_DIR: keysDir,
    LERN_AUTH_ISSUER: ISSUER,
    LERN_LOG_LEVEL: 'warn',
  };
  const config = loadConfig(env);
  await migrateCassandra({ config, components: await discoverComponents(repoRoot(), { services: ['userorg', 'groups'] }) });
  const { inbox, server } = await startInbox();
  const cachePrefix = `${names.keyspace}:`;
  const db = createCassandra(config.cassandra);
  const redis = createRedis(config.redis);
  const callers = createCallerDirectory({ resolve: sunbirdCallerResolver(db), redis: redis.client });
  const routes: RegisteredRoute[] = [];
  const service = createGroupsService({ cachePrefix, notificationUrl: inbox.url, ...options });
  const app = await createApp({ service: recording(service, routes), config, callers, logger: false });
  await app.ready();
  const token = (userId: string, opts: { expiresInSec?: number } = {}) =>
    new SignJWT({ typ: 'Bearer' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(ISSUER)
      .setSubject(`f:${randomUUID()}:${userId}`)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.expiresInSec ?? 3600))
      .sign(privateKey);
  return {
    app,
    db,
    redis,
    callers,
    routes,
    inbox,
    cachePrefix,
    token,
    async user(opts = {}) {
      const id = randomUUID();
      const name = opts.firstName ?? `User ${id.slice(0, 6)}`;
      await db.execute(`INSERT INTO ${db.table('sunbird', 'user')} (id, userid, firstname, status, isdeleted) VALUES (?, ?, ?, ?, false)`, [id, id, name, opts.status ?? 1], { prepare: true });
      if (opts.systemAdmin) {
        await db.execute(`INSERT INTO ${db.table('sunbird', 'user_roles')} (userid, role, scope) VALUES (?, ?, ?)`, [id, 'SYSTEM_ADMINISTRATION', JSON.stringify([{ organisationId: '*' }])], {
          prepare: true,
        });
      }
      return { id, token: await token(id), name };
    },
    async close() {
      await app.close();
      // The suite's keyspaces go with it: every table costs the shared Cassandra memory.
      for (const ks of ['sunbird', 'sunbird_groups']) await db.execute(`DROP KEYSPACE IF EXISTS ${db.keyspace(ks)}`).catch(() => undefined);
      await db.close();
      await redis.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

/** Sends a JSON request through the app. */
export async function call(
  f: Fixture,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  opts: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; body: Record<string, any> }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['x-authenticated-user-token'] = opts.token;
  const payload = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await f.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  let body: Record<string, any>;
  try {
    body = JSON.parse(res.body) as Record<string, any>;
  } catch {
    body = { raw: res.body };
  }
  return { status: res.statusCode, body };
}

/** Creates a group as `token`; returns its id. */
export async function createGroup(f: Fixture, token: string, request: Record<string, unknown> = {}): Promise<string> {
  const res = await call(f, 'POST', '/v1/group/create', { token, body: { request: { name: 'Study group', ...request } } });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.result.groupId as string;
}

/** Polls until check returns a value. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
