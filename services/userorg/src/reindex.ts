/**
 * `lern reindex [user|organisation|location ...]`: rebuilds the User-Org search documents from
 * Cassandra (the same work as POST /v1/data/sync), for a new index version or a lost index.
 */
import { closeConnectors, createConnectors, loadConfig, requireConfig, type Env } from '@lern/kit';
import { createDeps } from './context.ts';
import { createPiiCipher } from './pii.ts';
import { UserOrgStore } from './store/index.ts';
import { sync, SYNC_TYPES, type SyncType } from './sync/operations.ts';

/** Usage of `lern reindex`. */
export const REINDEX_HELP = `Usage: lern reindex [user] [organisation] [location]

Rebuilds the User-Org search documents from Cassandra (default: all three types).
Reads the same environment as the service (LERN_CASSANDRA_*, LERN_SEARCH_*, LERN_ENCRYPTION_KEY).
`;

const isSyncType = (a: string): a is SyncType => (SYNC_TYPES as readonly string[]).includes(a);

/** Runs the re-index; 0 = done, 1 = failed (message on stderr), 2 = bad usage. */
export async function reindexCommand(argv: string[], env: Env = process.env): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(REINDEX_HELP);
    return 0;
  }
  const unknown = argv.filter((a) => !isSyncType(a));
  if (unknown.length > 0) {
    process.stderr.write(`lern reindex: unknown type ${unknown.join(', ')}\n\n${REINDEX_HELP}`);
    return 2;
  }
  const types = argv.length > 0 ? argv.filter(isSyncType) : [...SYNC_TYPES];
  const config = loadConfig(env);
  requireConfig(config, ['cassandra', 'search']);
  if (!config.encryptionKey) {
    process.stderr.write('lern reindex: LERN_ENCRYPTION_KEY is not set\n');
    return 1;
  }
  const connectors = createConnectors(config, ['cassandra', 'search']);
  try {
    const write = (o: object, m: string) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`);
    const deps = createDeps({
      store: new UserOrgStore(connectors.cassandra!, createPiiCipher(config.encryptionKey)),
      search: connectors.search!,
      redis: null,
      kafka: null,
      callers: null,
      log: { warn: write, error: write },
    });
    for (const type of types) {
      const count = await sync(deps, type);
      process.stdout.write(`${type}: ${count} documents\n`);
    }
    return 0;
  } finally {
    await closeConnectors(connectors);
  }
}
