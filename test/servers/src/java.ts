import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAptPackages } from './system.ts';
import type { ServerContext } from './types.ts';

/** Debian's Java 17: Cassandra 5.0 runs on 11 or 17 only, and Kafka 4.x needs 17 or newer. */
export const JAVA17_HOME = '/usr/lib/jvm/java-17-openjdk-amd64';

/**
 * Java 21 or newer, which Elasticsearch 9 needs and Debian 12 does not package: Temurin 25 first, then
 * Debian 13's OpenJDK 25 and 21.
 */
export const JAVA21_PLUS_HOMES: readonly string[] = [
  '/usr/lib/jvm/temurin-25-jdk-amd64',
  '/usr/lib/jvm/java-25-openjdk-amd64',
  '/usr/lib/jvm/java-21-openjdk-amd64',
];

/** The first of `homes` that holds a `bin/java`. */
export function findJavaHome(homes: readonly string[]): string | undefined {
  return homes.find((home) => existsSync(join(home, 'bin', 'java')));
}

/** Makes sure Java 17 is installed (apt as root, else a clear error) and returns its `java` binary. */
export async function ensureJava17(ctx: ServerContext): Promise<string> {
  const java = join(JAVA17_HOME, 'bin', 'java');
  await ensureAptPackages(['openjdk-17-jre-headless'], () => existsSync(java), ctx.progress, join(ctx.dataDir, 'logs', 'obtain.log'));
  return java;
}
