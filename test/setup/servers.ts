import { ServerManager, parseServerNames } from '@lern/test-servers';
import { sweepStaleTestData } from './sweep.ts';

/**
 * Starts (or reuses) the real servers once per test run, then sweeps what earlier runs left on them.
 * `LERN_TEST_SERVERS=redis,postgres` limits the set, for a quick run of the suites that need only
 * those; every file also asks for its own servers through `requireServers`, which is a cheap probe
 * when they already run.
 */
export default async function setup(): Promise<void> {
  const names = parseServerNames(process.env.LERN_TEST_SERVERS);
  const manager = new ServerManager();
  await manager.up(names);
  const started = Date.now();
  const swept = await sweepStaleTestData(manager.env(names));
  if (swept.keyspaces + swept.indices + swept.topics > 0) {
    process.stdout.write(`[test setup] removed earlier runs' data: ${swept.keyspaces} keyspaces, ${swept.indices} indices, ${swept.topics} topics in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  }
}
