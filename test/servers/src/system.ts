import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import type { Progress } from './progress.ts';
import { runLogged } from './progress.ts';

export const isRoot = (): boolean => process.getuid?.() === 0;

/** The user that runs servers which refuse root (PostgreSQL, Elasticsearch, OpenSearch). */
export const SERVICE_USER = 'lern';

/**
 * As root, makes sure the unprivileged service user exists and returns its name; as anyone else,
 * returns undefined (the servers then run as the current user).
 */
export function serviceUser(): string | undefined {
  if (!isRoot()) return undefined;
  if (spawnSync('id', ['-u', SERVICE_USER], { stdio: 'ignore' }).status !== 0) {
    execFileSync('useradd', ['--system', '--user-group', '--shell', '/usr/sbin/nologin', '--home-dir', '/nonexistent', SERVICE_USER]);
  }
  return SERVICE_USER;
}

/** Creates a folder owned by the service user (when there is one), so it can write there. */
export function ownedDir(dir: string, user: string | undefined): string {
  mkdirSync(dir, { recursive: true });
  if (user) {
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** Recursively hands a folder to the service user (for data folders created as root). */
export function chownTree(dir: string, user: string | undefined): void {
  if (user && existsSync(dir)) execFileSync('chown', ['-R', `${user}:${user}`, dir]);
}

export function which(command: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Makes sure Debian packages are installed: as root it installs them, otherwise it fails with the
 * exact command to run.
 */
export async function ensureAptPackages(packages: readonly string[], present: () => boolean, progress: Progress, logFile: string): Promise<void> {
  if (present()) return;
  const command = `apt-get install -y ${packages.join(' ')}`;
  if (!isRoot() || !which('apt-get')) {
    throw new Error(`missing Debian packages ${packages.join(', ')}; install them with: sudo ${command}`);
  }
  await progress.step(`installing ${packages.join(', ')} (apt-get)`, async () => {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = (): Promise<void> => runLogged('apt-get', ['install', '-y', '-q', ...packages], { logFile, env });
    try {
      await install();
    } catch {
      // A fresh machine has no package lists yet.
      await runLogged('apt-get', ['update', '-q'], { logFile, env });
      await install();
    }
  });
  if (!present()) throw new Error(`installed ${packages.join(', ')} but still cannot find them; see ${logFile}`);
}
