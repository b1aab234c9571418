import { ServerManager, parseServerNames } from '@lern/test-servers';

/**
 * Starts (or reuses) the real servers once per test run. `LERN_TEST_SERVERS=redis,postgres` limits the
 * set, for a quick run of the suites that need only those; every file also asks for its own servers
 * through `requireServers`, which is a cheap probe when they already run.
 */
export default async function setup(): Promise<void> {
  const names = parseServerNames(process.env.LERN_TEST_SERVERS);
  await new ServerManager().up(names);
}
