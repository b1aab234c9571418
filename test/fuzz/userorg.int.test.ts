/**
 * User-Org against its own OpenAPI document: schemathesis generates requests from
 * /documentation/json (seeded, LERN_FUZZ_EXAMPLES per operation and phase) and sends them with an
 * administrator's token. Every response must be below 500, carry a documented status and match that
 * status's schema, and every request the document calls valid must be accepted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatCounts, formatReport } from './report.ts';
import { runSchemathesis } from './schemathesis.ts';
import { settingsFromEnv, startTarget, type FuzzTarget } from './targets.ts';

let target: FuzzTarget | undefined;

beforeAll(async () => {
  target = await startTarget('userorg', import.meta.url);
}, 600_000);

afterAll(async () => {
  await target?.close();
});

it('keeps the contract of its OpenAPI document', async () => {
  const { baseUrl, headers } = target!;
  const settings = settingsFromEnv(process.env, { examples: 5 });
  const { report, reportDir } = await runSchemathesis({ schemaUrl: `${baseUrl}/documentation/json`, headers, ...settings });
  process.stdout.write(`[fuzz userorg] seed ${settings.seed}, ${settings.examples} examples: ${formatCounts(report)}\n`);
  expect(report.operationsTested, 'schemathesis tested no operation').toBeGreaterThan(0);
  expect(report.failures.length + report.errors.length, `${formatReport(report, { maxCurl: 600, maxFailures: 80 })}\n\nevery failure with its whole request: ${reportDir}/summary.txt`).toBe(0);
}, 1_800_000);
