/**
 * Reads schemathesis's machine-readable output (the NDJSON event stream for each failing check, the
 * JSON run report for totals and errors) into a summary: failures grouped by operation, check and
 * outcome, each with a curl line that repeats one of its requests.
 */

/** One request as schemathesis recorded it. */
export interface RecordedRequest {
  method: string;
  uri: string;
  headers?: Record<string, string[]>;
  body?: string | { $base64: string };
}

/** A distinct failure: one operation, one check, one outcome (e.g. "Received: 400"). */
export interface FuzzFailure {
  operation: string;
  check: string;
  /** Schemathesis's code and title, e.g. "ST103 Undocumented status code". */
  title: string;
  /** The failure's message, first lines (e.g. "Received: 400\nDocumented: 200"). */
  message: string;
  /** The response status of the reproduction. */
  status?: number;
  /** The start of the reproduction's response body. */
  responseExcerpt?: string;
  /** Failing test cases in this group. */
  cases: number;
  /** Repeats the smallest failing request of the group. */
  curl: string;
}

/** Per-check totals: distinct failures, operations affected, failing test cases. */
export interface CheckCount {
  distinct: number;
  operations: number;
  cases: number;
}

/** What one schemathesis run found. */
export interface FuzzReport {
  operationsTotal: number;
  operationsTested: number;
  testCases: number;
  /** The run went through every selected operation (not stopped or interrupted). */
  complete: boolean;
  /** Errors that kept operations from being tested (schema problems, network errors, generation failures). */
  errors: string[];
  failures: FuzzFailure[];
  byCheck: Record<string, CheckCount>;
}

/** Header values schemathesis masks in its output (the token). */
const FILTERED = '[Filtered]';

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function decodeBody(body: RecordedRequest['body'] | undefined): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(body.$base64, 'base64');
}

