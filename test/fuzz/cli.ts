/**
 * `npm run fuzz -- <service> [--examples N] [--seed N] [--workers N] [--paths REGEX]`: the schema
 * fuzzer outside vitest, with more examples than the test run. Starts the real servers when they
 * are not running, prints schemathesis's progress, then every distinct failure with a curl line.
 * Exit 0 when nothing was found, 1 on failures, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { formatReport } from './report.ts';
import { runSchemathesis } from './schemathesis.ts';
import { TARGETS, settingsFromEnv, startTarget } from './targets.ts';

const HELP = `Usage: npm run fuzz -- <service> [options]

Fuzzes a service through its OpenAPI document (/documentation/json) with schemathesis.
Services: ${Object.keys(TARGETS).join(', ')}

Options (each also read from the variable named after it):
  --examples N    test cases per operation and phase (LERN_FUZZ_EXAMPLES, default 50)
  --seed N        generation seed (LERN_FUZZ_SEED, default 1)
  --workers N     concurrent requests (LERN_FUZZ_WORKERS, default 1)
  --paths REGEX   only operations whose path matches (LERN_FUZZ_PATHS)
  --quiet         no schemathesis progress, only the summary

Curl lines read the token from $TOKEN; the reports stay in the folder printed at the end.
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      examples: { type: 'string' },
      seed: { type: 'string' },
      workers: { type: 'string' },
      paths: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [service] = positionals;
  if (values.help || service === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (!TARGETS[service]) {
    process.stderr.write(`unknown service '${service}' (known: ${Object.keys(TARGETS).join(', ')})\n`);
    return 2;
  }
  const settings = settingsFromEnv(
    {
      ...process.env,
      ...(values.examples ? { LERN_FUZZ_EXAMPLES: values.examples } : {}),
      ...(values.seed ? { LERN_FUZZ_SEED: values.seed } : {}),
      ...(values.workers ? { LERN_FUZZ_WORKERS: values.workers } : {}),
      ...(values.paths ? { LERN_FUZZ_PATHS: values.paths } : {}),
    },
    { examples: 50 },
  );
  process.stdout.write(`starting ${service} (servers, migrations, signing key)...\n`);
  const target = await startTarget(service, new URL(`file:///fuzz/${service}-cli.ts`).href);
  try {
    const { report, reportDir } = await runSchemathesis({
      schemaUrl: `${target.baseUrl}/documentation/json`,
      headers: target.headers,
      ...settings,
      onOutput: values.quiet ? undefined : (line) => process.stdout.write(`  | ${line}\n`),
    });
    process.stdout.write(`\n${service}, seed ${settings.seed}, ${settings.examples} examples per operation and phase\n`);
    process.stdout.write(`${formatReport(report)}\n`);
    if (report.failures.length > 0 || report.errors.length > 0) process.stdout.write(`\nreports (summary.txt, events.ndjson, run.json): ${reportDir}\n`);
    return report.failures.length === 0 && report.errors.length === 0 && report.operationsTested > 0 ? 0 : 1;
  } finally {
    await target.close();
  }
}

try {
  // Exit explicitly: drivers' timers would otherwise keep the process alive a while.
  process.exit(await main(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
