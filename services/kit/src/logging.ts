import type { FastifyLoggerOptions, FastifyReply, FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';

/** Headers that carry credentials; never logged even when code logs headers itself. */
const SECRET_HEADERS = ['x-authenticated-user-token', 'x-authenticated-for', 'authorization', 'cookie'];

/** Paths pino blanks out: the secret headers wherever a request or its headers are logged. */
export const REDACTED_PATHS: readonly string[] = SECRET_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`, `request.headers["${h}"]`]);

/** What a request log line says about the request: never the URL or query, which may carry PII. */
export interface LoggedRequest {
  method?: string;
  /** The route pattern, e.g. `/v1/user/exists/:key/:value`; absent for an unmatched path. */
  route?: string;
  requestId?: string;
}

/** What a request log line says about the response. */
export interface LoggedResponse extends LoggedRequest {
  statusCode: number;
}

type RequestLike = Partial<Pick<FastifyRequest, 'method' | 'id' | 'routeOptions'>>;
type ReplyLike = Partial<Pick<FastifyReply, 'request'>> & { statusCode: number };

/** The `req` serializer: method, route pattern and request id. */
export function serializeRequest(request: RequestLike | undefined): LoggedRequest {
  if (request === undefined) return {};
  // A raw IncomingMessage has a method but neither an id nor route options; its url is left out.
  const route = request.routeOptions?.url;
  return {
    method: request.method,
    ...(route !== undefined ? { route } : {}),
    ...(typeof request.id === 'string' ? { requestId: request.id } : {}),
  };
}

/** The `res` serializer: status, with the request's method, route pattern and id (fastify passes a bare `{ statusCode }` at times). */
export function serializeResponse(reply: ReplyLike): LoggedResponse {
  return { ...serializeRequest(reply.request), statusCode: reply.statusCode };
}

/**
 * Logger options for Fastify (`Fastify({ logger: loggerOptions(config.logLevel) })`): JSON lines at
 * `level`, request and response lines naming the route pattern instead of the URL (paths like
 * `/v1/user/exists/email/a@b.c` carry personal data), and credential headers redacted.
 * `stream` replaces stdout (tests capture lines with it).
 */
export function loggerOptions(level: string, stream?: { write(line: string): void }): FastifyLoggerOptions & LoggerOptions {
  return {
    level,
    redact: [...REDACTED_PATHS],
    serializers: {
      // Spread: fastify's serializer types want an index signature the interfaces do not have.
      req: (request: RequestLike) => ({ ...serializeRequest(request) }),
      res: (reply: ReplyLike) => ({ ...serializeResponse(reply) }),
    },
    ...(stream ? { stream } : {}),
  };
}