/** Quotes text for bash: plain single quotes when printable ASCII, else $'...' with \xHH escapes (exact bytes). */
export function shellQuote(bytes: Buffer | string): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  if (buf.every((b) => b >= 0x20 && b < 0x7f)) return `'${buf.toString('latin1').replaceAll("'", "'\\''")}'`;
  let out = "$'";
  for (const b of buf) {
    if (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

/** A curl command that sends the recorded request again; masked headers read `$TOKEN` from the shell. */
export function curlFor(request: RecordedRequest): string {
  const parts = ['curl', '-g', '-sS', '-X', request.method];
  for (const [name, values] of Object.entries(request.headers ?? {})) {
    for (const value of values) {
      parts.push('-H', value === FILTERED ? `"${name}: $TOKEN"` : shellQuote(`${name}: ${value}`));
    }
  }
  const body = decodeBody(request.body);
  if (body !== undefined) parts.push('--data-binary', shellQuote(body));
  parts.push(shellQuote(request.uri));
  return parts.join(' ');
}

/** One failing check of one test case, as read from the event stream. */
interface FailedCheck {
  operation: string;
  check: string;
  title: string;
  message: string;
  status?: number;
  responseBody?: string;
  request?: RecordedRequest;
}

/** Picks the failing checks out of the NDJSON event stream (`--report ndjson`). */
export function failedChecks(ndjson: string): FailedCheck[] {
  const found: FailedCheck[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = obj(JSON.parse(line));
    const finished = obj(event.ScenarioFinished ?? event.FuzzScenarioFinished);
    const recorder = obj(finished.recorder);
    const checks = obj(recorder.checks);
    const interactions = obj(recorder.interactions);
    for (const [caseId, results] of Object.entries(checks)) {
      if (!Array.isArray(results)) continue;
      for (const result of results.map(obj)) {
        if (result.status !== 'failure') continue;
        const failure = obj(obj(result.failure_info).failure);
        const interaction = obj(interactions[caseId]);
        const response = obj(interaction.response);
        const content = obj(response.content);
        const code = str(failure.code);
        found.push({
          operation: str(failure.operation) || str(recorder.label),
          check: str(result.name),
          title: [code, str(failure.title)].filter(Boolean).join(' '),
          message: str(failure.message),
          status: typeof response.status_code === 'number' ? response.status_code : undefined,
          responseBody: typeof content.$base64 === 'string' ? Buffer.from(content.$base64, 'base64').toString('utf8') : str(content.string) || undefined,
          request: interaction.request ? (interaction.request as RecordedRequest) : undefined,
        });
      }
    }
  }
  return found;
}

/** Errors that kept an operation from being tested (NonFatalError, FatalError events), one line each. */
export function runErrors(ndjson: string): string[] {
  const errors: string[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = obj(JSON.parse(line));
    if (event.NonFatalError) {
      const e = obj(event.NonFatalError);
      const value = obj(e.value);
      errors.push(`${str(e.label) || '(no operation)'}: ${str(value.type)}: ${str(value.message)}${e.phase ? ` (${str(e.phase)} phase)` : ''}`);
    } else if (event.FatalError) {
      errors.push(`schemathesis stopped: ${JSON.stringify(obj(event.FatalError).exception ?? event.FatalError)}`);
    }
  }
  return errors;
}

/** Outcomes that differ only in detail (a hint about extra properties, a generated value) share a group. */
function outcomeOf(failure: FailedCheck): string {
  const first = failure.message.split('\n')[0] ?? '';
  return `${first}|${failure.status ?? ''}`;
}

const requestSize = (f: FailedCheck): number => (f.request ? f.request.uri.length + (decodeBody(f.request.body)?.length ?? 0) : Number.MAX_SAFE_INTEGER);

/** Groups failing checks into distinct failures, keeping the smallest request of each as its reproduction. */
export function groupFailures(checks: FailedCheck[]): FuzzFailure[] {
  const groups = new Map<string, FailedCheck[]>();
  for (const check of checks) {
    const key = `${check.operation}|${check.check}|${outcomeOf(check)}`;
    groups.set(key, [...(groups.get(key) ?? []), check]);
  }
  return [...groups.values()]
    .map((members) => {
      const smallest = members.reduce((a, b) => (requestSize(b) < requestSize(a) ? b : a));
      return {
        operation: smallest.operation,
        check: smallest.check,
        title: smallest.title,
        message: smallest.message.split('\n').slice(0, 4).join('\n'),
        status: smallest.status,
        responseExcerpt: smallest.responseBody?.slice(0, 300),
        cases: members.length,
        curl: smallest.request ? curlFor(smallest.request) : '(no request recorded)',
      };
    })
    .sort((a, b) => a.operation.localeCompare(b.operation) || a.check.localeCompare(b.check) || (a.status ?? 0) - (b.status ?? 0));
}

function countByCheck(failures: FuzzFailure[]): Record<string, CheckCount> {
  const counts: Record<string, CheckCount & { ops: Set<string> }> = {};
  for (const f of failures) {
    const c = (counts[f.check] ??= { distinct: 0, operations: 0, cases: 0, ops: new Set() });
    c.distinct += 1;
    c.cases += f.cases;
    c.ops.add(f.operation);
  }
  return Object.fromEntries(Object.entries(counts).map(([check, { ops, ...c }]) => [check, { ...c, operations: ops.size }]));
}

/** Builds the report from the JSON run report (`--report json`) and the NDJSON event stream. */
export function buildReport(runReportJson: string, ndjson: string): FuzzReport {
  const run = obj(JSON.parse(runReportJson));
  const operations = obj(run.operations);
  const testCases = obj(run.test_cases);
  const summarised = (Array.isArray(run.errors) ? run.errors : []).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  const detailed = runErrors(ndjson);
  const errors = detailed.length > 0 ? detailed : summarised;
  const failures = groupFailures(failedChecks(ndjson));
  return {
    operationsTotal: Number(operations.selected ?? operations.total ?? 0),
    operationsTested: Number(operations.tested ?? 0),
    testCases: Number(testCases.generated ?? 0),
    complete: run.complete === true,
    errors,
    failures,
    byCheck: countByCheck(failures),
  };
}

/** Per-check totals, one line each. */
export function formatCounts(report: FuzzReport): string {
  const lines = [`${report.operationsTested}/${report.operationsTotal} operations, ${report.testCases} test cases, ${report.failures.length} distinct failures`];
  for (const [check, c] of Object.entries(report.byCheck).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${check}: ${c.distinct} distinct in ${c.operations} operations (${c.cases} failing cases)`);
  }
  if (report.errors.length > 0) lines.push(`  errors: ${report.errors.length}`);
  return lines.join('\n');
}

/** The whole report: counts, then each failure (the first maxFailures) with its reproduction (curl lines cut at maxCurl characters). */
export function formatReport(report: FuzzReport, { maxCurl = 1500, maxFailures = Infinity } = {}): string {
  const out = [formatCounts(report)];
  for (const f of report.failures.slice(0, maxFailures)) {
    out.push('', `${f.operation}  [${f.check}] ${f.title}${f.status !== undefined ? ` (status ${f.status})` : ''}, ${f.cases} case(s)`);
    out.push(...f.message.split('\n').filter((line) => line.trim()).map((line) => `    ${line}`));
    if (f.responseExcerpt) out.push(`    response: ${f.responseExcerpt.replaceAll('\n', ' ')}`);
    out.push(`    ${f.curl.length > maxCurl ? `${f.curl.slice(0, maxCurl)} ... (cut; full request in the NDJSON report)` : f.curl}`);
  }
  if (report.failures.length > maxFailures) out.push('', `... and ${report.failures.length - maxFailures} more distinct failures`);
  for (const error of report.errors) out.push('', `error: ${error}`);
  return out.join('\n');
}
