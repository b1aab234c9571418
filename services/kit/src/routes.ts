import type { FastifyReply, FastifyRequest, FastifyBaseLogger } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Access, AuthContext } from './auth.ts';
import type { ValidationErrorMapper } from './validation.ts';

/** The schemas of a route; each is validated, `result` documents the envelope's result. */
export interface RouteSchemas {
  body?: TSchema;
  params?: TSchema;
  querystring?: TSchema;
  headers?: TSchema;
  /** The `result` of the success envelope (documentation; responses are not filtered by it). */
  result?: TSchema;
}

type StaticOr<T, Fallback> = T extends TSchema ? Static<T> : Fallback;

/** What a route handler sees. */
export interface LernRequest<S extends RouteSchemas = RouteSchemas> {
  body: StaticOr<S['body'], unknown>;
  params: StaticOr<S['params'], Record<string, string>>;
  query: StaticOr<S['querystring'], Record<string, unknown>>;
  headers: Record<string, string | string[] | undefined>;
  /** The verified caller; null only on PUBLIC routes called without a (valid) token. */
  auth: AuthContext | null;
  /** `x-request-id`, or a generated UUID. */
  requestId: string;
  log: FastifyBaseLogger;
  /** The fastify request, for what the fields above do not cover. */
  raw: FastifyRequest;
}

/** HTTP methods a route may use. */
export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A route of a service: schemas, access rule, Sunbird error mapping, and a handler returning the result. */
export interface RouteDefinition<S extends RouteSchemas = RouteSchemas> {
  method: RouteMethod;
  /** Fastify syntax: `/v1/user/read/:userId`. */
  url: string;
  access: Access;
  schema?: S;
  /** Validation err = prefix + reason code, e.g. `UOS_USRCRT` -> `UOS_USRCRT0030`. */
  errorPrefix?: string;
  /** Custom validation mapping; wins over errorPrefix. */
  validationError?: ValidationErrorMapper;
  /** Envelope id. @default apiIdFromPath(url).id */
  apiId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  /** Returns the envelope's result (or withStatus(...)); throws LernError to fail. */
  handler(req: LernRequest<S>, reply: FastifyReply): Promise<unknown>;
}

/** Identity with typing: infers the schemas so the handler's request is typed. */
export function defineRoute<S extends RouteSchemas>(def: RouteDefinition<S>): RouteDefinition<S> {
  return def;
}

const STATUS = Symbol('lern.status');

/** A success result sent with another HTTP status than 200. */
export interface WithStatus {
  [STATUS]: number;
  result: unknown;
}

/** Wraps a result to be sent with `status` (e.g. 202) instead of 200. */
export function withStatus(status: number, result: unknown): WithStatus {
  return { [STATUS]: status, result };
}

/** Splits a handler's return value into status and result. */
export function unwrapResult(value: unknown): { status: number; result: unknown } {
  if (typeof value === 'object' && value !== null && STATUS in value) {
    const v = value as WithStatus;
    return { status: v[STATUS], result: v.result ?? {} };
  }
  return { status: 200, result: value ?? {} };
}
