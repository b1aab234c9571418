import type { FastifyReply, FastifyRequest, FastifyBaseLogger } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Caller, Policy, Target } from './authz.ts';
import type { ValidationErrorMapper } from './validation.ts';

/** The schemas of a route; each request part is validated, `result` is the success envelope's result. */
export interface RouteSchemas {
  body?: TSchema;
  params?: TSchema;
  querystring?: TSchema;
  headers?: TSchema;
  /** The `result` of the success envelope (documentation; responses are not filtered by it). */
  result?: TSchema;
}

type StaticOr<T, Fallback> = T extends TSchema ? Static<T> : Fallback;

/** What a route handler sees: each part typed by its schema. */
export interface LernRequest<S extends RouteSchemas = RouteSchemas> {
  body: StaticOr<S['body'], undefined>;
  params: StaticOr<S['params'], Record<string, never>>;
  query: StaticOr<S['querystring'], Record<string, never>>;
  headers: Record<string, string | string[] | undefined>;
  /** The verified caller; null on `public` and `internal` routes called without a valid token. */
  caller: Caller | null;
  /** True when the request came in on the internal port. */
  internal: boolean;
  /** `x-request-id`, or a generated UUID. */
  requestId: string;
  log: FastifyBaseLogger;
  /** The fastify request, for what the fields above do not cover. */
  raw: FastifyRequest;
}

/** HTTP methods a route may use. */
export type RouteMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Error statuses a handler may answer with besides those the kit documents for every route (400 bad
 * input, 401/403 from the policy, 500, 503): e.g. 404 for an unknown id, 409 for a conflict.
 */
export type HandlerErrorStatus = 403 | 404 | 409 | 429;

/** A route of a service as its author writes it: schemas, policy, Sunbird error mapping and a handler returning the result. */
export interface RouteDefinition<S extends RouteSchemas = RouteSchemas> {
  method: RouteMethod;
  /** Fastify syntax: `/v1/user/read/:userId`. */
  url: string;
  /** Who may call it (see authz.ts). */
  policy: Policy;
  /** What the request is about, for target policies (`self`, `selfOrAdmin`, ...); runs after validation. */
  target?: (req: LernRequest<S>) => Target;
  schema?: S;
  /** Statuses the handler itself may answer with (documented in OpenAPI). */
  errors?: readonly HandlerErrorStatus[];
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

/** A route with its types erased, as the kit registers it: a list of these makes a service. */
export interface Route {
  readonly method: RouteMethod;
  readonly url: string;
  readonly policy: Policy;
  readonly schema: RouteSchemas;
  readonly errors: readonly HandlerErrorStatus[];
  readonly errorPrefix?: string;
  readonly validationError?: ValidationErrorMapper;
  readonly apiId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: string[];
  /** The target of the request (validated parts in place). */
  target?(req: LernRequest): Target;
  handle(req: LernRequest, reply: FastifyReply): Promise<unknown>;
}

/**
 * Types a route by its schemas and erases the types for registration. The request parts reach the
 * handler only after the kit validated them against those same schemas, which is what makes handing
 * the erased request to the typed handler sound.
 */
export function defineRoute<S extends RouteSchemas>(def: RouteDefinition<S>): Route {
  const { target, schema, errors, ...rest } = def;
  return {
    ...rest,
    schema: schema ?? {},
    errors: errors ?? [],
    ...(target ? { target: (req: LernRequest) => target(req) } : {}),
    handle: (req, reply) => def.handler(req, reply),
  };
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
