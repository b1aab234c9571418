/**
 * Runs schemathesis against a service's OpenAPI document and reads what it found. Generation is
 * seeded and bounded per operation, so a run repeats; the checks are the contract every Lern
 * service keeps: no 5xx, no status the document does not declare, bodies that match their schema,
 * and every request the document accepts is accepted by the service.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSchemathesis } from './python-env.ts';
import { buildReport, formatReport, type FuzzReport } from './report.ts';

/** The checks the harness runs (schemathesis names). */
export const FUZZ_CHECKS = ['not_a_server_error', 'status_code_conformance', 'response_schema_conformance', 'positive_data_acceptance'] as const;

/** A schemathesis check name. */
export type FuzzCheck = (typeof FUZZ_CHECKS)[number];

/**
 * Statuses that count as "accepted" for a schema-valid request. 403 (a route for another role or
 * scope), 404 (a generated id that does not exist), 409 (a generated duplicate) and 429 are answers
 * about the data's meaning, not its shape. 401 is absent on purpose: the harness sends a valid
 * administrator token, so a 401 is a rejection. 5xx is left to not_a_server_error.
 */
export const ACCEPTED_STATUSES = ['2xx', '403', '404', '409', '429', '5xx'] as const;

/** Settings of one run. */
export interface FuzzOptions {
  /** URL of the OpenAPI document, e.g. http://127.0.0.1:40123/documentation/json (requests go to its origin). */
  schemaUrl: string;
  /** Headers sent with every request (the token). Kept out of the command line, in the config file. */
  headers?: Record<string, string>;
  /** Test cases per operation and phase. @default 5 */
  examples?: number;
  /** @default 1 */
  seed?: number;
  /** Concurrent workers. @default 1 */
  workers?: number;
  /** @default FUZZ_CHECKS */
  checks?: readonly FuzzCheck[];
  /** Only operations whose path matches this regular expression. */
  includePathRegex?: string;
  /** Seconds per request before it counts as an error (a full reindex answers in seconds). @default 30 */
  requestTimeoutSec?: number;
  /** Folder for the config and reports. @default a new temporary folder, removed when the run finds nothing */
  reportDir?: string;
  /** Each line schemathesis prints while it runs (the CLI shows progress; tests stay quiet). */
  onOutput?: (line: string) => void;
}

/** A finished run: the report, and where its files are (kept when it found something). */
export interface FuzzRun {
  report: FuzzReport;
  reportDir: string;
  /** schemathesis's exit code (0: nothing found, 1: failures). */
  exitCode: number | null;
}

/** TOML basic string (JSON's escapes are a subset of TOML's). */
const toml = (value: string): string => JSON.stringify(value);

/** The config file: headers and the acceptance statuses, which the command line cannot set. */
export function configToml(headers: Record<string, string>): string {
  const lines = [
    `headers = { ${Object.entries(headers).map(([name, value]) => `${toml(name)} = ${toml(value)}`).join(', ')} }`,
    '',
    '[checks.positive_data_acceptance]',
    `expected-statuses = [${ACCEPTED_STATUSES.map(toml).join(', ')}]`,
    '',
  ];
  return lines.join('\n');
}

/** The `schemathesis run` arguments for the options (pure, for tests). */
export function runArguments(options: FuzzOptions, reportDir: string): string[] {
  const args = [
    '--config-file', join(reportDir, 'schemathesis.toml'),
    'run', options.schemaUrl,
    '--checks', (options.checks ?? FUZZ_CHECKS).join(','),
    '--max-examples', String(options.examples ?? 5),
    '--seed', String(options.seed ?? 1),
    '--workers', String(options.workers ?? 1),
    '--request-timeout', String(options.requestTimeoutSec ?? 30),
    // Report every distinct failure of an operation, not only its first.
    '--continue-on-failure',
    // No example database: a run depends on the seed only, not on what earlier runs stored.
    '--generation-database', 'none',
    '--suppress-health-check', 'all',
    '--report', 'ndjson,json',
    '--report-ndjson-path', join(reportDir, 'events.ndjson'),
    '--report-json-path', join(reportDir, 'run.json'),
    '--no-color',
  ];
  if (options.includePathRegex) args.push('--include-path-regex', options.includePathRegex);
  return args;
}

/**
 * Runs schemathesis (installing it on first use) and returns what it found. Throws when it could
 * not run at all (no reports written); failures of the API are in the report, not thrown.
 */
export async function runSchemathesis(options: FuzzOptions): Promise<FuzzRun> {
  const executable = await ensureSchemathesis({ log: options.onOutput });
  const reportDir = options.reportDir ?? mkdtempSync(join(tmpdir(), 'lern-fuzz-'));
  writeFileSync(join(reportDir, 'schemathesis.toml'), configToml(options.headers ?? {}), { mode: 0o600 });
  const output: string[] = [];
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    // cwd is the report folder so no schemathesis.toml of a parent folder is picked up.
    const child = spawn(executable, runArguments(options, reportDir), {
      cwd: reportDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', PYTHONIOENCODING: 'utf-8' },
    });
    let pending = '';
    const onData = (chunk: Buffer): void => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        options.onOutput?.(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending) output.push(pending);
      resolve(code);
    });
  });
  writeFileSync(join(reportDir, 'output.txt'), output.join('\n'));
  const files = readdirSync(reportDir);
  if (!files.includes('run.json') || !files.includes('events.ndjson')) {
    throw new Error(`schemathesis did not run (exit ${exitCode}); its output:\n${output.slice(-40).join('\n')}`);
  }
  const report = buildReport(readFileSync(join(reportDir, 'run.json'), 'utf8'), readFileSync(join(reportDir, 'events.ndjson'), 'utf8'));
  writeFileSync(join(reportDir, 'summary.txt'), `${formatReport(report, { maxCurl: Infinity })}\n`);
  if (report.failures.length === 0 && report.errors.length === 0 && options.reportDir === undefined) rmSync(reportDir, { recursive: true, force: true });
  return { report, reportDir, exitCode };
}
