/**
 * Loopback ports of every server. They avoid the servers' usual defaults so a system service that
 * happens to run on this machine never answers in place of ours. Each can be overridden with
 * `LERN_<NAME>_PORT`, e.g. `LERN_CASSANDRA_PORT=9042`.
 */
export const DEFAULT_PORTS = {
  cassandra: 19042,
  cassandraStorage: 17000,
  kafka: 19092,
  kafkaController: 19093,
  elasticsearch: 19200,
  opensearch: 19201,
  elasticsearchTransport: 19300,
  opensearchTransport: 19301,
  redis: 16379,
  postgres: 15432,
  etcd: 12379,
  etcdPeer: 12380,
  kubeApiserver: 16443,
  kubeControllerManager: 16444,
  kubeScheduler: 16445,
  kwok: 16446,
  smtp: 12525,
} as const;

export type PortName = keyof typeof DEFAULT_PORTS;
export type Ports = Record<PortName, number>;

function envName(name: PortName): string {
  return `LERN_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_PORT`;
}

export function resolvePorts(env: NodeJS.ProcessEnv = process.env): Ports {
  const ports = { ...DEFAULT_PORTS } as Ports;
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) {
    const raw = env[envName(name)];
    if (raw === undefined || raw === '') continue;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${envName(name)}=${raw} is not a TCP port (1-65535)`);
    }
    ports[name] = port;
  }
  return ports;
}

export { envName as portEnvName };
