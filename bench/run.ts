/**
 * `npm run bench [name...]`: runs each benchmark under bench/ (every `*.ts` file here but this one and
 * files starting with `_`, which are shared helpers) in its own
 * process, one after another so they never compete for the two cores. Each prints its figures as
 * ratios against a baseline it measures in the same run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

if (benches.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ') || '*.ts'} in ${here}`);
  process.exit(2);
}

let failures = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failures++;
    console.error(`${file} failed (${result.signal ?? `exit ${result.status}`})`);
  }
}
process.exit(failures === 0 ? 0 : 1);
