import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ensureJava17, findJavaHome, JAVA17_HOME } from '../java.ts';
import { fetchArtifact, fetchWithDependencies, parseCoordinates } from '../maven.ts';
import { httpGet } from '../probe.ts';
import type { Ports } from '../ports.ts';
import { runLogged } from '../progress.ts';
import { chownTree, ensureAptPackages, ownedDir, serviceUser, which } from '../system.ts';
import type { ServerContext, ServerDefinition } from '../types.ts';

/** One module added to a distribution that ships without it, fetched from Maven Central. */
export interface SearchModule {
  /** Folder under `modules/` and the plugin name the node reports. */
  name: string;
  /** `groupId:artifactId:version` of the module's jar; its runtime dependencies come along. */
  artifact: string;
  /** The module's plugin class (the jar carries no descriptor, so one is written). */
  classname: string;
  description: string;
  /** Modules whose class loader this one extends (their jars are not copied again). */
  extendedPlugins?: readonly string[];
  /** Security-manager grants the module needs, e.g. `java.lang.RuntimePermission "createClassLoader"`. */
  permissions?: readonly string[];
}

/** What differs between Elasticsearch and OpenSearch; everything else is shared. */
export interface SearchEngine {
  name: 'elasticsearch' | 'opensearch';
  version: string;
  /** Maven coordinates of the distribution zip (`g:a:v:zip`). */
  distribution: string;
  /** `groupId:artifactId` of the server jar, left out of module dependencies (the distribution's lib/ has it). */
  serverArtifact: string;
  /** Java homes to run on, preferred first; Debian's Java 17 is installed when it is the only choice left. */
  javaHomes: readonly string[];
  /** Start script inside the distribution, e.g. `bin/opensearch`. */
  launcher: string;
  /** Name of the node settings file inside the config folder. */
  settingsFile: string;
  /** Environment variable names the start script reads. */
  variables: { javaHome: string; pathConf: string; javaOpts: string; tmpDir: string };
  /** Key of the server version in a plugin descriptor. */
  descriptorVersionKey: string;
  httpPort(ports: Ports): number;
  transportPort(ports: Ports): number;
  /** Settings only this engine knows (an unknown setting stops the node). */
  extraSettings: Readonly<Record<string, string | number | boolean>>;
  modules: readonly SearchModule[];
  /** Environment variable that carries the node's URL to clients. */
  urlVariable: string;
}

/** Heap of every search node: enough for test indices, small enough for a shared two-core machine. */
export const SEARCH_HEAP = '512m';

const MARKER = '.lern-complete';

/** Where a distribution is installed: `<cacheDir>/<version>/home`, complete once it has the marker. */
export function installDir(ctx: Pick<ServerContext, 'cacheDir'>, engine: Pick<SearchEngine, 'version'>): string {
  return join(ctx.cacheDir, engine.version, 'home');
}

/**
 * The node's data folder, one per version: a node refuses data written by a newer version, and an
 * upgrade in place would leave the older version unable to start again on the same machine.
 */
export function dataFolder(dataDir: string, engine: Pick<SearchEngine, 'version'>): string {
  return join(dataDir, `data-${engine.version}`);
}

