import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import cassandra from 'cassandra-driver';
import type { LernConfig } from '../config.ts';
import { createCassandra, quoteIdentifier, type CassandraConnector } from '../connectors/cassandra.ts';
import type { Component } from './discover.ts';
import {
  checksum,
  parseMigrationFileName,
  planCassandra,
  splitCql,
  type AppliedMigration,
  type CassandraMigration,
  type CodeMigration,
  type CodeMigrationContext,
  type CodeMigrationModule,
} from './cql.ts';
import type { MigrationReport, MigrateOptions } from './cli.ts';

const MIGRATION_TABLE = 'lern_schema_migrations';
const LOCK_TABLE = 'lern_migration_lock';
const LOCK_TTL_SECONDS = 120;

async function listDir(path: string): Promise<Dirent[]> {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Reads `<component>/migrations/cassandra/<keyspace>/V<NNN>__<what>.cql` and code migrations
 * `V<NNN>__<what>.ts` of every component (code is checksummed here, imported only when applied).
 */
export async function readCassandraMigrations(components: readonly Component[]): Promise<CassandraMigration[]> {
  const migrations: CassandraMigration[] = [];
  for (const component of components) {
    const base = join(component.dir, 'migrations', 'cassandra');
    for (const ks of await listDir(base)) {
      if (!ks.isDirectory()) continue;
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(ks.name)) throw new Error(`${component.name}: keyspace folder '${ks.name}' is not a valid keyspace name`);
      const isMigrationFile = (f: Dirent): boolean => f.isFile() && (f.name.endsWith('.cql') || (f.name.endsWith('.ts') && !f.name.endsWith('.d.ts')));
      for (const file of (await listDir(join(base, ks.name))).filter(isMigrationFile)) {
        const parsed = parseMigrationFileName(file.name);
        if (!parsed) throw new Error(`${component.name}: ${ks.name}/${file.name} is not named V<NNN>__<what>.cql or V<NNN>__<what>.ts`);
        const path = join(base, ks.name, file.name);
        const text = await readFile(path, 'utf8');
        const identity = { component: component.name, keyspace: ks.name, version: parsed.version, name: file.name, checksum: checksum(text) };
        if (file.name.endsWith('.ts')) {
          migrations.push({ ...identity, path });
          continue;
        }
        let statements: string[];
        try {
          statements = splitCql(text);
        } catch (error) {
          throw new Error(`${component.name}: ${ks.name}/${file.name}: ${(error as Error).message}`, { cause: error });
        }
        migrations.push({ ...identity, statements });
      }
    }
  }
  return migrations;
}

