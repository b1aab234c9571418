import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, sleep } from './proc.ts';

/**
 * A lock between processes (two test runs, or a test run and `lern servers up`), so a server is never
 * started twice on the same port. A lock whose holder died is taken over.
 */
export async function withLock<T>(dir: string, what: string, fn: () => Promise<T>, waitMs = 30 * 60_000): Promise<T> {
  const lockDir = `${dir}.lock`;
  const owner = join(lockDir, 'owner');
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir, { recursive: false });
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder = NaN;
      try {
        holder = Number(readFileSync(owner, 'utf8'));
      } catch {
        /* being written or removed */
      }
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`${what} is locked by process ${holder} (${lockDir}); stop it or remove the lock`, { cause: error });
      }
      if (!told) {
        process.stderr.write(`[lern servers] ${what}: waiting for process ${holder} that is starting it\n`);
        told = true;
      }
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
