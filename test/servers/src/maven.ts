import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withLock } from './lock.ts';
import { runLogged } from './progress.ts';
import { ensureAptPackages, which } from './system.ts';
import type { ServerContext } from './types.ts';

/** The dependency plugin version used for every fetch (pinned: Maven 3.8 would otherwise pick one itself). */
export const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/** One Maven artifact, as in `groupId:artifactId:version[:type[:classifier]]`. */
export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  /** @default 'jar' */
  type?: string;
  classifier?: string;
  /** `groupId:artifactId` of transitive dependencies to leave out (`*` wildcards allowed, as in Maven). */
  exclusions?: readonly string[];
}

/** Parses `groupId:artifactId:version[:type[:classifier]]`; anything else is an error naming the bad value. */
export function parseCoordinates(coordinates: string): MavenArtifact {
  const parts = coordinates.split(':');
  const [groupId, artifactId, version, type, classifier] = parts;
  if (parts.length < 3 || parts.length > 5 || !groupId || !artifactId || !version || parts.some((p) => p === '')) {
    throw new Error(`not Maven coordinates (groupId:artifactId:version[:type[:classifier]]): ${coordinates}`);
  }
  return { groupId, artifactId, version, ...(type ? { type } : {}), ...(classifier ? { classifier } : {}) };
}

/** The `g:a:v[:type[:classifier]]` form of an artifact, as `dependency:copy -Dartifact=` expects it. */
export function formatCoordinates(artifact: MavenArtifact): string {
  const type = artifact.type ?? (artifact.classifier ? 'jar' : undefined);
  return [artifact.groupId, artifact.artifactId, artifact.version, type, artifact.classifier].filter((p) => p !== undefined).join(':');
}

const xml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function dependencyXml(artifact: MavenArtifact, indent: string): string {
  const lines = [
    `<dependency>`,
    `  <groupId>${xml(artifact.groupId)}</groupId>`,
    `  <artifactId>${xml(artifact.artifactId)}</artifactId>`,
    `  <version>${xml(artifact.version)}</version>`,
    ...(artifact.type && artifact.type !== 'jar' ? [`  <type>${xml(artifact.type)}</type>`] : []),
    ...(artifact.classifier ? [`  <classifier>${xml(artifact.classifier)}</classifier>`] : []),
  ];
  if (artifact.exclusions && artifact.exclusions.length > 0) {
    lines.push('  <exclusions>');
    for (const exclusion of artifact.exclusions) {
      const [groupId = '*', artifactId = '*'] = exclusion.split(':');
      lines.push(`    <exclusion><groupId>${xml(groupId)}</groupId><artifactId>${xml(artifactId)}</artifactId></exclusion>`);
    }
    lines.push('  </exclusions>');
  }
  lines.push('</dependency>');
  return lines.map((l) => `${indent}${l}`).join('\n');
}

/**
 * A throwaway project whose dependencies are the artifacts to fetch. `pins` go to dependencyManagement:
 * they fix the version of a transitive dependency without adding it.
 */
