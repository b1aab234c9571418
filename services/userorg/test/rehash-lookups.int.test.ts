/**
 * V004__rehash_lookups against real Cassandra and Elasticsearch: a keyspace migrated up to the
 * version before it and seeded with legacy-hashed lookups and search documents, then the real
 * migration through the kit's runner, then the same `up` again (a re-run after a crash).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCassandra,
  createSearch,
  discoverComponents,
  loadConfig,
  migrateCassandra,
  migrateSearch,
  repoRoot,
  type CassandraConnector,
  type CodeMigrationContext,
  type LernConfig,
  type SearchConnector,
} from '@lern/kit';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createPiiCipher, legacyLookupHash, type LookupType, type PiiCipher } from '../src/pii.ts';
import { USER_SEARCH_PROFILE, toEngineSearch } from '../src/search-query.ts';
import { up } from '../migrations/cassandra/sunbird/V004__rehash_lookups.ts';

const names = testNames(import.meta.url);
const USERORG = join(repoRoot(), 'services', 'userorg');
const V004 = 'V004__rehash_lookups.ts';

let config: LernConfig;
let db: CassandraConnector;
let search: SearchConnector;
let cipher: PiiCipher;

/** A repository root whose userorg component has every CQL migration and index, but no code migration. */
function rootBeforeV004(): string {
  const root = mkdtempSync(join(tmpdir(), 'userorg-rehash-'));
  for (const folder of ['migrations/cassandra/sunbird', 'migrations/search']) {
    mkdirSync(join(root, 'services/userorg', folder), { recursive: true });
    for (const file of readdirSync(join(USERORG, folder)).filter((f) => f.endsWith('.cql') || f.endsWith('.json'))) {
      copyFileSync(join(USERORG, folder, file), join(root, 'services/userorg', folder, file));
    }
  }
  return root;
}

interface Seeded {
  id: string;
  values: [LookupType, string][];
}

const users: Record<'full' | 'phoneAndSso' | 'unindexed' | 'halfDone' | 'done', Seeded> = {
  full: { id: 'u-full', values: [['email', 'Asha.Rao@Example.com'], ['phone', '9876543210'], ['username', 'asha_rao']] },
  phoneAndSso: { id: 'u-sso', values: [['phone', '9123456780'], ['externalid', 'Google:Email:ravi@gmail.com']] },
  unindexed: { id: 'u-unindexed', values: [['email', 'meena@example.org']] },
  // A crash between claiming the keyed row and deleting the legacy one.
  halfDone: { id: 'u-half', values: [['email', 'half@example.org'], ['username', 'half_done']] },
  // Already rehashed by an earlier run.
  done: { id: 'u-done', values: [['username', 'done_user']] },
};

const valueOf = (u: Seeded, type: LookupType): string | null => u.values.find(([t]) => t === type)?.[1] ?? null;

async function lookup(type: LookupType, hash: string): Promise<string | undefined> {
  return (await db.execute(`SELECT userid FROM ${db.table('sunbird', 'user_lookup')} WHERE type = ? AND value = ?`, [type, hash])).first()?.get('userid') as string | undefined;
}

async function putLookup(type: LookupType, hash: string, userId: string): Promise<void> {
  await db.execute(`INSERT INTO ${db.table('sunbird', 'user_lookup')} (type, value, userid) VALUES (?, ?, ?)`, [type, hash, userId]);
}

async function seed(): Promise<void> {
  for (const u of Object.values(users)) {
    const email = valueOf(u, 'email');
    const phone = valueOf(u, 'phone');
    await db.execute(`INSERT INTO ${db.table('sunbird', 'user')} (id, userid, firstname, email, phone, username, status) VALUES (?, ?, ?, ?, ?, ?, 1)`, [
      u.id,
      u.id,
      u.id,
      email === null ? null : cipher.encrypt(email),
      phone === null ? null : cipher.encrypt(phone),
      valueOf(u, 'username'),
    ]);
    for (const [type, value] of u.values) {
      if (type === 'externalid') {
        const [provider, idType, id] = value.toLowerCase().split(':') as [string, string, string];
        await db.execute(`INSERT INTO ${db.table('sunbird', 'usr_external_identity')} (provider, idtype, externalid, userid) VALUES (?, ?, ?, ?)`, [provider, idType, id, u.id]);
      }
      if (u !== users.done) await putLookup(type, legacyLookupHash(type, value), u.id);
      if (u === users.done || u === users.halfDone) await putLookup(type, cipher.lookupHash(type, value), u.id);
    }
  }
  // A claim whose user was never written (an interrupted create): no value produces it.
  await putLookup('email', legacyLookupHash('email', 'ghost@example.org'), 'u-ghost');
  for (const u of [users.full, users.phoneAndSso]) {
    const email = valueOf(u, 'email');
    const phone = valueOf(u, 'phone');
    await search.index('user_alias', u.id, {
      id: u.id,
      firstName: u.id,
      emailHash: email === null ? null : legacyLookupHash('email', email),
      phoneHash: phone === null ? null : legacyLookupHash('phone', phone),
    });
  }
  await search.refresh('user_alias');
}

/** Every lookup row and user document, to compare before and after a run. */
async function snapshot(): Promise<unknown> {
  const rows = await db.execute(`SELECT type, value, userid FROM ${db.table('sunbird', 'user_lookup')}`);
  const lookups = rows.rows.map((r) => `${String(r.get('type'))} ${String(r.get('value'))} ${String(r.get('userid'))}`).sort();
  const docs = await search.search('user_alias', { query: { match_all: {} }, size: 100 });
  return { lookups, docs: docs.hits.map((h) => ({ id: h.id, ...h.source })).sort((a, b) => a.id.localeCompare(b.id)) };
}

