import { loadConfig, type Env } from './config.ts';
import { createApp } from './app.ts';
import type { LernApp, ServiceDefinition } from './service.ts';

/** A started service: the app, and a promise that settles once it has shut down. */
export interface RunningService {
  app: LernApp;
  closed: Promise<void>;
}

/**
 * Runs a service: configuration from the environment, the app on 0.0.0.0:LERN_HTTP_PORT, and a
 * graceful shutdown on SIGTERM/SIGINT (stop accepting, finish in-flight requests, close connectors).
 */
export async function runService(service: ServiceDefinition, env: Env = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const app = await createApp({ service, config });
  const closed = new Promise<void>((resolve) => {
    app.addHook('onClose', (_instance, done) => {
      resolve();
      done();
    });
  });
  let closing: Promise<void> | undefined;
  // Responses finished during shutdown close their connection, so a keep-alive client does not hold
  // the server open until its idle timeout.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  const shutdown = (signal: string): void => {
    if (closing) return;
    app.log.info({ signal }, 'shutting down');
    closing = app.close().then(
      () => {
        app.log.info('stopped');
        process.exitCode = 0;
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.httpPort, host: '0.0.0.0' });
  return { app, closed };
}
