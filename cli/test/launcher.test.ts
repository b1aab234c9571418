import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

/**
 * `bin/lern` started by a Node older than 24 re-executes itself under the pinned Node as a child. These
 * tests run it with the machine's own Node and check that the child lives and dies with the launcher.
 */
const MACHINE_NODE = '/usr/bin/node';
const repoRoot = join(import.meta.dirname, '..', '..');
const binLern = join(repoRoot, 'bin', 'lern');
const pinnedNode = join(repoRoot, 'node_modules', 'node', 'bin', 'node');

/** Parent pid and state of a process, or undefined when there is no such process. */
function processStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    // The command name in parentheses may hold spaces; the fields after it are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(ppid), state };
  } catch {
    return undefined;
  }
}

/** A process that exited but was not reaped yet (a zombie) is gone too. */
const isGone = (pid: number): boolean => {
  const stat = processStat(pid);
  return stat === undefined || stat.state === 'Z';
};

const childrenOf = (parent: number): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => processStat(pid)?.ppid === parent && !isGone(pid));

const commandLine = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

async function waitUntil<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const workDir = mkdtempSync(join(tmpdir(), 'lern-launcher-'));
const started: ChildProcess[] = [];
const programs: number[] = [];

interface RunningOperator {
  launcher: ChildProcess;
  program: number;
  output: () => string;
}

/**
 * `lern operator` as the long-lived command: its API server is a closed loopback port, so it keeps
 * retrying its watches and serves /healthz on its metrics port until it is stopped.
 */
async function startOperator(): Promise<RunningOperator> {
  const [apiPort, metricsPort] = [await freePort(), await freePort()];
  const kubeconfig = join(workDir, `kubeconfig-${apiPort}`);
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: closed, cluster: {server: "https://127.0.0.1:${apiPort}"}}]\n` +
      `users: [{name: closed, user: {token: unused}}]\ncontexts: [{name: closed, context: {cluster: closed, user: closed}}]\ncurrent-context: closed\n`,
  );
  const launcher = spawn(MACHINE_NODE, [binLern, 'operator', '--no-leader-elect', '--metrics-port', String(metricsPort)], {
    cwd: repoRoot,
    // Only what the command needs: the test runner's own variables (NODE_OPTIONS, ...) are not for Node 20.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), KUBECONFIG: kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(launcher);
  let output = '';
  launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const program = await waitUntil('the re-executed program', () => childrenOf(launcher.pid!)[0], 15_000);
  programs.push(program);
  await waitUntil(
    'the operator to serve /healthz',
    () => fetch(`http://127.0.0.1:${metricsPort}/healthz`).then((res) => (res.ok ? true : undefined), () => undefined),
    30_000,
  );
  return { launcher, program, output: () => output };
}

afterEach(() => {
  // Whatever a failed test left running.
  for (const launcher of started.splice(0)) if (launcher.exitCode === null && launcher.signalCode === null) launcher.kill('SIGKILL');
  for (const pid of programs.splice(0)) if (!isGone(pid)) process.kill(pid, 'SIGKILL');
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('bin/lern on an older Node', () => {
  it('runs on a machine Node older than 24, so the launcher re-executes', () => {
    expect(existsSync(MACHINE_NODE)).toBe(true);
    const version = spawnSync(MACHINE_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(Number(/^v(\d+)\./.exec(version)?.[1])).toBeLessThan(24);
  });

  it('runs the command under the pinned Node, and a finished command still ends', () => {
    const result = spawnSync(MACHINE_NODE, [binLern, 'operator', 'crd'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('kind: CustomResourceDefinition');
  });

  it('ends the program when the launcher is killed with SIGKILL', async () => {
    const { launcher, program, output } = await startOperator();
    expect(commandLine(program).slice(0, 3)).toEqual([pinnedNode, binLern, 'operator']);

    launcher.kill('SIGKILL');
    await waitUntil('the program to end after its launcher', () => (isGone(program) ? true : undefined), 5_000);
    // It stopped through its own SIGTERM handling, not by being cut off.
    await waitUntil('the shutdown log', () => (output().includes('"msg":"stopped"') ? true : undefined), 2_000);
  }, 60_000);

  it('passes SIGTERM on: the program stops gracefully and the launcher exits with its code', async () => {
    const { launcher, program, output } = await startOperator();
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));

    launcher.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(isGone(program)).toBe(true);
    expect(output()).toContain('"msg":"stopped"');
  }, 60_000);
});
