import { ServerManager, isolatedNames, type IsolatedNames, type ServerName } from '@lern/test-servers';

const manager = new ServerManager();

/**
 * Makes sure the named servers run (a probe when they already do) and returns their endpoints,
 * the same variables `lern servers env` prints.
 */
export async function requireServers(names: readonly ServerName[]): Promise<Record<string, string>> {
  await manager.up(names);
  return manager.env(names);
}

/** Names for one test file's keyspaces, indices, topics and namespaces, unique per run. */
export function testNames(fileUrl: string): IsolatedNames {
  return isolatedNames(new URL(fileUrl).pathname);
}
