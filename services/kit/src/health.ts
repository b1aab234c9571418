import type { ConnectorName, Pingable } from './connectors/index.ts';
import { isDependencyUnavailable } from './errors.ts';

/** One dependency's state in /health. */
export interface HealthCheck {
  name: string;
  healthy: boolean;
  err?: string;
  errmsg?: string;
}

/** The /health result. */
export interface HealthReport {
  name: string;
  healthy: boolean;
  checks: HealthCheck[];
}

/** Pings every connector at once; a connector that throws or times out is unhealthy. */
export async function checkHealth(service: string, connectors: [ConnectorName, Pingable][], timeoutMs = 3_000): Promise<HealthReport> {
  const checks = await Promise.all(
    connectors.map(async ([name, connector]): Promise<HealthCheck> => {
      try {
        await connector.ping(timeoutMs);
        return { name, healthy: true };
      } catch (error) {
        return {
          name,
          healthy: false,
          err: isDependencyUnavailable(error) ? 'SERVICE_UNAVAILABLE' : 'UNHEALTHY',
          errmsg: error instanceof Error ? error.message.slice(0, 300) : String(error),
        };
      }
    }),
  );
  return { name: `${service}.service.health.api`, healthy: checks.every((c) => c.healthy), checks };
}

/** Which connector /readyz checks: the declared primary, else Cassandra when used, else none. */
export function primaryConnector(declared: ConnectorName | undefined, used: readonly ConnectorName[]): ConnectorName | undefined {
  if (declared !== undefined) return declared;
  return used.includes('cassandra') ? 'cassandra' : undefined;
}
