/**
 * The services `lern service <name>` can run: the runnable services of the component catalogue
 * (operator/src/api/components.ts, a module without Kubernetes code), each with a loader that
 * imports its package only when that service is started, so one service does not pay for another's
 * code. A unit test (cli/src/catalogue.test.ts) keeps loaders and catalogue in step.
 */
import { runService, type ServiceDefinition } from '@lern/kit';
import { RUNNABLE_SERVICES, SERVICE_NAMES, isRunnableService, type ServiceName } from '@lern/operator/components';

/** Service name -> loader of its definition. A service that becomes runnable adds one line here and flips its catalogue entry. */
export const SERVICES: Readonly<Partial<Record<ServiceName, () => Promise<ServiceDefinition>>>> = {
  userorg: async () => (await import('@lern/userorg')).service,
  lms: async () => (await import('@lern/lms')).service,
  groups: async () => (await import('@lern/groups')).service,
  notification: async () => (await import('@lern/notification')).service,
};

/** Usage of `lern service`. */
export const SERVICE_HELP = `Usage: lern service <name>

Runs one Lern service until SIGTERM: the public API on 0.0.0.0:LERN_HTTP_PORT (default 9000) and the
/private routes on 0.0.0.0:LERN_INTERNAL_HTTP_PORT (default 9001).
Services this version runs: ${RUNNABLE_SERVICES.join(', ')}
Configuration comes from the environment (see docs/configuration.md).
`;

/** Why `name` cannot be run, or undefined when it can (pure). */
export function serviceRefusal(name: string): string | undefined {
  if (isRunnableService(name)) return SERVICES[name] ? undefined : `service '${name}' is runnable in the catalogue but has no loader in services/registry.ts`;
  if ((SERVICE_NAMES as readonly string[]).includes(name)) return `service '${name}' is not in this version yet (this version runs: ${RUNNABLE_SERVICES.join(', ')})`;
  return `unknown service '${name}' (this version runs: ${RUNNABLE_SERVICES.join(', ')})`;
}

/** `lern service <name>`: runs until a signal; exit 2 on bad usage, 1 when it cannot start. */
export async function serviceCommand(argv: string[]): Promise<number> {
  const [name] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(SERVICE_HELP);
    return name === undefined ? 2 : 0;
  }
  const refusal = serviceRefusal(name);
  const load = isRunnableService(name) ? SERVICES[name] : undefined;
  if (refusal !== undefined || load === undefined) {
    process.stderr.write(`lern service: ${refusal ?? `cannot run '${name}'`}\n`);
    return 2;
  }
  const { closed } = await runService(await load());
  // Returns once SIGTERM/SIGINT has closed the app (in-flight requests finished, connectors closed).
  await closed;
  return 0;
}
