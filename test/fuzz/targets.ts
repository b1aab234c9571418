/**
 * The services the fuzzer knows how to start, and the settings a run reads from the environment.
 * A service adds one line to TARGETS and a starter under targets/.
 */

/** A service listening on loopback, with the headers that make requests an administrator's. */
export interface FuzzTarget {
  /** e.g. http://127.0.0.1:40123 */
  baseUrl: string;
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Starts a target; `label` names its isolated keyspaces, indices and topics (a file URL). */
export type TargetStarter = (label: string) => Promise<FuzzTarget>;

/** Service name -> loader of its starter (loaded only when that service is fuzzed). */
export const TARGETS: Readonly<Record<string, () => Promise<TargetStarter>>> = {
  userorg: async () => (await import('./targets/userorg.ts')).startUserOrg,
};

/** Starts the named service, or says which ones exist. */
export async function startTarget(name: string, label: string): Promise<FuzzTarget> {
  const load = TARGETS[name];
  if (!load) throw new Error(`no fuzz target '${name}' (known: ${Object.keys(TARGETS).join(', ')})`);
  return (await load())(label);
}

/** Run settings from LERN_FUZZ_* variables. */
export interface FuzzSettings {
  examples: number;
  seed: number;
  workers: number;
  includePathRegex?: string;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got '${raw}'`);
  return n;
}

/**
 * LERN_FUZZ_EXAMPLES (test cases per operation and phase), LERN_FUZZ_SEED, LERN_FUZZ_WORKERS and
 * LERN_FUZZ_PATHS (a regular expression over operation paths).
 */
export function settingsFromEnv(env: NodeJS.ProcessEnv, defaults: { examples: number }): FuzzSettings {
  const settings: FuzzSettings = {
    examples: positiveInteger(env, 'LERN_FUZZ_EXAMPLES', defaults.examples),
    seed: positiveInteger(env, 'LERN_FUZZ_SEED', 1),
    workers: positiveInteger(env, 'LERN_FUZZ_WORKERS', 1),
  };
  if (env.LERN_FUZZ_PATHS) settings.includePathRegex = env.LERN_FUZZ_PATHS;
  return settings;
}
