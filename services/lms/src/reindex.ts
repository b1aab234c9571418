/**
 * `lern reindex lms [batch]`-style entry: rebuilds the LMS search documents from Cassandra (the work
 * of POST /v1/data/sync), for a new index version or a lost index. The cli dispatches here.
 */
import { closeConnectors, createConnectors, loadConfig, requireConfig, type Env } from '@lern/kit';
import { BatchStore } from './batches/store.ts';
import { resolveOptions } from './options.ts';
import { SYNC_TYPE_NAMES, SYNC_TYPES, type SyncType } from './operations/sync.ts';

/** Usage of the LMS re-index. */
export const REINDEX_HELP = `Usage: lern reindex lms [${SYNC_TYPE_NAMES.join('] [')}]

Rebuilds the LMS search documents from Cassandra (default: every type).
Reads the same environment as the service (LERN_CASSANDRA_*, LERN_SEARCH_*, LERN_LMS_TIMEZONE).
`;

const isSyncType = (a: string): a is SyncType => (SYNC_TYPE_NAMES as string[]).includes(a);

/** Runs the re-index; 0 = done, 1 = failed, 2 = bad usage. */
export async function reindexCommand(argv: string[], env: Env = process.env): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(REINDEX_HELP);
    return 0;
  }
  const unknown = argv.filter((a) => !isSyncType(a));
  if (unknown.length > 0) {
    process.stderr.write(`lern reindex lms: unknown type ${unknown.join(', ')}\n\n${REINDEX_HELP}`);
    return 2;
  }
  const types = argv.length > 0 ? argv.filter(isSyncType) : SYNC_TYPE_NAMES;
  const config = loadConfig(env);
  requireConfig(config, ['cassandra', 'search']);
  const { timeZone } = resolveOptions({}, env);
  const connectors = createConnectors(config, ['cassandra', 'search']);
  try {
    const deps = { batches: new BatchStore(connectors.cassandra!, timeZone), search: connectors.search!, timeZone };
    for (const type of types) process.stdout.write(`${type}: ${await SYNC_TYPES[type](deps)} documents\n`);
    return 0;
  } finally {
    await closeConnectors(connectors);
  }
}
