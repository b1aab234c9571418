import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { importSPKI, type CryptoKey } from 'jose';

/** The keys of a folder, and what was skipped because it could not be read as a key. */
export interface KeyFolder {
  keys: Map<string, CryptoKey>;
  problems: string[];
}

/**
 * Reads the PEM (SPKI) public keys of a folder; each file name is the kid.
 *
 * The folder may be a mounted Kubernetes Secret: `<kid> -> ..data/<kid>` and
 * `..data -> ..<timestamp>`. Symlinks are followed; `.`-prefixed entries (the kubelet's `..data`
 * and timestamped folders), folders and files without a public key are skipped. A link left
 * dangling while the kubelet swaps `..data` means that key is gone.
 */
export async function readKeyFolder(dir: string): Promise<KeyFolder> {
  const keys = new Map<string, CryptoKey>();
  const problems: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    let pem: string;
    try {
      if (!(await stat(path)).isFile()) continue;
      pem = (await readFile(path, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!pem.includes('BEGIN PUBLIC KEY')) continue;
    try {
      keys.set(name, await importSPKI(pem, 'RS256'));
    } catch (error) {
      problems.push(`${name}: not an RSA public key (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return { keys, problems };
}

/** Options of watchKeyFolder. */
export interface KeyRingOptions {
  /** Re-read the folder this often; 0 turns the timer off. */
  reloadIntervalMs: number;
  /** Told about skipped files and failed re-reads (the previous keys stay in use then). */
  onProblem: (message: string, error?: unknown) => void;
}

/** The current keys of a folder, re-read on a timer and on demand. */
export interface KeyRing {
  get(kid: string): CryptoKey | undefined;
  /** Re-reads the folder unless it was read less than `minAgeMs` ago; concurrent calls share one read. */
  reload(minAgeMs?: number): Promise<void>;
  /** Stops the timer. */
  close(): void;
}

/**
 * Loads a key folder and keeps it current. The first read must succeed and hold only valid keys
 * (a start-up error is better than 401s); a later failed re-read keeps the previous keys.
 */
export async function watchKeyFolder(dir: string, options: KeyRingOptions): Promise<KeyRing> {
  const first = await readKeyFolder(dir);
  if (first.problems.length > 0) throw new Error(`cannot read the keys in ${dir}: ${first.problems.join('; ')}`);
  let keys = first.keys;
  let loadedAt = Date.now();
  let inFlight: Promise<void> | undefined;

  const readNow = async (): Promise<void> => {
    try {
      const next = await readKeyFolder(dir);
      for (const problem of next.problems) options.onProblem(`skipped key file ${problem}`);
      keys = next.keys;
    } catch (error) {
      options.onProblem(`cannot re-read the key folder ${dir}; keeping the previous keys`, error);
    } finally {
      loadedAt = Date.now();
    }
  };

  const reload = async (minAgeMs = 0): Promise<void> => {
    if (inFlight) return inFlight;
    if (Date.now() - loadedAt < minAgeMs) return;
    inFlight = readNow().finally(() => (inFlight = undefined));
    return inFlight;
  };

  const timer = options.reloadIntervalMs > 0 ? setInterval(() => void reload(), options.reloadIntervalMs) : undefined;
  // The timer must not keep a finished process alive.
  timer?.unref();
  return {
    get: (kid) => keys.get(kid),
    reload,
    close: () => clearInterval(timer),
  };
}
