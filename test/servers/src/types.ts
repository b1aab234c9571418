import type { Paths } from './paths.ts';
import type { Ports } from './ports.ts';
import type { Progress } from './progress.ts';
import type { ProcessSpec } from './proc.ts';

export const SERVER_NAMES = ['cassandra', 'kafka', 'elasticsearch', 'opensearch', 'redis', 'postgres', 'kubernetes', 'smtp'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** What a server definition is handed: where things go, which ports, how to report progress. */
export interface ServerContext {
  paths: Paths;
  ports: Ports;
  progress: Progress;
  /** This server's own data folder (logs, pid files, data), under the data root. */
  dataDir: string;
  /** This server's cache folder under the cache root; put versioned downloads and builds below it. */
  cacheDir: string;
}

/** Extra powers while starting: launching the server's processes, recorded so `down` can stop them. */
export interface StartContext extends ServerContext {
  /** Starts one long-running process of this server; its log is `<dataDir>/logs/<name>.log`. */
  spawn(name: string, spec: ProcessSpec): number;
  /** Waits until `probe` answers true, failing with the named process's log tail after `timeoutMs`. */
  waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, logOf?: string): Promise<void>;
}

/**
 * One real server (or, for Kubernetes, one group of processes started together).
 * Definitions decide how; the manager decides when, and keeps pid files, logs and retries uniform.
 */
export interface ServerDefinition {
  name: ServerName;
  /** Version as shown to people and used as the cache key. */
  version: string;
  /** Fetches or builds whatever is missing from the cache; a no-op when the cache is warm. */
  obtain(ctx: ServerContext): Promise<void>;
  /** Starts the processes and returns once they answer; data already in dataDir is reused. */
  start(ctx: StartContext): Promise<void>;
  /** True when the server answers requests now. Must not throw. */
  probe(ctx: ServerContext): Promise<boolean>;
  /** Environment variables that tell clients (tests, `lern up`) where this server is. */
  env(ctx: ServerContext): Record<string, string>;
}
