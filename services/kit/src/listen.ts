import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { markInternalRequest } from './internal.ts';
import type { LernApp } from './service.ts';

/** Where the two listeners of a service bind. */
export interface ListenOptions {
  /** Host of both listeners. */
  host: string;
  /** Public port (LERN_HTTP_PORT); 0 picks a free one. */
  port: number;
  /** Internal port (LERN_INTERNAL_HTTP_PORT), the only one that serves `/private/*`; 0 picks a free one. */
  internalPort: number;
  /** Longest time to receive a whole request, on both ports. @default Node's own */
  requestTimeoutMs?: number;
}

/** The listeners of a started app; `app.close()` closes both. */
export interface Listening {
  /** `http://host:port` of the public listener (a wildcard host is given as loopback). */
  publicUrl: string;
  internalUrl: string;
  internalServer: Server;
  /** Ends every connection of both listeners, busy or idle: the last step of a shutdown that ran out of time. */
  closeAllConnections(): void;
}

function urlOf(server: Server): string {
  const { address, port, family } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  return family === 'IPv6' || host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * Node options that make a request timeout bite on time: node checks for slow requests only every
 * connectionsCheckingInterval (30 s by default), so the check runs ten times per timeout instead.
 * app.ts passes these to Fastify for the public server; the internal server is made with them.
 */
export function serverTimeouts(requestTimeoutMs: number): { requestTimeout: number; http: { connectionsCheckingInterval: number } } {
  return { requestTimeout: requestTimeoutMs, http: { connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.ceil(requestTimeoutMs / 10))) } };
}

function applyRequestTimeout(server: Server, ms: number | undefined): void {
  if (ms === undefined) return;
  server.requestTimeout = ms;
  server.headersTimeout = Math.min(server.headersTimeout, ms);
}

/**
 * Serves one app on two ports: the public server from `app.listen`, and a plain node server on the
 * internal port that hands each request to the same app (`app.routing`) after marking it internal
 * (isInternalRequest). Closing the app stops both from accepting and lets in-flight requests on
 * either finish. Call before `app.ready()`: it adds close hooks. If either port cannot be bound,
 * the app is closed and the error thrown.
 */
export async function listenPublicAndInternal(app: LernApp, options: ListenOptions): Promise<Listening> {
  const timeouts = options.requestTimeoutMs === undefined ? undefined : serverTimeouts(options.requestTimeoutMs);
  const internalServer = createServer({ ...timeouts?.http, requestTimeout: timeouts?.requestTimeout }, (req, res) => {
    markInternalRequest(req);
    app.routing(req, res);
  });
  let internalClosed: Promise<void> | undefined;
  const closeInternal = (): Promise<void> => {
    internalClosed ??= new Promise((resolve) => {
      // Resolves with ERR_SERVER_NOT_RUNNING too: a listener that never started is closed.
      internalServer.close(() => resolve());
      internalServer.closeIdleConnections();
    });
    return internalClosed;
  };
  let closing = false;
  // Both ports stop accepting together; the app's onClose waits until the internal one has drained.
  app.addHook('preClose', (done) => {
    closing = true;
    void closeInternal();
    done();
  });
  // Responses finished while closing end their connection, so a keep-alive client does not hold
  // either server open until its idle timeout.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => closeInternal());

  try {
    await app.ready();
    // Also when app.ts did not pass serverTimeouts (then checked only every 30 s on the public port).
    applyRequestTimeout(app.server, options.requestTimeoutMs);
    // Keep-alive like the public server, so a client sees the same behaviour on both ports.
    internalServer.keepAliveTimeout = app.server.keepAliveTimeout;
    await new Promise<void>((resolve, reject) => {
      internalServer.once('error', reject);
      internalServer.listen(options.internalPort, options.host, () => {
        internalServer.off('error', reject);
        resolve();
      });
    });
    internalServer.on('error', (error) => app.log.error({ err: error }, 'internal listener failed'));
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return {
    publicUrl: urlOf(app.server),
    internalUrl: urlOf(internalServer),
    internalServer,
    closeAllConnections() {
      app.server.closeAllConnections();
      internalServer.closeAllConnections();
    },
  };
}

/** Tests: starts an app on two free loopback ports and returns both base URLs; `app.close()` stops it. */
export async function listenOnLoopback(app: LernApp): Promise<{ publicUrl: string; internalUrl: string }> {
  const { publicUrl, internalUrl } = await listenPublicAndInternal(app, { host: '127.0.0.1', port: 0, internalPort: 0 });
  return { publicUrl, internalUrl };
}
