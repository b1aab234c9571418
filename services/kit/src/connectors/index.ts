import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { LernConfig } from '../config.ts';
import { createCassandra, type CassandraConnector } from './cassandra.ts';
import { createRedis, type RedisConnector } from './redis.ts';
import { createSearch, type SearchConnector } from './search.ts';
import { createKafka, type KafkaConnector } from './kafka.ts';
import { createPostgres, type PostgresConnector } from './postgres.ts';

/** The stores a component may use. */
export type ConnectorName = 'cassandra' | 'redis' | 'search' | 'kafka' | 'postgres';

/** Every connector's common face: a health probe and a close. */
export interface Pingable {
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The connectors of a component; only the ones it asked for are set. */
export interface Connectors {
  cassandra?: CassandraConnector;
  redis?: RedisConnector;
  search?: SearchConnector;
  kafka?: KafkaConnector;
  postgres?: PostgresConnector;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's connectors (a fastify instance already has a `search` method, hence one object). */
    connectors: Connectors;
  }
}

/** Creates the named connectors from the configuration (none connects eagerly). */
export function createConnectors(config: LernConfig, names: readonly ConnectorName[], options: { clientId?: string } = {}): Connectors {
  const connectors: Connectors = {};
  for (const name of names) {
    switch (name) {
      case 'cassandra':
        connectors.cassandra = createCassandra(config.cassandra, { applicationName: options.clientId });
        break;
      case 'redis':
        connectors.redis = createRedis(config.redis);
        break;
      case 'search':
        connectors.search = createSearch(config.search);
        break;
      case 'kafka':
        connectors.kafka = createKafka(config.kafka, { clientId: options.clientId });
        break;
      case 'postgres':
        connectors.postgres = createPostgres(config.postgres);
        break;
    }
  }
  return connectors;
}

/** The connectors that are set, by name. */
export function connectorEntries(connectors: Connectors): [ConnectorName, Pingable][] {
  return (Object.entries(connectors) as [ConnectorName, Pingable | undefined][]).filter((e): e is [ConnectorName, Pingable] => e[1] !== undefined);
}

/** Closes every connector; one failing close does not keep the others open. */
export async function closeConnectors(connectors: Connectors): Promise<void> {
  await Promise.allSettled(connectorEntries(connectors).map(([, c]) => c.close()));
}

/**
 * One named fastify plugin per connector (`lern-cassandra`, ...), so other plugins can declare
 * `dependencies: ['lern-cassandra']`; when `owned`, it closes the connector when the app closes.
 * The connector itself is reached through the `connectors` decorator.
 */
export function connectorPlugin(name: ConnectorName, connector: Pingable, owned: boolean) {
  return fp(
    (app: FastifyInstance, _opts: Record<never, never>, done: (err?: Error) => void) => {
      if (owned) app.addHook('onClose', async () => connector.close());
      done();
    },
    { name: `lern-${name}`, fastify: '5.x' },
  );
}
