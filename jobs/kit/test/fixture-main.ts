/**
 * The fixture job as a real process (the suites SIGKILL and SIGTERM it): configuration from the
 * environment like `lern job`, plus FIXTURE_TOPIC, FIXTURE_NS and FIXTURE_REPLICA.
 */
import { runJob } from '../src/index.ts';
import { fixtureJob } from './fixture-job.ts';

const env = process.env;
const running = await runJob(fixtureJob({ topic: env.FIXTURE_TOPIC ?? 'fixture.events', ns: env.FIXTURE_NS ?? 'fixture', replica: env.FIXTURE_REPLICA ?? 'main' }));
process.stdout.write(`ready ${running.url}\n`);
await running.closed;