export function pomFor(artifacts: readonly MavenArtifact[], pins: readonly MavenArtifact[] = []): string {
  const managed =
    pins.length > 0
      ? `  <dependencyManagement>\n    <dependencies>\n${pins.map((p) => dependencyXml(p, '      ')).join('\n')}\n    </dependencies>\n  </dependencyManagement>\n`
      : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated to fetch artifacts from Maven Central; not a build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lern.servers</groupId>
  <artifactId>fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
${managed}  <dependencies>
${artifacts.map((a) => dependencyXml(a, '    ')).join('\n')}
  </dependencies>
</project>
`;
}

/** What to fetch and where; the output folder is complete or absent, never half-filled. */
export interface MavenFetch {
  /** Top-level artifacts, as objects or `g:a:v[:type[:classifier]]` strings. */
  artifacts: readonly (MavenArtifact | string)[];
  /** Versions forced on transitive dependencies (dependencyManagement). */
  pins?: readonly (MavenArtifact | string)[];
  /** Where the files end up. A finished folder holds a `.complete` marker listing what was asked for. */
  outputDir: string;
  /** Shown while fetching, e.g. `kafka 4.4.0: fetching jars from Maven Central`. */
  label: string;
}

const MARKER = '.complete';
const asArtifact = (a: MavenArtifact | string): MavenArtifact => (typeof a === 'string' ? parseCoordinates(a) : a);

/** The Maven local repository shared by every server's fetches, inside the cache root. */
export function localRepository(ctx: Pick<ServerContext, 'paths'>): string {
  return join(ctx.paths.cacheRoot, 'maven-repository');
}

/** True when `outputDir` already holds a finished fetch of exactly this request. */
export function isFetched(outputDir: string, request: string): boolean {
  const marker = join(outputDir, MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8') === request;
}

// One mvn at a time per process (servers are obtained concurrently); withLock covers other processes.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

async function runMaven(ctx: ServerContext, request: string, outputDir: string, label: string, goal: (pom: string, out: string) => string[]): Promise<void> {
  if (isFetched(outputDir, request)) return;
  const repo = localRepository(ctx);
  mkdirSync(repo, { recursive: true });
  await ensureAptPackages(['maven'], () => which('mvn') !== undefined, ctx.progress, join(ctx.dataDir, 'logs', 'obtain.log'));
  await serialized(() =>
    withLock(repo, 'maven local repository', async () => {
      if (isFetched(outputDir, request)) return;
      await ctx.progress.step(label, async () => {
        const partial = `${outputDir}.partial`;
        rmSync(partial, { recursive: true, force: true });
        mkdirSync(partial, { recursive: true });
        const work = join(dirname(outputDir), `${outputDir.split('/').at(-1) ?? 'fetch'}.mvn`);
        mkdirSync(work, { recursive: true });
        const pom = join(work, 'pom.xml');
        try {
          await runLogged('mvn', [...goal(pom, partial), '-B', '-ntp', `-Dmaven.repo.local=${repo}`, '-f', pom], {
            cwd: work,
            logFile: join(work, 'mvn.log'),
            hint: 'Maven Central must be reachable (mvn reads proxies from ~/.m2/settings.xml).',
          });
        } catch (error) {
          rmSync(partial, { recursive: true, force: true });
          throw error;
        }
        writeFileSync(join(partial, MARKER), request);
        rmSync(outputDir, { recursive: true, force: true });
        renameSync(partial, outputDir);
      });
    }),
  );
}

/**
 * Fetches artifacts with their runtime dependencies into `outputDir` (one flat folder of jars, the
 * classpath of a server), through a generated pom and `dependency:copy-dependencies`. A no-op when
 * the folder already holds the same request. Returns the jar paths.
 */
export async function fetchWithDependencies(ctx: ServerContext, fetch: MavenFetch): Promise<string[]> {
  const artifacts = fetch.artifacts.map(asArtifact);
  const pins = (fetch.pins ?? []).map(asArtifact);
  const pom = pomFor(artifacts, pins);
  await runMaven(ctx, pom, fetch.outputDir, fetch.label, (pomFile, out) => {
    writeFileSync(pomFile, pom);
    return [`${DEPENDENCY_PLUGIN}:copy-dependencies`, '-DincludeScope=runtime', `-DoutputDirectory=${out}`];
  });
  return jarsIn(fetch.outputDir);
}

/**
 * Fetches one artifact without its dependencies (a distribution zip, a plugin) into `outputDir`
 * through `dependency:copy`. Returns the file's path.
 */
export async function fetchArtifact(ctx: ServerContext, coordinates: MavenArtifact | string, outputDir: string, label: string): Promise<string> {
  const artifact = asArtifact(coordinates);
  const request = formatCoordinates(artifact);
  await runMaven(ctx, request, outputDir, label, (pomFile, out) => {
    writeFileSync(pomFile, pomFor([]));
    return [`${DEPENDENCY_PLUGIN}:copy`, `-Dartifact=${request}`, `-DoutputDirectory=${out}`];
  });
  const file = readdirSync(outputDir).find((f) => f.startsWith(`${artifact.artifactId}-${artifact.version}`));
  if (!file) throw new Error(`${request}: fetched, but no ${artifact.artifactId}-${artifact.version}* file in ${outputDir}`);
  return join(outputDir, file);
}

/** The jars in a folder, sorted, as absolute paths (for a `-cp`). */
export function jarsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => join(dir, f));
}
