/**
 * The job's small HTTP server: `/livez` (the process runs), `/readyz` (the primary store answers and
 * the consumer is a member of its group), `/health` (every connector, the service kit's shape) and
 * `/metrics` (Prometheus). A job has no API, so plain node:http is enough.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { checkHealth, type ConnectorName, type Pingable } from '@lern/kit';
import type { Registry } from 'prom-client';

/** What /readyz found. */
export interface Readiness {
  ready: boolean;
  /** The primary store answered (true when the job has none). */
  primary: boolean;
  /** The consumer is a member of its group. */
  member: boolean;
}

/** Options of startProbeServer. */
export interface ProbeServerOptions {
  job: string;
  host: string;
  port: number;
  registry: Registry;
  connectors: [ConnectorName, Pingable][];
  primary: [ConnectorName, Pingable] | undefined;
  member(): boolean;
}

/** A listening probe server. */
export interface ProbeServer {
  url: string;
  close(): Promise<void>;
}

/** Checks readiness: the primary store's ping (bounded) and the group membership. */
export async function readiness(primary: Pingable | undefined, member: boolean, timeoutMs = 2_000): Promise<Readiness> {
  let primaryUp = true;
  if (primary) {
    try {
      await primary.ping(timeoutMs);
    } catch {
      primaryUp = false;
    }
  }
  return { ready: primaryUp && member, primary: primaryUp, member };
}

/** Starts the server; resolves once it listens. */
export async function startProbeServer(options: ProbeServerOptions): Promise<ProbeServer> {
  const send = (res: ServerResponse, status: number, body: unknown, type = 'application/json'): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    const answer = async (): Promise<void> => {
      switch (path) {
        case '/livez':
          return send(res, 200, { status: 'ok' });
        case '/readyz': {
          const r = await readiness(options.primary?.[1], options.member());
          return send(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', primary: r.primary, member: r.member });
        }
        case '/health': {
          const report = await checkHealth(options.job, options.connectors);
          return send(res, report.healthy ? 200 : 503, { ...report, member: options.member() });
        }
        case '/metrics':
          return send(res, 200, await options.registry.metrics(), options.registry.contentType);
        default:
          return send(res, 404, { error: 'not found' });
      }
    };
    answer().catch((error: unknown) => send(res, 500, { error: error instanceof Error ? error.message : String(error) }));
  });
  // Probes are short; a stuck client must not hold the shutdown.
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
