/**
 * Schemathesis in a Python virtualenv cached outside the repository (next to the servers' cache),
 * created on first use, pinned to one version and reused afterwards. Nothing it downloads enters the
 * working tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePaths } from '@lern/test-servers';

/** The schemathesis release the harness is written against (its report format and check names). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** Options of ensureSchemathesis. */
export interface PythonEnvOptions {
  /** @default SCHEMATHESIS_VERSION */
  version?: string;
  /** @default resolvePaths().cacheRoot (~/.cache/lern, or /var/cache/lern as root) */
  cacheRoot?: string;
  /** Interpreter to build the virtualenv with. @default $LERN_PYTHON, else the first of python3.13/3.12/3.11/python3 that is 3.11+ */
  python?: string;
  /** Progress lines (first install only). */
  log?: (line: string) => void;
}

/** Where the virtualenv of a version lives. */
export function venvDir(version = SCHEMATHESIS_VERSION, cacheRoot = resolvePaths().cacheRoot): string {
  return join(cacheRoot, 'python', `schemathesis-${version}`);
}

/**
 * Returns the path of the `schemathesis` executable, creating the virtualenv first when it is
 * missing, half-built, or its interpreter has gone. Safe to call from several processes at once.
 */
export async function ensureSchemathesis(options: PythonEnvOptions = {}): Promise<string> {
  const version = options.version ?? SCHEMATHESIS_VERSION;
  const dir = venvDir(version, options.cacheRoot);
  const executable = join(dir, 'bin', 'schemathesis');
  if (isReady(dir, version)) return executable;
  await withDirLock(`${dir}.lock`, async () => {
    if (isReady(dir, version)) return;
    const python = options.python ?? process.env.LERN_PYTHON ?? findPython();
    options.log?.(`installing schemathesis ${version} into ${dir} (once)`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, '..'), { recursive: true });
    const logFile = `${dir}.install.log`;
    await runLogged(python, ['-m', 'venv', dir], logFile, `${python} -m venv failed (Debian: apt-get install python3-venv)`);
    await runLogged(
      join(dir, 'bin', 'python'),
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', `schemathesis==${version}`],
      logFile,
      `pip could not install schemathesis==${version} from PyPI`,
    );
    // The marker is written last: its presence means the install finished.
    writeFileSync(join(dir, '.lern-ready'), `${version}\n`);
  });
  return executable;
}

/** Installed, finished, and the interpreter it links to still exists (existsSync follows the symlink). */
function isReady(dir: string, version: string): boolean {
  const marker = join(dir, '.lern-ready');
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === version && existsSync(join(dir, 'bin', 'python')) && existsSync(join(dir, 'bin', 'schemathesis'));
}

/** schemathesis 4.x needs Python 3.11 or newer. */
function findPython(): string {
  for (const candidate of ['python3.13', 'python3.12', 'python3.11', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import sys, venv, ensurepip; print(sys.version_info >= (3, 11))'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.trim() === 'True') return candidate;
  }
  throw new Error('schemathesis needs Python 3.11+ with the venv module (Debian: apt-get install python3 python3-venv), or set LERN_PYTHON');
}

async function runLogged(command: string, args: string[], logFile: string, what: string): Promise<void> {
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIP_NO_INPUT: '1' } });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', resolve);
  });
  const text = Buffer.concat(output).toString('utf8');
  writeFileSync(logFile, `$ ${command} ${args.join(' ')}\n${text}`, { flag: 'a' });
  if (code !== 0) throw new Error(`${what} (exit ${code}); see ${logFile}:\n${text.split('\n').slice(-15).join('\n')}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock between processes (two test files may ask for the virtualenv at once); a dead holder's lock is taken over. */
async function withDirLock(lockDir: string, fn: () => Promise<void>, waitMs = 10 * 60_000): Promise<void> {
  const owner = join(lockDir, 'owner');
  const deadline = Date.now() + waitMs;
  mkdirSync(join(lockDir, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = existsSync(owner) ? Number(readFileSync(owner, 'utf8')) : NaN;
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockDir} is held by process ${holder}; remove it if that process is gone`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
