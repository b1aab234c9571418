import { loadConfig, type Env } from './config.ts';
import { createApp } from './app.ts';
import { listenPublicAndInternal } from './listen.ts';
import type { LernApp, ServiceDefinition } from './service.ts';

/** A started service: the app, its two base URLs, and a promise that settles once it has shut down. */
export interface RunningService {
  app: LernApp;
  publicUrl: string;
  internalUrl: string;
  closed: Promise<void>;
}

/** Options of runService. */
export interface RunOptions {
  /** Ends the process when the shutdown deadline passes; tests running in-process pass their own. @default process.exit */
  exit?: (code: number) => void;
}

/**
 * Runs a service: configuration from the environment, the app on 0.0.0.0:LERN_HTTP_PORT and
 * 0.0.0.0:LERN_INTERNAL_HTTP_PORT (the only port serving `/private/*`), and a graceful shutdown on
 * SIGTERM/SIGINT: stop accepting, finish in-flight requests, close connectors. Shutdown is bounded
 * by LERN_SHUTDOWN_DEADLINE_MS: past it every connection is cut and the process exits with 1, even
 * when a request or a connector's close hangs.
 */
export async function runService(service: ServiceDefinition, env: Env = process.env, options: RunOptions = {}): Promise<RunningService> {
  const config = loadConfig(env);
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const app = await createApp({ service, config });
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  app.addHook('onClose', (_instance, done) => {
    resolveClosed();
    done();
  });
  const listening = await listenPublicAndInternal(app, {
    host: '0.0.0.0',
    port: config.httpPort,
    internalPort: config.internalHttpPort,
    requestTimeoutMs: config.requestTimeoutMs,
  });

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    const deadlineMs = config.shutdownDeadlineMs;
    app.log.info({ signal, deadlineMs }, 'shutting down');
    const deadline = setTimeout(() => {
      app.log.error({ deadlineMs }, 'shutdown deadline passed; cutting every connection and exiting');
      listening.closeAllConnections();
      resolveClosed();
      exit(1);
    }, deadlineMs);
    void app
      .close()
      .then(
        () => {
          app.log.info('stopped');
          process.exitCode = 0;
        },
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
        },
      )
      .finally(() => clearTimeout(deadline));
  };
  const onSigterm = (): void => shutdown('SIGTERM');
  const onSigint = (): void => shutdown('SIGINT');
  process.once('SIGTERM', onSigterm);
  process.once('SIGINT', onSigint);
  void closed.then(() => {
    process.off('SIGTERM', onSigterm);
    process.off('SIGINT', onSigint);
  });
  return { app, publicUrl: listening.publicUrl, internalUrl: listening.internalUrl, closed };
}
