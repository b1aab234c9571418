import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** How to start one long-running process of a server. */
export interface ProcessSpec {
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (through runuser); for servers that refuse to run as root. */
  user?: string;
}

/** Starts a process in its own session, detached from ours, so it outlives `lern servers up` and the test run. */
export function spawnDetached(spec: ProcessSpec, logFile: string, pidFile: string): number {
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(dirname(pidFile), { recursive: true });
  const out = openSync(logFile, 'a');
  const [command, args] = spec.user
    ? ['runuser', ['-u', spec.user, '--', spec.command, ...spec.args]]
    : [spec.command, spec.args];
  const child = spawn(command, args, { cwd: spec.cwd, env: spec.env ?? process.env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Pid files of a server's processes, in start order (files are named `<nn>-<process>.pid`). */
export function pidFiles(pidDir: string): string[] {
  if (!existsSync(pidDir)) return [];
  return readdirSync(pidDir)
    .filter((f) => f.endsWith('.pid'))
    .sort()
    .map((f) => join(pidDir, f));
}

/** Stops a process group: SIGTERM, then SIGKILL after the grace period. */
export async function stopProcessGroup(pid: number, graceMs = 15_000): Promise<void> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  if (!isAlive(pid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) signal('SIGKILL');
  while (isAlive(pid)) await sleep(100);
}

/** Stops every recorded process of a server, last started first, and forgets them. */
export async function stopAll(pidDir: string): Promise<number> {
  let stopped = 0;
  for (const file of pidFiles(pidDir).reverse()) {
    const pid = readPid(file);
    if (pid !== undefined && isAlive(pid)) {
      await stopProcessGroup(pid);
      stopped++;
    }
    rmSync(file, { force: true });
  }
  return stopped;
}

export function tailFile(file: string, lines: number): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const text = readFileSync(file, 'utf8');
  return text.split('\n').slice(-lines - 1).join('\n');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
