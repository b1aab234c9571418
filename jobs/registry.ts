/**
 * The jobs `lern job <name>` can run: the runnable jobs of the component catalogue
 * (operator/src/api/components.ts), each with a loader that imports its package only when that job
 * is started. A unit test (cli/src/catalogue.test.ts) keeps loaders and catalogue in step.
 */
import { runJob, type Job } from '@lern/job-kit';
import { JOB_NAMES, RUNNABLE_JOBS, type JobName } from '@lern/operator/components';

/** Job name -> loader of its definition. A job that becomes runnable adds one line here and flips its catalogue entry. */
export const JOBS: Readonly<Partial<Record<JobName, () => Promise<Job>>>> = {
  'user-deletion-cleanup': async () => (await import('@lern/user-deletion-cleanup')).job,
  'user-cache-updater': async () => (await import('@lern/user-cache-updater')).job,
};

/** Usage of `lern job`. */
export const JOB_HELP = `Usage: lern job <name>

Runs one Lern job until SIGTERM: a Kafka consumer group (at-least-once; failing events are retried,
then dead-lettered to <topic>.failed), with /livez, /readyz, /health and /metrics on
0.0.0.0:LERN_HTTP_PORT (default 9000).
Jobs this version runs: ${RUNNABLE_JOBS.join(', ')}
Configuration comes from the environment (see docs/configuration.md and jobs/kit/API.md).
`;

function isRunnableJob(name: string): name is JobName {
  return (RUNNABLE_JOBS as readonly string[]).includes(name);
}

/** Why `name` cannot be run, or undefined when it can (pure). */
export function jobRefusal(name: string): string | undefined {
  if (isRunnableJob(name)) return JOBS[name] ? undefined : `job '${name}' is runnable in the catalogue but has no loader in jobs/registry.ts`;
  if ((JOB_NAMES as readonly string[]).includes(name)) return `job '${name}' is not in this version yet (this version runs: ${RUNNABLE_JOBS.join(', ')})`;
  return `unknown job '${name}' (this version runs: ${RUNNABLE_JOBS.join(', ')})`;
}

/** `lern job <name>`: runs until a signal; exit 2 on bad usage, 1 when it cannot start. */
export async function jobCommand(argv: string[]): Promise<number> {
  const [name] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(JOB_HELP);
    return name === undefined ? 2 : 0;
  }
  const refusal = jobRefusal(name);
  const load = isRunnableJob(name) ? JOBS[name] : undefined;
  if (refusal !== undefined || load === undefined) {
    process.stderr.write(`lern job: ${refusal ?? `cannot run '${name}'`}\n`);
    return 2;
  }
  const { closed } = await runJob(await load());
  // Returns once SIGTERM/SIGINT has stopped the job (in-flight events finished, offsets committed, group left).
  await closed;
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
