import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import {
  addRoutes,
  checksum,
  createApp,
  createCassandra,
  defineRoute,
  defineService,
  discoverComponents,
  loadConfig,
  migrateCassandra,
  migrateCommand,
  type CassandraConnector,
  type LernConfig,
} from '@lern/kit';
import { makeRoot } from './fixtures.ts';

const names = testNames(import.meta.url);
let env: Record<string, string>;
let db: CassandraConnector;

const configFor = (prefix: string): LernConfig => loadConfig({ ...env, LERN_CASSANDRA_KEYSPACE_PREFIX: prefix });

beforeAll(async () => {
  env = await requireServers(['cassandra']);
  db = createCassandra(loadConfig(env).cassandra);
});
afterAll(async () => {
  const ks = await db.execute('SELECT keyspace_name FROM system_schema.keyspaces');
  for (const row of ks.rows) {
    const name = row.get('keyspace_name') as string;
    if (name.startsWith(names.keyspace)) await db.execute(`DROP KEYSPACE IF EXISTS "${name}"`, [], { prepare: false });
  }
  await db.close();
});

describe('cassandra migrations', () => {
  const prefix = `${names.keyspace}_a_`;
  const fixture = makeRoot();
  fixture.write('services/alpha/migrations/cassandra/sunbird/V001__user.cql', `-- users
CREATE TABLE IF NOT EXISTS user (id text PRIMARY KEY, firstname text);
CREATE TABLE IF NOT EXISTS user_lookup (type text, value text, userid text, PRIMARY KEY ((type, value)));
`);
  fixture.write('services/alpha/migrations/cassandra/sunbird/V002__user_email.cql', 'ALTER TABLE user ADD email text;\n');
  fixture.write('jobs/beta/migrations/cassandra/sunbird_courses/V001__batch.cql', 'CREATE TABLE IF NOT EXISTS course_batch (courseid text, batchid text, PRIMARY KEY (courseid, batchid));');

  it('applies every file, creating the prefixed keyspaces', async () => {
    const components = await discoverComponents(fixture.root);
    const report = await migrateCassandra({ config: configFor(prefix), components });
    expect(report.applied).toEqual([`alpha ${prefix}sunbird/V001__user.cql`, `alpha ${prefix}sunbird/V002__user_email.cql`, `beta ${prefix}sunbird_courses/V001__batch.cql`]);
    const columns = await db.execute('SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [`${prefix}sunbird`, 'user']);
    expect(columns.rows.map((r) => r.get('column_name') as string).sort()).toEqual(['email', 'firstname', 'id']);
    const recorded = await db.execute(`SELECT version, name, checksum FROM "${prefix}sunbird".lern_schema_migrations WHERE component = 'alpha'`);
    expect(recorded.rows.map((r) => [r.get('version') as number, r.get('name') as string])).toEqual([
      [1, 'V001__user.cql'],
      [2, 'V002__user_email.cql'],
    ]);
    expect(recorded.rows[0]!.get('checksum')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a second run changes nothing', async () => {
    const report = await migrateCassandra({ config: configFor(prefix), components: await discoverComponents(fixture.root) });
    expect(report.applied).toEqual([]);
    expect(report.unchanged).toHaveLength(3);
  });

  it('only the named components are migrated', async () => {
    const components = await discoverComponents(fixture.root, { jobs: ['beta'] });
    expect(components.map((c) => c.name)).toEqual(['beta']);
    await expect(discoverComponents(fixture.root, { services: ['gamma'] })).rejects.toThrow(/unknown service 'gamma'/);
  });

  it('a changed applied file is an error, and nothing new is applied in that keyspace', async () => {
    fixture.write('services/alpha/migrations/cassandra/sunbird/V002__user_email.cql', 'ALTER TABLE user ADD email text;\nALTER TABLE user ADD phone text;\n');
    fixture.write('services/alpha/migrations/cassandra/sunbird/V003__user_status.cql', 'ALTER TABLE user ADD status int;\n');
    await expect(migrateCassandra({ config: configFor(prefix), components: await discoverComponents(fixture.root) })).rejects.toThrow(
      /V002__user_email.cql in keyspace .*sunbird was changed after it was applied/,
    );
    const columns = await db.execute('SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [`${prefix}sunbird`, 'user']);
    expect(columns.rows.map((r) => r.get('column_name') as string)).not.toContain('status');
    // The lock was released: after restoring the file the run goes on.
    fixture.write('services/alpha/migrations/cassandra/sunbird/V002__user_email.cql', 'ALTER TABLE user ADD email text;\n');
    const report = await migrateCassandra({ config: configFor(prefix), components: await discoverComponents(fixture.root), lockTimeoutMs: 5_000 });
    expect(report.applied).toEqual([`alpha ${prefix}sunbird/V003__user_status.cql`]);
  });

  it('a failing statement stops the run with the file and statement named', async () => {
    const bad = makeRoot();
    bad.write('services/alpha/migrations/cassandra/sunbird/V001__bad.cql', 'CREATE TABLE IF NOT EXISTS ok (id text PRIMARY KEY);\nCREATE TABLE broken (id nosuchtype PRIMARY KEY);\n');
    await expect(migrateCassandra({ config: configFor(`${names.keyspace}_b_`), components: await discoverComponents(bad.root) })).rejects.toThrow(
      /V001__bad.cql statement 2 failed/,
    );
  });
});

describe('code migrations', () => {
  const prefix = `${names.keyspace}_f_`;
  const fixture = makeRoot();
  const dir = 'services/alpha/migrations/cassandra/sunbird';
  fixture.write(`${dir}/V001__user.cql`, 'CREATE TABLE IF NOT EXISTS user (id text PRIMARY KEY, firstname text, shout text);\nCREATE TABLE IF NOT EXISTS up_runs (id text PRIMARY KEY, n counter);\n');
  fixture.write(`${dir}/V002__seed.cql`, "INSERT INTO user (id, firstname) VALUES ('u1', 'asha');\nINSERT INTO user (id, firstname) VALUES ('u2', 'ravi');\n");
  // Rewrites every row from its first name, counts its runs, and reports what it was given.
  const shout = `import type { CodeMigrationContext } from '@lern/kit';
export async function up(ctx: CodeMigrationContext): Promise<void> {
  await ctx.db.execute(\`UPDATE \${ctx.table('up_runs')} SET n = n + 1 WHERE id = 'V003'\`);
  const rows = await ctx.db.execute(\`SELECT id, firstname FROM \${ctx.table('user')}\`);
  for (const row of rows.rows) await ctx.db.execute(\`UPDATE \${ctx.table('user')} SET shout = ? WHERE id = ?\`, [String(row.get('firstname')).toUpperCase(), row.get('id')]);
  ctx.log(\`keyspace=\${ctx.keyspace} prefix=\${ctx.config.cassandra.keyspacePrefix} rows=\${rows.rowLength}\`);
}
`;
  fixture.write(`${dir}/V003__shout.ts`, shout);
  fixture.write(`${dir}/V004__after.cql`, 'ALTER TABLE user ADD after int;\n');

  const runs = async (): Promise<number> => Number((await db.execute(`SELECT n FROM "${prefix}sunbird".up_runs WHERE id = 'V003'`)).first()?.get('n') ?? 0);

  it('runs in version order between CQL files, with the keyspace, table names, config and log', async () => {
    const lines: string[] = [];
    const components = await discoverComponents(fixture.root);
    const reports = await Promise.all([1, 2].map(async () => migrateCassandra({ config: configFor(prefix), components, log: (l) => lines.push(l) })));
    const report = reports.find((r) => r.applied.length > 0)!;
    expect(report.applied).toEqual([1, 2, 3, 4].map((v) => `alpha ${prefix}sunbird/V00${v}__${['user.cql', 'seed.cql', 'shout.ts', 'after.cql'][v - 1]}`));
    // Two runners, one lock: up ran once.
    expect(await runs()).toBe(1);
    const rows = await db.execute(`SELECT id, shout FROM "${prefix}sunbird".user`);
    expect(Object.fromEntries(rows.rows.map((r) => [r.get('id') as string, r.get('shout') as string]))).toEqual({ u1: 'ASHA', u2: 'RAVI' });
    expect(lines).toContain(`cassandra: alpha ${prefix}sunbird/V003__shout.ts: keyspace=${prefix}sunbird prefix=${prefix} rows=2`);
    const recorded = await db.execute(`SELECT version, name, checksum FROM "${prefix}sunbird".lern_schema_migrations WHERE component = 'alpha' AND version = 3`);
    expect(recorded.first().get('name')).toBe('V003__shout.ts');
    expect(recorded.first().get('checksum')).toBe(checksum(shout));
  });

  it('is recorded: a second run does not run it again', async () => {
    const report = await migrateCassandra({ config: configFor(prefix), components: await discoverComponents(fixture.root) });
    expect(report).toEqual({ applied: [], unchanged: expect.arrayContaining([`alpha ${prefix}sunbird/V003__shout.ts`]) as string[] });
    expect(await runs()).toBe(1);
  });

  it('is checksummed by its content', async () => {
    fixture.write(`${dir}/V003__shout.ts`, `${shout}// edited\n`);
    await expect(migrateCassandra({ config: configFor(prefix), components: await discoverComponents(fixture.root) })).rejects.toThrow(/V003__shout.ts in keyspace .*sunbird was changed after it was applied/);
    fixture.write(`${dir}/V003__shout.ts`, shout);
  });

  it('a failing up stops the run unrecorded, and runs again next time', async () => {
    const p = `${names.keyspace}_g_`;
    const root = makeRoot();
    const ks = `${p}sunbird`;
    root.write(`${dir}/V001__t.cql`, 'CREATE TABLE IF NOT EXISTS gate (id text PRIMARY KEY, open boolean);\nCREATE TABLE IF NOT EXISTS done (id text PRIMARY KEY);\n');
    // Fails until the gate row is open: a crash mid-way, then a fixed world.
    root.write(`${dir}/V002__gated.ts`, `export async function up(ctx) {
  await ctx.db.execute(\`INSERT INTO \${ctx.table('done')} (id) VALUES ('before-gate')\`);
  const gate = await ctx.db.execute(\`SELECT open FROM \${ctx.table('gate')} WHERE id = 'g'\`);
  if (gate.first()?.get('open') !== true) throw new Error('gate closed');
  await ctx.db.execute(\`INSERT INTO \${ctx.table('done')} (id) VALUES ('after-gate')\`);
}
`);
    const components = await discoverComponents(root.root);
    await expect(migrateCassandra({ config: configFor(p), components })).rejects.toThrow(/alpha: .*sunbird\/V002__gated.ts failed: gate closed/);
    const recorded = await db.execute(`SELECT version FROM "${ks}".lern_schema_migrations WHERE component = 'alpha'`);
    expect(recorded.rows.map((r) => r.get('version') as number)).toEqual([1]);
    await db.execute(`INSERT INTO "${ks}".gate (id, open) VALUES ('g', true)`);
    const report = await migrateCassandra({ config: configFor(p), components, lockTimeoutMs: 5_000 });
    expect(report.applied).toEqual([`alpha ${ks}/V002__gated.ts`]);
    expect((await db.execute(`SELECT id FROM "${ks}".done`)).rows.map((r) => r.get('id') as string).sort()).toEqual(['after-gate', 'before-gate']);
  });

  it('refuses a module without up, a badly named one, and a version taken by a CQL file', async () => {
    const p = `${names.keyspace}_h_`;
    const noUp = makeRoot();
    noUp.write(`${dir}/V001__noop.ts`, 'export const down = 1;\n');
    await expect(migrateCassandra({ config: configFor(p), components: await discoverComponents(noUp.root) })).rejects.toThrow(/V001__noop.ts does not export async function up\(ctx\)/);
    const badName = makeRoot();
    badName.write(`${dir}/helpers.ts`, 'export const x = 1;\n');
    await expect(migrateCassandra({ config: configFor(p), components: await discoverComponents(badName.root) })).rejects.toThrow(/helpers.ts is not named V<NNN>__<what>.cql or V<NNN>__<what>.ts/);
    const twice = makeRoot();
    twice.write(`${dir}/V001__a.cql`, 'CREATE TABLE IF NOT EXISTS a (id text PRIMARY KEY);\n');
    twice.write(`${dir}/V001__a.ts`, 'export async function up() {}\n');
    await expect(migrateCassandra({ config: configFor(p), components: await discoverComponents(twice.root) })).rejects.toThrow(/two files with version 1/);
  });
});

describe('concurrent runners', () => {
  it('only one applies a file', async () => {
    const prefix = `${names.keyspace}_c_`;
    const fixture = makeRoot();
    // A counter bump is not idempotent: applied twice, it would read 2.
    fixture.write(
      'services/alpha/migrations/cassandra/sunbird/V001__counter.cql',
      "CREATE TABLE IF NOT EXISTS applied_count (id text PRIMARY KEY, n counter);\nUPDATE applied_count SET n = n + 1 WHERE id = 'V001';\n",
    );
    const components = await discoverComponents(fixture.root);
    const reports = await Promise.all([1, 2, 3].map(async () => migrateCassandra({ config: configFor(prefix), components })));
    expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, 1]);
    expect(reports.map((r) => r.unchanged.length).sort()).toEqual([0, 1, 1]);
    const count = await db.execute(`SELECT n FROM "${prefix}sunbird".applied_count WHERE id = 'V001'`);
    expect(Number(count.first().get('n'))).toBe(1);
  });
});

describe('lern migrate cassandra', () => {
  it('exit 0 applied, 0 again, 1 on a changed file, 2 on bad usage', async () => {
    const prefix = `${names.keyspace}_d_`;
    const fixture = makeRoot();
    fixture.write('services/alpha/migrations/cassandra/sunbird/V001__t.cql', 'CREATE TABLE IF NOT EXISTS t (id text PRIMARY KEY);');
    const cliEnv = { ...env, LERN_CASSANDRA_KEYSPACE_PREFIX: prefix };
    expect(await migrateCommand(['cassandra', '--services', 'alpha'], cliEnv, fixture.root)).toBe(0);
    expect(await migrateCommand(['cassandra'], cliEnv, fixture.root)).toBe(0);
    fixture.write('services/alpha/migrations/cassandra/sunbird/V001__t.cql', 'CREATE TABLE IF NOT EXISTS t (id text PRIMARY KEY, x int);');
    expect(await migrateCommand(['cassandra'], cliEnv, fixture.root)).toBe(1);
    expect(await migrateCommand(['cassandra', '--services', 'nope'], cliEnv, fixture.root)).toBe(1);
    expect(await migrateCommand(['mongo'], cliEnv, fixture.root)).toBe(2);
    expect(await migrateCommand(['cassandra'], { ...cliEnv, LERN_CASSANDRA_CONTACT_POINTS: '' }, fixture.root)).toBe(1);
  });
});

describe('connector and readiness against the real server', () => {
  it('prepared statements, paging, readyz and health', async () => {
    const prefix = `${names.keyspace}_e_`;
    const fixture = makeRoot();
    fixture.write('services/alpha/migrations/cassandra/sunbird/V001__t.cql', 'CREATE TABLE IF NOT EXISTS item (id text PRIMARY KEY, n int);');
    const config = configFor(prefix);
    await migrateCassandra({ config, components: await discoverComponents(fixture.root) });
    const cassandra = createCassandra(config.cassandra);
    try {
      const table = cassandra.table('sunbird', 'item');
      for (let i = 0; i < 30; i++) await cassandra.execute(`INSERT INTO ${table} (id, n) VALUES (?, ?)`, [`id-${i}`, i]);
      let sum = 0;
      await cassandra.eachRow(`SELECT n FROM ${table}`, [], (row) => {
        sum += row.get('n') as number;
      }, { fetchSize: 7 });
      expect(sum).toBe((29 * 30) / 2);

      const app = await createApp({
        service: defineService({
          name: 'alpha',
          connectors: ['cassandra'],
          register(a, deps) {
            addRoutes(a, defineRoute({
              method: 'GET',
              url: '/v1/item/count',
              policy: 'public',
              async handler() {
                const rs = await deps.connectors.cassandra!.execute(`SELECT count(*) AS c FROM ${table}`);
                return { count: Number(rs.first().get('c')) };
              },
            }));
          },
        }),
        config,
        connectors: { cassandra },
        logger: false,
      });
      await app.ready();
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toMatchObject({ responseCode: 'OK', result: { healthy: true, checks: [{ name: 'cassandra', healthy: true }] } });
      expect((await app.inject({ method: 'GET', url: '/v1/item/count' })).json().result).toEqual({ count: 30 });
      await app.close();
    } finally {
      await cassandra.close();
    }
  });
});
