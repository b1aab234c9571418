import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where downloads and builds are cached (keyed by version, shared by every checkout) and where server
 * data and logs live. Both are outside the repository so nothing fetched or built is ever committed.
 */
export interface Paths {
  /** @default $LERN_CACHE_DIR, else /var/cache/lern as root, else $XDG_CACHE_HOME/lern or ~/.cache/lern */
  cacheRoot: string;
  /** @default $LERN_DATA_DIR, else /var/lib/lern/servers as root, else $XDG_STATE_HOME/lern/servers or ~/.local/state/lern/servers */
  dataRoot: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv = process.env): Paths {
  // As root (CI), use system folders: servers that refuse root run as an unprivileged user, who
  // cannot enter /root.
  const root = process.getuid?.() === 0;
  const home = homedir();
  const cacheRoot = env.LERN_CACHE_DIR ?? (root ? '/var/cache/lern' : join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'lern'));
  const dataRoot =
    env.LERN_DATA_DIR ?? (root ? '/var/lib/lern/servers' : join(env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'lern', 'servers'));
  return { cacheRoot, dataRoot };
}