/** A lock row taken with a lightweight transaction; its TTL frees it if the holder dies. */
async function acquireLock(db: CassandraConnector, ks: string, owner: string, timeoutMs: number, log: (line: string) => void): Promise<() => Promise<void>> {
  const table = `${quoteIdentifier(ks)}.${LOCK_TABLE}`;
  const started = Date.now();
  let waited = false;
  for (;;) {
    const result = await db.execute(`INSERT INTO ${table} (name, owner, acquired_at) VALUES ('migrate', ?, toTimestamp(now())) IF NOT EXISTS USING TTL ${LOCK_TTL_SECONDS}`, [owner], {
      serialConsistency: cassandra.types.consistencies.localSerial,
    });
    if (result.wasApplied()) break;
    if (!waited) {
      log(`cassandra: ${ks}: waiting for the migration lock held by ${String(result.first()?.get('owner'))}`);
      waited = true;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`keyspace ${ks}: migration lock still held after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 500 + Math.random() * 500));
  }
  // Keep the lock alive while long migrations run.
  const heartbeat = setInterval(() => {
    db.execute(`UPDATE ${table} USING TTL ${LOCK_TTL_SECONDS} SET acquired_at = toTimestamp(now()) WHERE name = 'migrate' IF owner = ?`, [owner], {
      serialConsistency: cassandra.types.consistencies.localSerial,
    }).catch(() => undefined);
  }, (LOCK_TTL_SECONDS * 1000) / 4);
  heartbeat.unref();
  return async () => {
    clearInterval(heartbeat);
    await db.execute(`DELETE FROM ${table} WHERE name = 'migrate' IF owner = ?`, [owner], { serialConsistency: cassandra.types.consistencies.localSerial });
  };
}

/** Imports a code migration and checks that it exports `up`. */
async function loadCodeMigration(file: CodeMigration, ks: string): Promise<CodeMigrationModule> {
  const where = `${file.component}: ${ks}/${file.name}`;
  let loaded: Partial<CodeMigrationModule>;
  try {
    loaded = (await import(pathToFileURL(file.path).href)) as Partial<CodeMigrationModule>;
  } catch (error) {
    throw new Error(`${where} could not be loaded: ${(error as Error).message}`, { cause: error });
  }
  if (typeof loaded.up !== 'function') throw new Error(`${where} does not export async function up(ctx)`);
  return { up: loaded.up };
}

/** Client-side wait for one schema statement: a busy node with many tables answers DDL slowly. */
const SCHEMA_READ_TIMEOUT_MS = 60_000;
/** Times a statement that timed out is sent again. */
const SCHEMA_RETRIES = 2;

/**
 * Runs a schema statement, sending it again when the client gave up waiting: the node may still
 * apply it, and migrations are written to be re-run (`IF NOT EXISTS`), so a second send is safe.
 */
async function executeSchemaStatement(db: CassandraConnector, statement: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.execute(statement, [], { prepare: false, readTimeout: SCHEMA_READ_TIMEOUT_MS });
      return;
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'OperationTimedOutError';
      if (!timedOut || attempt >= SCHEMA_RETRIES) throw error;
    }
  }
}

/** Runs one file: its statements in order, or its `up`. Throws naming the file (and statement). */
async function applyFile(file: CassandraMigration, db: CassandraConnector, ks: string, config: MigrateOptions['config'], log: (line: string) => void): Promise<void> {
  if ('statements' in file) {
    for (const [index, statement] of file.statements.entries()) {
      try {
        await executeSchemaStatement(db, statement);
      } catch (error) {
        throw new Error(`${file.component}: ${ks}/${file.name} statement ${index + 1} failed: ${(error as Error).message}\n  ${statement}`, { cause: error });
      }
    }
    return;
  }
  const migration = await loadCodeMigration(file, ks);
  const ctx: CodeMigrationContext = {
    db,
    keyspace: ks,
    table: (name) => `${quoteIdentifier(ks)}.${quoteIdentifier(name)}`,
    config,
    log: (line) => log(`cassandra: ${file.component} ${ks}/${file.name}: ${line}`),
  };
  try {
    await migration.up(ctx);
  } catch (error) {
    throw new Error(`${file.component}: ${ks}/${file.name} failed: ${(error as Error).message}`, { cause: error });
  }
}

async function ensureKeyspace(db: CassandraConnector, ks: string, config: LernConfig['cassandra']): Promise<void> {
  const replication = `{'class': 'NetworkTopologyStrategy', '${config.localDataCenter.replace(/'/g, "''")}': ${config.replicationFactor}}`;
  await db.execute(`CREATE KEYSPACE IF NOT EXISTS ${quoteIdentifier(ks)} WITH replication = ${replication}`, [], { prepare: false });
  await db.execute(
    `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(ks)}.${MIGRATION_TABLE} (component text, version int, name text, checksum text, applied_at timestamp, PRIMARY KEY ((component), version))`,
    [],
    { prepare: false },
  );
  await db.execute(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(ks)}.${LOCK_TABLE} (name text PRIMARY KEY, owner text, acquired_at timestamp)`, [], {
    prepare: false,
  });
}

async function readApplied(db: CassandraConnector, ks: string, components: string[]): Promise<AppliedMigration[]> {
  const rows: AppliedMigration[] = [];
  for (const component of components) {
    const result = await db.execute(`SELECT component, version, name, checksum FROM ${quoteIdentifier(ks)}.${MIGRATION_TABLE} WHERE component = ?`, [component]);
    for (const row of result.rows) {
      rows.push({ component: row.get('component') as string, version: row.get('version') as number, name: row.get('name') as string, checksum: row.get('checksum') as string });
    }
  }
  return rows;
}

/**
 * Applies the components' CQL and code migrations, keyspace by keyspace, each under a lock: creates
 * the keyspace (prefixed) if missing, applies the files not yet recorded in order, records each with
 * its checksum. Fails, applying nothing in that keyspace, when an applied file changed.
 */
export async function migrateCassandra(options: MigrateOptions): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const config = options.config.cassandra;
  const files = await readCassandraMigrations(options.components);
  const report: MigrationReport = { applied: [], unchanged: [] };
  if (files.length === 0) return report;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const admin = createCassandra(config, { applicationName: 'lern-migrate' });
  try {
    const keyspaces = [...new Set(files.map((f) => f.keyspace))].sort();
    for (const keyspace of keyspaces) {
      const ks = admin.keyspace(keyspace);
      const ksFiles = files.filter((f) => f.keyspace === keyspace);
      await ensureKeyspace(admin, ks, config);
      const release = await acquireLock(admin, ks, owner, options.lockTimeoutMs ?? 600_000, log);
      try {
        const applied = await readApplied(admin, ks, [...new Set(ksFiles.map((f) => f.component))]);
        const plan = planCassandra(ksFiles, applied);
        for (const warning of plan.warnings) log(`cassandra: ${ks}: warning: ${warning}`);
        if (plan.errors.length > 0) throw new Error(plan.errors.join('\n'));
        for (const file of plan.unchanged) report.unchanged.push(`${file.component} ${ks}/${file.name}`);
        if (plan.apply.length === 0) continue;
        const db = createCassandra(config, { keyspace, applicationName: 'lern-migrate' });
        try {
          for (const file of plan.apply) {
            await applyFile(file, db, ks, options.config, log);
            await admin.execute(`INSERT INTO ${quoteIdentifier(ks)}.${MIGRATION_TABLE} (component, version, name, checksum, applied_at) VALUES (?, ?, ?, ?, toTimestamp(now()))`, [
              file.component,
              file.version,
              file.name,
              file.checksum,
            ]);
            report.applied.push(`${file.component} ${ks}/${file.name}`);
            log(`cassandra: applied ${file.component} ${ks}/${file.name}`);
          }
        } finally {
          await db.close();
        }
      } finally {
        await release().catch(() => undefined);
      }
    }
  } finally {
    await admin.close();
  }
  return report;
}
