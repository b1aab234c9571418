/**
 * The services `lern service <name>` can run. Each entry loads its package only when that service
 * is started, so one service does not pay for another's code.
 */
import { runService, type ServiceDefinition } from '@lern/kit';

/** Service name -> loader of its definition. A new service adds one line. */
export const SERVICES: Readonly<Record<string, () => Promise<ServiceDefinition>>> = {
  userorg: async () => (await import('@lern/userorg')).service,
};

/** Usage of `lern service`. */
export const SERVICE_HELP = `Usage: lern service <name>

Runs one Lern service on 0.0.0.0:LERN_HTTP_PORT (default 9000) until SIGTERM.
Services: ${Object.keys(SERVICES).join(', ')}
Configuration comes from the environment (see docs/configuration.md).
`;

/** `lern service <name>`: runs until a signal; exit 2 on bad usage, 1 when it cannot start. */
export async function serviceCommand(argv: string[]): Promise<number> {
  const [name] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(SERVICE_HELP);
    return name === undefined ? 2 : 0;
  }
  const load = SERVICES[name];
  if (!load) {
    process.stderr.write(`lern service: unknown service '${name}' (known: ${Object.keys(SERVICES).join(', ')})\n`);
    return 2;
  }
  const { closed } = await runService(await load());
  // Returns once SIGTERM/SIGINT has closed the app (in-flight requests finished, connectors closed).
  await closed;
  return 0;
}
