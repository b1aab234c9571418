import { loadConfig, requireConfig, type Env, type LernConfig } from '../config.ts';
import { discoverComponents, repoRoot, type Component, type ComponentCatalogue, type ComponentFilter } from './discover.ts';
import { migrateCassandra } from './cassandra.ts';
import { migrateSearch } from './search.ts';
import { migrateKafka } from './kafka.ts';

/** What a migration run did: entries applied now, entries already in place. */
export interface MigrationReport {
  applied: string[];
  unchanged: string[];
}

/** Input of each store's migration runner. */
export interface MigrateOptions {
  config: LernConfig;
  components: readonly Component[];
  /** Progress lines. @default none */
  log?: (line: string) => void;
  /** Cassandra: how long to wait for another runner's lock. @default 600000 */
  lockTimeoutMs?: number;
}

/** Usage of `lern migrate`. */
export const MIGRATE_HELP = `Usage: lern migrate <cassandra|search|kafka> [--services a,b] [--jobs c,d]

Applies the migrations of the named components (default: every service and job this version runs) for one store:
  cassandra  services/<name>/migrations/cassandra/<keyspace>/V<NNN>__<what>.cql
  search     services/<name>/migrations/search/<alias>.json
  kafka      services/<name>/migrations/kafka/topics.yaml
Idempotent: a second run changes nothing. Exit 0 when applied, 1 when a migration failed, 2 on bad usage.
Connection settings come from the environment (see docs/configuration.md).
`;

const RUNNERS = { cassandra: migrateCassandra, search: migrateSearch, kafka: migrateKafka } as const;
type Store = keyof typeof RUNNERS;

/** Parses `lern migrate` arguments (pure); throws with a usage message on bad input. */
export function parseMigrateArgs(argv: readonly string[]): { store: Store; filter: ComponentFilter } {
  const [store, ...rest] = argv;
  if (store === undefined || !(store in RUNNERS)) throw new Error(store === undefined ? 'missing store' : `unknown store '${store}'`);
  const filter: ComponentFilter = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag !== '--services' && flag !== '--jobs') throw new Error(`unknown option '${arg}'`);
    const value = inline ?? rest[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a comma-separated list`);
    const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (flag === '--services') filter.services = names;
    else filter.jobs = names;
  }
  return { store: store as Store, filter };
}

/**
 * `lern migrate <store> ...`: exit 0 applied, 1 failed (message on stderr), 2 usage. The cli passes
 * the catalogue of components this version runs; names outside it are refused.
 */
export async function migrateCommand(argv: string[], env: Env = process.env, root: string = repoRoot(), catalogue?: ComponentCatalogue): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(MIGRATE_HELP);
    return 0;
  }
  let parsed: ReturnType<typeof parseMigrateArgs>;
  try {
    parsed = parseMigrateArgs(argv);
  } catch (error) {
    process.stderr.write(`lern migrate: ${(error as Error).message}\n\n${MIGRATE_HELP}`);
    return 2;
  }
  const { store, filter } = parsed;
  try {
    const config = loadConfig(env);
    requireConfig(config, [store]);
    const components = await discoverComponents(root, filter, catalogue);
    const report = await RUNNERS[store]({ config, components, log: (line) => process.stdout.write(`${line}\n`) });
    process.stdout.write(`migrate ${store}: ${report.applied.length} applied, ${report.unchanged.length} unchanged\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`lern migrate ${store}: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