function contextFor(cfg: LernConfig, log: (line: string) => void): CodeMigrationContext {
  return { db, keyspace: db.keyspace('sunbird'), table: (name) => db.table('sunbird', name), config: cfg, log };
}

const findByFilter = async (filters: Record<string, unknown>): Promise<string[]> =>
  (await search.search('user_alias', toEngineSearch({ filters }, USER_SEARCH_PROFILE, cipher))).hits.map((h) => h.id).sort();

beforeAll(async () => {
  const servers = await requireServers(['cassandra', 'elasticsearch']);
  const env = {
    ...servers,
    LERN_CASSANDRA_KEYSPACE_PREFIX: `${names.keyspace}_`,
    LERN_SEARCH_INDEX_PREFIX: `${names.index}-`,
    LERN_SEARCH_ENGINE: 'elasticsearch',
    LERN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  config = loadConfig(env);
  cipher = createPiiCipher(env.LERN_ENCRYPTION_KEY);
  const before = await discoverComponents(rootBeforeV004(), { services: ['userorg'] });
  await migrateCassandra({ config, components: before });
  await migrateSearch({ config, components: before });
  db = createCassandra(config.cassandra);
  search = createSearch(config.search);
  await seed();
});

afterAll(async () => {
  await db?.execute(`DROP KEYSPACE IF EXISTS ${db.keyspace('sunbird')}`, [], { prepare: false });
  await search?.request('DELETE', `/${names.index}-*`);
  await db?.close();
  await search?.close();
});

describe('V004__rehash_lookups', () => {
  it('the legacy rows are found by the unkeyed hash before it runs', async () => {
    expect(await lookup('phone', legacyLookupHash('phone', '9876543210'))).toBe(users.full.id);
    expect(await lookup('phone', cipher.lookupHash('phone', '9876543210'))).toBeUndefined();
  });

  it('runs once through the kit runner, and every identifier then finds its user by the keyed hash only', async () => {
    const lines: string[] = [];
    const components = await discoverComponents(repoRoot(), { services: ['userorg'] });
    const report = await migrateCassandra({ config, components, log: (l) => lines.push(l) });
    expect(report.applied).toEqual([`userorg ${db.keyspace('sunbird')}/${V004}`]);
    expect(lines.join('\n')).toContain('rehashed 3 email, 2 phone, 2 username, 1 externalid lookups; 1 already current;');
    for (const u of Object.values(users)) {
      for (const [type, value] of u.values) {
        expect(await lookup(type, cipher.lookupHash(type, value)), `${u.id} ${type}`).toBe(u.id);
        expect(await lookup(type, legacyLookupHash(type, value)), `${u.id} ${type} legacy`).toBeUndefined();
      }
    }
    // As the service asks: the value as a user typed it, normalised, then hashed.
    expect(await lookup('email', cipher.lookupHash('email', ' asha.rao@EXAMPLE.com'))).toBe(users.full.id);
    expect(await lookup('externalid', cipher.lookupHash('externalid', 'google:EMAIL:Ravi@Gmail.com'))).toBe(users.phoneAndSso.id);
    // Nothing produces the ghost's row: it stays as it was.
    expect(await lookup('email', legacyLookupHash('email', 'ghost@example.org'))).toBe('u-ghost');
  });

  it('rewrote the search documents, so the email and phone filters find their users', async () => {
    const doc = await search.get<Record<string, unknown>>('user_alias', users.full.id);
    expect(doc).toMatchObject({ emailHash: cipher.lookupHash('email', 'asha.rao@example.com'), phoneHash: cipher.lookupHash('phone', '9876543210') });
    expect(await findByFilter({ phone: '9876543210' })).toEqual([users.full.id]);
    expect(await findByFilter({ email: 'Asha.Rao@example.com' })).toEqual([users.full.id]);
    expect(await findByFilter({ phone: ['9123456780', '9876543210'] })).toEqual([users.full.id, users.phoneAndSso.id]);
    // A user without a document is not given one (a reindex writes whole documents).
    expect(await search.get('user_alias', users.unindexed.id)).toBeNull();
  });

  it('the hash fields themselves cannot be searched from a request, on the real engine', async () => {
    const keyed = cipher.lookupHash('phone', '9876543210');
    expect(await findByFilter({ phoneHash: keyed })).toEqual([]);
    expect(await findByFilter({ phoneHash: { startsWith: keyed.slice(0, 1) } })).toEqual([]);
    expect(await findByFilter({ phoneHash: null })).toEqual([users.full.id, users.phoneAndSso.id]);
  });

  it('a re-run (after a crash, or by hand) changes nothing', async () => {
    const before = await snapshot();
    const lines: string[] = [];
    await up(contextFor(config, (l) => lines.push(l)));
    expect(await snapshot()).toEqual(before);
    expect(lines.at(-1)).toContain('rehashed 0 email, 0 phone, 0 username, 0 externalid lookups; 9 already current;');
    const report = await migrateCassandra({ config, components: await discoverComponents(repoRoot(), { services: ['userorg'] }) });
    expect(report.applied).toEqual([]);
    expect(report.unchanged).toContain(`userorg ${db.keyspace('sunbird')}/${V004}`);
  });

  it('refuses another key before writing anything', async () => {
    const before = await snapshot();
    await expect(up(contextFor({ ...config, encryptionKey: randomBytes(32).toString('hex') }, () => undefined))).rejects.toThrow(/LERN_ENCRYPTION_KEY does not decrypt/);
    await expect(up(contextFor({ ...config, encryptionKey: undefined }, () => undefined))).rejects.toThrow(/LERN_ENCRYPTION_KEY is not set/);
    expect(await snapshot()).toEqual(before);
  });
});
