/* eslint-disable @typescript-eslint/no-explicit-any -- responses are untyped JSON that the assertions walk */
/**
 * Fixture of the consent, terms, declarations, managed-user and bulk-upload suites: the User-Org
 * service with those routes registered as the service registers them, on isolated keyspace, index
 * and topic names, with tokens signed by a key of the suite, and seeding straight into Cassandra.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import {
  addRoutes,
  createApp,
  createCassandra,
  discoverComponents,
  loadConfig,
  migrateCassandra,
  migrateKafka,
  migrateSearch,
  repoRoot,
  type CassandraConnector,
  type LernApp,
  type ServiceDefinition,
} from '@lern/kit';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createDeps, service } from '../src/index.ts';
import { createPiiCipher, type PiiCipher } from '../src/pii.ts';
import { UserOrgStore } from '../src/store/index.ts';
import { readUserView, resolveIdentifier } from '../src/users/read.ts';
import { ConsentStore } from '../src/consent/store.ts';
import { consentRoutes } from '../src/consent/routes.ts';
import { TncStore } from '../src/tnc/store.ts';
import { tncRoutes } from '../src/tnc/routes.ts';
import { userChangedVia } from '../src/tnc/effects.ts';
import { DeclarationStore } from '../src/declarations/store.ts';
import { declarationRoutes } from '../src/declarations/routes.ts';
import { ManagedUserStore } from '../src/users/managed-store.ts';
import { managedUserRoutes } from '../src/users/managed-routes.ts';
import { registerBulkUploads } from '../src/bulk/plugin.ts';
import { userOrgRowSink } from '../src/bulk/sink.ts';
import type { UploadLimits } from '../src/bulk/upload.ts';
import type { BulkWorker } from '../src/bulk/worker.ts';

export const ISSUER = 'http://127.0.0.1/auth/realms/sunbird';

/** What the suites use. */
export interface ExtrasFixture {
  app: LernApp;
  db: CassandraConnector;
  cipher: PiiCipher;
  worker: BulkWorker;
  token(userId: string, opts?: { parentId?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Options of the fixture. */
export interface ExtrasOptions {
  limits?: UploadLimits;
}

/** The service with the extra routes registered the way src/index.ts registers them. */
function extended(cipherOf: (key: string) => PiiCipher, limits: UploadLimits | undefined, onWorker: (w: BulkWorker) => void): ServiceDefinition {
  return {
    ...service,
    async register(app, kit) {
      await service.register(app, kit);
      const db = kit.connectors.cassandra!;
      const cipher = cipherOf(kit.config.encryptionKey!);
      const deps = createDeps({
        store: new UserOrgStore(db, cipher),
        search: kit.connectors.search!,
        redis: kit.connectors.redis?.client ?? null,
        kafka: kit.connectors.kafka ?? null,
        callers: kit.callers ?? null,
        log: kit.log,
        refreshIndex: true,
      });
      const userChanged = userChangedVia(deps);
      addRoutes(app, ...consentRoutes({ store: new ConsentStore(db) }));
      addRoutes(app, ...tncRoutes({ store: new TncStore(db), userChanged }));
      addRoutes(app, ...declarationRoutes({ store: new DeclarationStore(db), cipher, userChanged }));
      addRoutes(app, ...managedUserRoutes({ store: new ManagedUserStore(db), readUser: (id) => readUserView(deps, id), userIdByLoginId: (loginId) => resolveIdentifier(deps, 'username', loginId) }));
      onWorker(await registerBulkUploads(app, { db, sink: userOrgRowSink(deps), cipher, callers: kit.callers ?? null, log: kit.log, limits }));
    },
  };
}

/** Starts the servers, migrates isolated names and builds the app. */
export async function startExtras(fileUrl: string, options: ExtrasOptions = {}): Promise<ExtrasFixture> {
  const servers = await requireServers(['cassandra', 'redis', 'kafka', 'elasticsearch']);
  const names = testNames(fileUrl);
  const keysDir = await mkdtemp(join(tmpdir(), 'userorg-extras-keys-'));
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(keysDir, 'test-key'), await exportSPKI(publicKey));
  const env: Record<string, string> = {
    ...servers,
    LERN_CASSANDRA_KEYSPACE_PREFIX: `${names.keyspace}_`,
    LERN_SEARCH_INDEX_PREFIX: `${names.index}-`,
    LERN_KAFKA_TOPIC_PREFIX: names.topic,
    LERN_SEARCH_ENGINE: 'elasticsearch',
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
  process.env.LERN_USERORG_REFRESH_INDEX = 'true';
  const cipher = createPiiCipher(env.LERN_ENCRYPTION_KEY!);
  let worker: BulkWorker | undefined;
  const app = await createApp({ service: extended(() => cipher, options.limits, (w) => (worker = w)), config, logger: false });
  await app.ready();
  const db = createCassandra(config.cassandra);
  return {
    app,
    db,
    cipher,
    worker: worker!,
    async token(userId, opts = {}) {
      return new SignJWT({ typ: 'Bearer', ...(opts.parentId ? { parentId: opts.parentId } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(ISSUER)
        .setSubject(`f:${randomUUID()}:${userId}`)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
        .sign(privateKey);
    },
    async close() {
      await app.close();
      await db.close();
      await rm(keysDir, { recursive: true, force: true });
    },
  };
}

/** Sends a request through the app; JSON unless a content type is given. */
export async function send(
  f: ExtrasFixture,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  opts: { token?: string; forToken?: string; body?: unknown; payload?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, any> }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['x-authenticated-user-token'] = opts.token;
  if (opts.forToken) headers['x-authenticated-for'] = opts.forToken;
  let payload = opts.payload;
  if (payload === undefined && opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await f.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  let body: Record<string, any>;
  try {
    body = res.json();
  } catch {
    body = { raw: res.body };
  }
  return { status: res.statusCode, body };
}

/** Seeding straight into the `sunbird` tables. */
export const seed = {
  async org(f: ExtrasFixture, o: { id?: string; channel?: string; rootOrgId?: string | null; isTenant?: boolean; externalId?: string; orgName?: string; status?: number } = {}): Promise<string> {
    const id = o.id ?? randomUUID();
    const isTenant = o.isTenant ?? o.rootOrgId === undefined;
    const channel = o.channel ?? `ch_${randomBytes(5).toString('hex')}`;
    await f.db.execute(
      `INSERT INTO ${f.db.table('sunbird', 'organisation')} (id, orgname, channel, istenant, isrootorg, rootorgid, status, externalid, organisationtype) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, o.orgName ?? `Org ${id.slice(0, 6)}`, channel, isTenant, isTenant, isTenant ? id : (o.rootOrgId ?? null), o.status ?? 1, o.externalId ?? null, 5],
      { prepare: true },
    );
    await f.db.execute(`INSERT INTO ${f.db.table('sunbird', 'org_lookup')} (type, value, orgid) VALUES (?, ?, ?)`, ['channel', channel.toLowerCase(), id], { prepare: true });
    return id;
  },
  async user(f: ExtrasFixture, u: { id?: string; rootOrgId?: string | null; orgIds?: string[]; managedBy?: string; isDeleted?: boolean; firstName?: string; userName?: string; email?: string } = {}): Promise<string> {
    const id = u.id ?? randomUUID();
    await f.db.execute(
      `INSERT INTO ${f.db.table('sunbird', 'user')} (id, userid, firstname, username, email, maskedemail, rootorgid, managedby, status, isdeleted, roles, createddate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, id, u.firstName ?? 'Seeded', u.userName ?? null, u.email ? f.cipher.encrypt(u.email) : null, null, u.rootOrgId ?? null, u.managedBy ?? null, u.isDeleted ? 2 : 1, u.isDeleted ?? false, ['PUBLIC'], '2025-01-01 00:00:00:000+0000'],
      { prepare: true },
    );
    for (const orgId of u.orgIds ?? (u.rootOrgId ? [u.rootOrgId] : [])) {
      await f.db.execute(`INSERT INTO ${f.db.table('sunbird', 'user_organisation')} (userid, organisationid, isdeleted) VALUES (?, ?, false)`, [id, orgId], { prepare: true });
    }
    if (u.userName) {
      await f.db.execute(`INSERT INTO ${f.db.table('sunbird', 'user_lookup')} (type, value, userid) VALUES (?, ?, ?)`, ['username', f.cipher.lookupHash('username', u.userName), id], { prepare: true });
    }
    return id;
  },
  /** Grants a role in organisations (`*` for the system scope). */
  async grant(f: ExtrasFixture, userId: string, role: string, orgIds: string[]): Promise<void> {
    await f.db.execute(`INSERT INTO ${f.db.table('sunbird', 'user_roles')} (userid, role, scope) VALUES (?, ?, ?)`, [userId, role, JSON.stringify(orgIds.map((organisationId) => ({ organisationId })))], {
      prepare: true,
    });
  },
  async setting(f: ExtrasFixture, id: string, value: string): Promise<void> {
    await f.db.execute(`INSERT INTO ${f.db.table('sunbird', 'system_settings')} (id, field, value) VALUES (?, ?, ?)`, [id, id, value], { prepare: true });
  },
};
