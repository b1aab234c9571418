import { createHash } from 'node:crypto';
import type { LernConfig } from '../config.ts';
import type { CassandraConnector } from '../connectors/cassandra.ts';

/** What every versioned migration file of a keyspace has, CQL or code. */
export interface MigrationFile {
  component: string;
  /** Unprefixed keyspace. */
  keyspace: string;
  version: number;
  /** File name, e.g. `V001__create_user.cql` or `V004__rehash_lookups.ts`. */
  name: string;
  /** Of the file's text, so an applied file that changes is caught. */
  checksum: string;
}

/** One versioned CQL file of a component for a keyspace. */
export interface CqlMigration extends MigrationFile {
  statements: string[];
}

/** One versioned code migration (`V<NNN>__<what>.ts` exporting `up`), loaded only when it is applied. */
export interface CodeMigration extends MigrationFile {
  /** Absolute path of the module. */
  path: string;
}

/** A migration file of either kind; they share one version sequence per component and keyspace. */
export type CassandraMigration = CqlMigration | CodeMigration;

/** What a code migration's `up` receives. */
export interface CodeMigrationContext {
  /** Connector whose session uses the migration's keyspace. */
  db: CassandraConnector;
  /** The keyspace, prefixed (LERN_CASSANDRA_KEYSPACE_PREFIX). */
  keyspace: string;
  /** Quoted, qualified name of a table of that keyspace: table('user') -> '"p_sunbird"."user"'. */
  table(name: string): string;
  /** The whole configuration (a migration may need the encryption key or another store). */
  config: LernConfig;
  /** Progress lines, prefixed with the file. */
  log(line: string): void;
}

/**
 * A code migration module. `up` runs once, under the keyspace's migration lock, and is recorded
 * only when it resolves; after a crash it runs again from the start, so it must be idempotent
 * (write new rows before deleting old ones, skip rows already in the new form).
 */
export interface CodeMigrationModule {
  up(ctx: CodeMigrationContext): Promise<void>;
}

/** A row of the migration table. */
export interface AppliedMigration {
  component: string;
  version: number;
  name: string;
  checksum: string;
}

/** What a run does for one keyspace: files to apply in order, files already applied, and errors. */
export interface CassandraPlan<F extends MigrationFile = CqlMigration> {
  apply: F[];
  unchanged: F[];
  errors: string[];
  warnings: string[];
}

const FILE_NAME = /^V(\d+)__([A-Za-z0-9_.-]+)\.(?:cql|ts)$/;

/**
 * `V001__create_user.cql` -> {version: 1, description: 'create_user'} (likewise a code migration
 * `V004__rehash_lookups.ts`); undefined when not a migration name.
 */
export function parseMigrationFileName(name: string): { version: number; description: string } | undefined {
  const m = FILE_NAME.exec(name);
  if (!m) return undefined;
  return { version: Number(m[1]), description: m[2]! };
}

/** sha256 of the text with line endings normalized, so a checkout on another OS keeps the checksum. */
export function checksum(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n?/g, '\n')).digest('hex');
}

/**
 * Splits CQL into statements at `;` outside string literals, quoted identifiers and `$$` blocks,
 * dropping `--`, `//` and block comments and empty statements.
 */
export function splitCql(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if ((c === '-' && next === '-') || (c === '/' && next === '/')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new Error('unterminated /* comment');
      i = end + 2;
      current += ' ';
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= n) throw new Error(`unterminated ${c === "'" ? 'string' : 'quoted identifier'}`);
        if (text[j] === c) {
          if (text[j + 1] === c) {
            j += 2;
            continue;
          }
          break;
        }
        j++;
      }
      current += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '$' && next === '$') {
      const end = text.indexOf('$$', i + 2);
      if (end === -1) throw new Error('unterminated $$ block');
      current += text.slice(i, end + 2);
      i = end + 2;
      continue;
    }
    if (c === ';') {
      if (current.trim() !== '') statements.push(current.trim().replace(/\s+/g, ' '));
      current = '';
      i++;
      continue;
    }
    current += c;
    i++;
  }
  if (current.trim() !== '') statements.push(current.trim().replace(/\s+/g, ' '));
  return statements;
}

/**
 * Decides what to apply in one keyspace (pure). An applied file whose checksum changed is an error,
 * never a silent skip; a recorded version without a file is only a warning (the file was removed).
 */
export function planCassandra<F extends MigrationFile = CqlMigration>(files: readonly F[], applied: readonly AppliedMigration[]): CassandraPlan<F> {
  const plan: CassandraPlan<F> = { apply: [], unchanged: [], errors: [], warnings: [] };
  const key = (component: string, version: number): string => `${component}\u0000${version}`;
  const recorded = new Map(applied.map((a) => [key(a.component, a.version), a]));
  const seen = new Set<string>();
  const ordered = [...files].sort((a, b) => a.component.localeCompare(b.component) || a.version - b.version);
  for (const file of ordered) {
    const k = key(file.component, file.version);
    if (seen.has(k)) {
      plan.errors.push(`${file.component}: two files with version ${file.version} in keyspace ${file.keyspace}`);
      continue;
    }
    seen.add(k);
    const done = recorded.get(k);
    if (!done) plan.apply.push(file);
    else if (done.checksum !== file.checksum) {
      plan.errors.push(
        `${file.component}: ${file.name} in keyspace ${file.keyspace} was changed after it was applied ` +
          `(checksum ${done.checksum.slice(0, 12)} applied, ${file.checksum.slice(0, 12)} now); add a new V<NNN> file instead`,
      );
    } else plan.unchanged.push(file);
  }
  const components = new Set(files.map((f) => f.component));
  for (const a of applied) {
    if (components.has(a.component) && !seen.has(key(a.component, a.version))) {
      plan.warnings.push(`${a.component}: applied version ${a.version} (${a.name}) has no file any more`);
    }
  }
  return plan;
}
