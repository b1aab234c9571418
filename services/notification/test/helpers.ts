/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * Fixture for the Notification integration suites: isolated keyspaces and topics, User-Org's and
 * this service's migrations applied with the kit's runners (the kit resolves callers from the
 * `sunbird` user tables), the app listening on loopback on both ports, tokens signed with a key of
 * the suite's own, users seeded straight into Cassandra, the harness's SMTP server, and a local SMS
 * provider endpoint that records every call (and can be told to fail).
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import {
  createApp,
  createCallerDirectory,
  createCassandra,
  createKafka,
  createRedis,
  discoverComponents,
  listenOnLoopback,
  loadConfig,
  migrateCassandra,
  migrateKafka,
  repoRoot,
  sunbirdCallerResolver,
  type CassandraConnector,
  type KafkaConnector,
  type LernApp,
  type Policy,
  type RedisConnector,
  type ServiceDefinition,
} from '@lern/kit';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createNotificationService, type NotificationServiceOptions } from '../src/index.ts';
import type { NotificationOptions } from '../src/options.ts';

export const ISSUER = 'http://127.0.0.1/auth/realms/sunbird';

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: Policy;
}

/** One call the SMS endpoint received. */
export interface SmsCall {
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A local SMS provider: records calls; answers `failWith` (HTTP status) while set. */
export interface SmsEndpoint {
  url: string;
  calls: SmsCall[];
  failWith: number | null;
  close(): Promise<void>;
}

export async function startSmsEndpoint(): Promise<SmsEndpoint> {
  const endpoint: Omit<SmsEndpoint, 'url' | 'close'> = { calls: [], failWith: null };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      endpoint.calls.push({ headers: req.headers, body: text ? (JSON.parse(text) as unknown) : null });
      const status = endpoint.failWith ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { type: 'success', message: 'queued' } : { type: 'error', message: 'provider down' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(endpoint, {
    url: `http://127.0.0.1:${port}/api/v2/sendsms`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export interface Fixture {
  app: LernApp;
  db: CassandraConnector;
  redis: RedisConnector;
  kafka: KafkaConnector;
  sms: SmsEndpoint;
  /** Folder where the SMTP server keeps received messages. */
  mailDir: string;
  options: NotificationOptions;
  routes: RegisteredRoute[];
  publicUrl: string;
  internalUrl: string;
  /** Topic name with this suite's prefix. */
  topic(name: string): string;
  token(userId: string, opts?: { parentId?: string; foreignKey?: boolean }): Promise<string>;
  /** A new active user, with roles held in organisations (`['*']` for the system). */
  user(roles?: Record<string, string[]>): Promise<string>;
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

export async function startFixture(fileUrl: string, overrides: Partial<NotificationOptions> = {}, service: Omit<NotificationServiceOptions, 'options'> = {}): Promise<Fixture> {
  const servers = await requireServers(['cassandra', 'redis', 'kafka', 'smtp']);
  const names = testNames(fileUrl);
  const keysDir = await mkdtemp(join(tmpdir(), 'notification-keys-'));
  const kid = 'test-key';
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(keysDir, kid), await exportSPKI(publicKey));
  const foreign = await generateKeyPair('RS256');
  const env: Record<string, string> = {
    ...servers,
    LERN_CASSANDRA_KEYSPACE_PREFIX: `${names.keyspace}_`,
    LERN_KAFKA_TOPIC_PREFIX: names.topic,
    LERN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LERN_AUTH_KEYS_DIR: keysDir,
    LERN_AUTH_ISSUER: ISSUER,
    LERN_LOG_LEVEL: 'warn',
  };
  const config = loadConfig(env);
  const components = await discoverComponents(repoRoot(), { services: ['userorg', 'notification'] });
  await migrateCassandra({ config, components });
  await migrateKafka({ config, components: components.filter((c) => c.name === 'notification') });
  const sms = await startSmsEndpoint();
  const options: NotificationOptions = {
    smtp: { host: servers.LERN_SMTP_HOST!, port: Number(servers.LERN_SMTP_PORT), secure: false, from: 'lern@example.org' },
    sms: { url: sms.url, authKey: 'test-auth-key', sender: 'LERNTS', country: '91' },
    retry: { attempts: 3, baseDelayMs: 20 },
    feedLimit: 100,
    otp: { secret: 'test-otp-secret', length: 6, expiryMinutes: 10, maxAttempts: 3, maxPerWindow: 3, windowMinutes: 60 },
    ...overrides,
  };
  const db = createCassandra(config.cassandra);
  const redis = createRedis(config.redis);
  const kafka = createKafka(config.kafka);
  const callers = createCallerDirectory({ resolve: sunbirdCallerResolver(db), redis: redis.client });
  const routes: RegisteredRoute[] = [];
  const app = await createApp({ service: recording(createNotificationService({ ...service, options }), routes), config, callers, logger: false });
  const { publicUrl, internalUrl } = await listenOnLoopback(app);
  return {
    app,
    db,
    redis,
    kafka,
    sms,
    mailDir: servers.LERN_SMTP_MESSAGES_DIR!,
    options,
    routes,
    publicUrl,
    internalUrl,
    topic: (name) => kafka.topic(name),
    async token(userId, opts = {}) {
      return new SignJWT({ typ: 'Bearer', ...(opts.parentId ? { parentId: opts.parentId } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(ISSUER)
        .setSubject(`f:${randomUUID()}:${userId}`)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
        .sign(opts.foreignKey ? foreign.privateKey : privateKey);
    },
    async user(roles = {}) {
      const id = randomUUID();
      await db.execute(`INSERT INTO ${db.table('sunbird', 'user')} (id, userid, firstname, status, isdeleted) VALUES (?, ?, ?, 1, false)`, [id, id, 'Seeded'], { prepare: true });
      for (const [role, orgIds] of Object.entries(roles)) {
        const scope = JSON.stringify(orgIds.map((organisationId) => ({ organisationId })));
        await db.execute(`INSERT INTO ${db.table('sunbird', 'user_roles')} (userid, role, scope) VALUES (?, ?, ?)`, [id, role, scope], { prepare: true });
      }
      return id;
    },
    async close() {
      await app.close();
      await sms.close();
      await kafka.close();
      // Leftover keyspaces slow every later schema change on the shared Cassandra.
      for (const ks of ['sunbird', 'sunbird_notifications']) await db.execute(`DROP KEYSPACE IF EXISTS ${db.keyspace(ks)}`, [], { prepare: false, readTimeout: 60_000 }).catch(() => undefined);
      await db.close();
      await redis.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

export interface CallOptions {
  token?: string;
  forToken?: string;
  body?: unknown;
  rawBody?: string;
  internal?: boolean;
}

export async function call(f: Fixture, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, opts: CallOptions = {}): Promise<{ status: number; body: Record<string, any> }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers['x-authenticated-user-token'] = opts.token;
  if (opts.forToken) headers['x-authenticated-for'] = opts.forToken;
  const payload = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${opts.internal ? f.internalUrl : f.publicUrl}${url}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  let body: Record<string, any>;
  try {
    body = JSON.parse(text) as Record<string, any>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body };
}

export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The raw message the SMTP server received for `address`, once it has. */
export async function receivedMail(f: Fixture, address: string): Promise<string> {
  return eventually(async () => {
    for (const name of (await readdir(f.mailDir)).sort().reverse()) {
      const text = await readFile(join(f.mailDir, name), 'utf8');
      if (text.split('\r\n', 2)[1]?.includes(address)) return text;
    }
    return undefined;
  });
}

/** Reads every message of a topic from the start, until `until` holds or time runs out. */
export async function readTopic(f: Fixture, name: string, until: (values: any[]) => boolean, timeoutMs = 20_000): Promise<any[]> {
  const consumer = f.kafka.kafka.consumer({ groupId: `t-${randomUUID()}` });
  const values: any[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: f.topic(name), fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        values.push(JSON.parse(message.value?.toString() ?? 'null'));
        return Promise.resolve();
      },
    });
    await eventually(() => Promise.resolve(until(values) ? true : undefined), timeoutMs);
    return values;
  } finally {
    await consumer.disconnect();
  }
}

/** A unique email address. */
export const uniqueEmail = (): string => `n${randomBytes(5).toString('hex')}@example.com`;
