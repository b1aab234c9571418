import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { definitions } from './registry.ts';
import { withLock } from './lock.ts';
import { resolvePaths, type Paths } from './paths.ts';
import { resolvePorts, type Ports } from './ports.ts';
import { isAlive, pidFiles, readPid, sleep, spawnDetached, stopAll, tailFile } from './proc.ts';
import { consoleProgress, formatSeconds, type Progress } from './progress.ts';
import { SERVER_NAMES, type ServerContext, type ServerDefinition, type ServerName, type StartContext } from './types.ts';

export interface ManagerOptions {
  paths?: Paths;
  ports?: Ports;
  progress?: Progress;
}

export interface ServerStatus {
  name: ServerName;
  version: string;
  running: boolean;
  pids: number[];
  dataDir: string;
}

/** Parses `--only a,b` values; unknown names are an error that lists the known ones. */
export function parseServerNames(list: string | undefined): ServerName[] {
  if (list === undefined || list.trim() === '' || list === 'all') return [...SERVER_NAMES];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SERVER_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown server ${unknown.join(', ')}; known: ${SERVER_NAMES.join(', ')}`);
  return names as ServerName[];
}

export class ServerManager {
  readonly paths: Paths;
  readonly ports: Ports;
  readonly progress: Progress;

  constructor(options: ManagerOptions = {}) {
    this.paths = options.paths ?? resolvePaths();
    this.ports = options.ports ?? resolvePorts();
    this.progress = options.progress ?? consoleProgress();
  }

  context(def: ServerDefinition): ServerContext {
    return {
      paths: this.paths,
      ports: this.ports,
      progress: this.progress,
      dataDir: join(this.paths.dataRoot, def.name),
      cacheDir: join(this.paths.cacheRoot, 'servers', def.name),
    };
  }

  /**
   * Obtains and starts the named servers (all by default), reusing any that already answer.
   * Servers start concurrently; every failure is reported together with its log tail.
   */
  async up(names: readonly ServerName[] = SERVER_NAMES): Promise<void> {
    const started = Date.now();
    const results = await Promise.allSettled(names.map((name) => this.upOne(definitions[name])));
    const failures = results
      .map((r, i) => (r.status === 'rejected' ? `${names[i]}: ${(r.reason as Error).message ?? String(r.reason)}` : undefined))
      .filter((x): x is string => x !== undefined);
    if (failures.length > 0) {
      const retry = `lern servers up --only ${names.filter((_, i) => results[i]?.status === 'rejected').join(',')}`;
      throw new Error(`${failures.join('\n\n')}\n\nFix the cause above, then retry with: ${retry}`);
    }
    this.progress.info(`${names.join(', ')} up in ${formatSeconds(Date.now() - started)}`);
  }

  private async upOne(def: ServerDefinition): Promise<void> {
    const ctx = this.context(def);
    mkdirSync(ctx.dataDir, { recursive: true });
    await withLock(ctx.dataDir, def.name, async () => {
      if (await def.probe(ctx)) {
        this.progress.info(`${def.name} ${def.version}: already running`);
        return;
      }
      // On a loaded machine a live server can miss one probe: give a recorded process that is still
      // alive time to answer before replacing it (replacing it kills the servers other suites use).
      if (recordedAlive(ctx.dataDir) && (await answersWithin(() => def.probe(ctx), LIVE_PROCESS_GRACE_MS))) {
        this.progress.info(`${def.name} ${def.version}: already running (answered late)`);
        return;
      }
      await def.obtain(ctx);
      // A recorded process that no longer answers is stale: stop it before starting anew.
      await stopAll(join(ctx.dataDir, 'pids'));
      const started = Date.now();
      await def.start(this.startContext(ctx));
      this.progress.info(`${def.name} ${def.version}: started in ${formatSeconds(Date.now() - started)}`);
    });
  }

  private startContext(ctx: ServerContext): StartContext {
    let sequence = 0;
    const logOf = (name: string): string => join(ctx.dataDir, 'logs', `${name}.log`);
    return {
      ...ctx,
      spawn: (name, spec) => {
        sequence++;
        const pidFile = join(ctx.dataDir, 'pids', `${String(sequence).padStart(2, '0')}-${name}.pid`);
        return spawnDetached(spec, logOf(name), pidFile);
      },
      waitFor: async (what, probe, timeoutMs, logName) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (await probe().catch(() => false)) return;
          if (Date.now() > deadline) {
            const log = logName ? logOf(logName) : undefined;
            throw new Error(`${what} did not answer within ${formatSeconds(timeoutMs)}${log ? `; last lines of ${log}:\n${tailFile(log, 25)}` : ''}`);
          }
          if (logName) {
            // Fail fast when the process already died instead of waiting for the timeout.
            const dead = pidFiles(join(ctx.dataDir, 'pids'))
              .filter((f) => f.endsWith(`-${logName}.pid`))
              .some((f) => {
                const pid = readPid(f);
                return pid !== undefined && !isAlive(pid);
              });
            if (dead) throw new Error(`${what} exited during start; last lines of ${logOf(logName)}:\n${tailFile(logOf(logName), 25)}`);
          }
          await sleep(250);
        }
      },
    };
  }

  async down(names: readonly ServerName[] = SERVER_NAMES): Promise<void> {
    for (const name of [...names].reverse()) {
      const ctx = this.context(definitions[name]);
      const stopped = await stopAll(join(ctx.dataDir, 'pids'));
      if (stopped > 0) this.progress.info(`${name}: stopped ${stopped} process${stopped === 1 ? '' : 'es'}`);
    }
  }

  async status(names: readonly ServerName[] = SERVER_NAMES): Promise<ServerStatus[]> {
    return Promise.all(
      names.map(async (name) => {
        const def = definitions[name];
        const ctx = this.context(def);
        const pids = pidFiles(join(ctx.dataDir, 'pids'))
          .map(readPid)
          .filter((p): p is number => p !== undefined && isAlive(p));
        return { name, version: def.version, running: await def.probe(ctx), pids, dataDir: ctx.dataDir };
      }),
    );
  }

  /** Endpoints of the named servers as environment variables; pure: the same ports give the same answer. */
  env(names: readonly ServerName[] = SERVER_NAMES): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of names) Object.assign(env, definitions[name].env(this.context(definitions[name])));
    return env;
  }
}

/** How long a live but silent server gets to answer before it is replaced. */
const LIVE_PROCESS_GRACE_MS = 45_000;

/** True when any process recorded in the server's pid folder is still alive. */
function recordedAlive(dataDir: string): boolean {
  return pidFiles(join(dataDir, 'pids')).some((f) => {
    const pid = readPid(f);
    return pid !== undefined && isAlive(pid);
  });
}

/** Probes every second until one answers or the time is up. */
async function answersWithin(probe: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    await sleep(1_000);
    if (await probe().catch(() => false)) return true;
  }
  return false;
}