/** The node settings file: single node on loopback, no disk watermarks, deletes by wildcard allowed. */
export function nodeSettings(engine: SearchEngine, paths: { data: string; logs: string }, ports: Ports): string {
  const settings: Record<string, string | number | boolean> = {
    'cluster.name': `lern-${engine.name}`,
    'node.name': 'lern',
    'path.data': paths.data,
    'path.logs': paths.logs,
    'network.host': '127.0.0.1',
    'http.port': engine.httpPort(ports),
    'transport.port': engine.transportPort(ports),
    'discovery.type': 'single-node',
    'cluster.routing.allocation.disk.threshold_enabled': false,
    'action.destructive_requires_name': false,
    ...engine.extraSettings,
  };
  const lines = Object.entries(settings).map(([key, value]) => `${key}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  return `# Written by lern servers at every start; edits are lost.\n${lines.join('\n')}\n`;
}

/**
 * The distribution's JVM options without what we set ourselves (heap) or do not want on a test node
 * (GC log, heap dumps and crash files relative to the working folder).
 */
export function adaptJvmOptions(text: string): string {
  const dropped = [/^(\d+(-\d*)?:)?-Xm[sx]/, /^(\d+(-\d*)?:)?-Xlog:gc/, /^(\d+(-\d*)?:)?-Xloggc/, /^(\d+(-\d*)?:)?-XX:[+-]?(HeapDump|ErrorFile|UseGCLogFileRotation|NumberOfGCLogFiles|GCLogFileSize|PrintGC|PrintTenuring)/];
  return text
    .split('\n')
    .filter((line) => !dropped.some((re) => re.test(line.trim())))
    .join('\n');
}

/** Our own JVM options, added through `jvm.options.d`. */
export function lernJvmOptions(logsDir: string): string {
  return `-Xms${SEARCH_HEAP}\n-Xmx${SEARCH_HEAP}\n-XX:ErrorFile=${join(logsDir, 'hs_err_pid%p.log')}\n`;
}

/** The `plugin-descriptor.properties` of an added module. */
export function pluginDescriptor(engine: Pick<SearchEngine, 'version' | 'descriptorVersionKey'>, module: SearchModule): string {
  return [
    `description=${module.description}`,
    `version=${engine.version}`,
    `name=${module.name}`,
    `classname=${module.classname}`,
    'java.version=11',
    `${engine.descriptorVersionKey}=${engine.version}`,
    'custom.foldername=',
    `extended.plugins=${(module.extendedPlugins ?? []).join(',')}`,
    'has.native.controller=false',
    '',
  ].join('\n');
}

/** A `plugin-security.policy` granting the module's permissions, or undefined when it needs none. */
export function pluginPolicy(module: SearchModule): string | undefined {
  if (!module.permissions || module.permissions.length === 0) return undefined;
  return `grant {\n${module.permissions.map((p) => `  permission ${p};`).join('\n')}\n};\n`;
}

/** `netty-codec-4.1.135.Final.jar` -> `netty-codec`: the artifact a jar file holds, without its version. */
export function jarArtifactName(file: string): string {
  const name = basename(file);
  return /^(.+?)-\d[^/]*\.jar$/.exec(name)?.[1] ?? name.replace(/\.jar$/, '');
}

/**
 * The jars a module folder needs: its own and those of its dependencies, minus what the server
 * already loads (lib/) or a module it extends provides; the same class twice is a "jar hell" error.
 */
export function moduleJars(candidates: readonly string[], alreadyLoaded: readonly string[]): string[] {
  const loaded = new Set(alreadyLoaded.map(jarArtifactName));
  return candidates.filter((jar) => !loaded.has(jarArtifactName(jar)));
}

/** The cluster health answer counts as up when it is green or yellow (yellow: replicas with nowhere to go). */
export function healthIsUp(status: number, body: string): boolean {
  if (status !== 200) return false;
  try {
    const health = JSON.parse(body) as { status?: unknown };
    return health.status === 'green' || health.status === 'yellow';
  } catch {
    return false;
  }
}

/**
 * True when every node in a `_nodes/_local` answer runs `version`. A node of another version on the
 * port (left by an older checkout) does not count as this server: `up` replaces it.
 */
export function runsVersion(status: number, body: string, version: string): boolean {
  if (status !== 200) return false;
  try {
    const nodes = Object.values((JSON.parse(body) as { nodes?: Record<string, { version?: unknown }> }).nodes ?? {});
    return nodes.length > 0 && nodes.every((node) => node.version === version);
  } catch {
    return false;
  }
}

async function ensureJavaHome(ctx: ServerContext, engine: SearchEngine): Promise<string> {
  const found = findJavaHome(engine.javaHomes);
  if (found) return found;
  if (engine.javaHomes.includes(JAVA17_HOME)) {
    await ensureJava17(ctx);
    return JAVA17_HOME;
  }
  throw new Error(`${engine.name} ${engine.version} needs Java at one of: ${engine.javaHomes.join(', ')}`);
}

async function install(ctx: ServerContext, engine: SearchEngine): Promise<void> {
  const home = installDir(ctx, engine);
  if (existsSync(join(home, MARKER))) return;
  const versionDir = join(ctx.cacheDir, engine.version);
  const obtainLog = join(ctx.dataDir, 'logs', 'obtain.log');
  await ensureAptPackages(['unzip'], () => which('unzip') !== undefined, ctx.progress, obtainLog);
  const zip = await fetchArtifact(ctx, engine.distribution, join(versionDir, 'download'), `${engine.name} ${engine.version}: fetching the distribution from Maven Central`);

  const staging = join(versionDir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await ctx.progress.step(`${engine.name} ${engine.version}: unpacking`, () => runLogged('unzip', ['-q', zip, '-d', staging], { logFile: obtainLog }));
  const top = readdirSync(staging);
  if (top.length !== 1 || !top[0]) throw new Error(`${zip}: expected one top folder, found ${top.join(', ') || 'none'}`);
  const unpacked = join(staging, top[0]);
  const lib = readdirSync(join(unpacked, 'lib')).filter((f) => f.endsWith('.jar'));

  const installed = new Map<string, string[]>();
  for (const module of engine.modules) {
    const coordinates = parseCoordinates(module.artifact);
    const [serverGroup = '', serverArtifact = ''] = engine.serverArtifact.split(':');
    const jars = await fetchWithDependencies(ctx, {
      artifacts: [{ ...coordinates, exclusions: [`${serverGroup}:${serverArtifact}`] }],
      outputDir: join(versionDir, 'modules', module.name),
      label: `${engine.name} ${engine.version}: fetching module ${module.name} (${coordinates.artifactId})`,
    });
    const extended = (module.extendedPlugins ?? []).flatMap((name) => installed.get(name) ?? []);
    const keep = moduleJars(jars, [...lib, ...extended]);
    const target = join(unpacked, 'modules', module.name);
    mkdirSync(target, { recursive: true });
    for (const jar of keep) copyFileSync(jar, join(target, basename(jar)));
    writeFileSync(join(target, 'plugin-descriptor.properties'), pluginDescriptor(engine, module));
    const policy = pluginPolicy(module);
    if (policy) writeFileSync(join(target, 'plugin-security.policy'), policy);
    installed.set(module.name, keep.map((j) => basename(j)));
  }

  // The node runs as the service user: everything must be readable, and the scripts executable.
  execFileSync('chmod', ['-R', 'a+rX', unpacked]);
  writeFileSync(join(unpacked, MARKER), `${engine.distribution}\n${engine.modules.map((m) => m.artifact).join('\n')}\n`);
  rmSync(home, { recursive: true, force: true });
  renameSync(unpacked, home);
  rmSync(staging, { recursive: true, force: true });
}

/** Copies the distribution's config into the node's own folder (the node writes its keystore there). */
function writeConfig(engine: SearchEngine, home: string, conf: string, paths: { data: string; logs: string }, ports: Ports): void {
  const source = join(home, 'config');
  copyFileSync(join(source, 'log4j2.properties'), join(conf, 'log4j2.properties'));
  writeFileSync(join(conf, 'jvm.options'), adaptJvmOptions(readFileSync(join(source, 'jvm.options'), 'utf8')));
  mkdirSync(join(conf, 'jvm.options.d'), { recursive: true });
  writeFileSync(join(conf, 'jvm.options.d', 'lern.options'), lernJvmOptions(paths.logs));
  writeFileSync(join(conf, engine.settingsFile), nodeSettings(engine, paths, ports));
}

/** Up and of this version. `_cluster/health`, not `GET /`: integ-test nodes lack the rest-root module and answer 405 there. */
async function probe(engine: SearchEngine, ctx: ServerContext): Promise<boolean> {
  const base = `http://127.0.0.1:${engine.httpPort(ctx.ports)}`;
  const health = await httpGet(`${base}/_cluster/health`, 3000);
  if (health === undefined || !healthIsUp(health.status, health.body)) return false;
  const nodes = await httpGet(`${base}/_nodes/_local?filter_path=nodes.*.version`, 3000);
  return nodes !== undefined && runsVersion(nodes.status, nodes.body, engine.version);
}

/**
 * A single search node from a Maven Central distribution zip, installed once per version under the
 * cache and run from there with its config, data and logs in the node's data folder. Both engines
 * refuse to run as root, so as root they run as the service user.
 */
export function searchServer(engine: SearchEngine): ServerDefinition {
  return {
    name: engine.name,
    version: engine.version,
    async obtain(ctx) {
      await ensureJavaHome(ctx, engine);
      await install(ctx, engine);
    },
    async start(ctx) {
      const javaHome = await ensureJavaHome(ctx, engine);
      const home = installDir(ctx, engine);
      const user = serviceUser();
      ownedDir(ctx.dataDir, user);
      const conf = ownedDir(join(ctx.dataDir, 'config'), user);
      const paths = { data: ownedDir(dataFolder(ctx.dataDir, engine), user), logs: ownedDir(join(ctx.dataDir, 'logs', 'node'), user) };
      const tmp = ownedDir(join(ctx.dataDir, 'tmp'), user);
      writeConfig(engine, home, conf, paths, ctx.ports);
      // Folders left by an earlier run as another user must be writable by this one.
      for (const dir of [conf, paths.data, paths.logs, tmp]) chownTree(dir, user);
      ctx.spawn(engine.name, {
        command: join(home, engine.launcher),
        args: [],
        cwd: ctx.dataDir,
        env: {
          PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
          LANG: 'C.UTF-8',
          [engine.variables.javaHome]: javaHome,
          [engine.variables.pathConf]: conf,
          [engine.variables.javaOpts]: '',
          [engine.variables.tmpDir]: tmp,
        },
        ...(user ? { user } : {}),
      });
      await ctx.waitFor(`${engine.name} ${engine.version}`, () => probe(engine, ctx), 180_000, engine.name);
    },
    probe: (ctx) => probe(engine, ctx).catch(() => false),
    env: (ctx) => ({ [engine.urlVariable]: `http://127.0.0.1:${engine.httpPort(ctx.ports)}` }),
  };
}
