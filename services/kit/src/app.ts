import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import ajvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { apiIdFromPath, requestIdFrom } from './ids.ts';
import { errorEnvelope, errorEnvelopeSchema, envelopeSchema, successEnvelope } from './envelope.ts';
import type { TSchema } from 'typebox';
import { DEFAULT_ERROR_CODES, LernError, MESSAGES, isDependencyUnavailable, forbidden, unauthorized, type ErrorCodes } from './errors.ts';
import { issueFromAjv, sunbirdValidationError, type AjvErrorLike, type ValidationErrorMapper } from './validation.ts';
import { bearerToken, createTokenVerifier, type ReloadingTokenVerifier, type TokenVerifier } from './auth.ts';
import { serverTimeouts } from './listen.ts';
import { loggerOptions } from './logging.ts';
import { decide, TARGET_POLICIES, type Caller, type Decision, type Policy } from './authz.ts';
import { createCallerDirectory, sunbirdCallerResolver, type CallerDirectory } from './callers.ts';
import { isInternalRequest } from './internal.ts';
import { ConfigError, loadConfig, requireConfig, type LernConfig } from './config.ts';
import { connectorEntries, connectorPlugin, createConnectors, type ConnectorName, type Connectors } from './connectors/index.ts';
import { checkHealth, primaryConnector } from './health.ts';
import { createMetrics } from './metrics.ts';
import { unwrapResult, type LernRequest, type Route } from './routes.ts';
import type { LernApp, ServiceDefinition, ServiceDeps } from './service.ts';

type AjvLike = { compile(schema: unknown): ValidateFunction };
// ajv is CommonJS: its class is the module itself or its `default`, depending on the loader.
const AjvClass = ((ajvModule as unknown as { default?: new (options: object) => AjvLike }).default ??
  (ajvModule as unknown as new (options: object) => AjvLike));

/**
 * One Ajv per coercion mode: params, querystring and headers arrive as text and are coerced
 * ("5" -> 5); bodies are JSON and keep their types, so `12` for a string field is a type error.
 * verbose: errors carry the offending value, for messages like "Invalid value -1 for parameter age.".
 */
function makeAjv(coerce: boolean): AjvLike {
  const ajv = new AjvClass({ coerceTypes: coerce ? 'array' : false, useDefaults: true, removeAdditional: false, allErrors: false, verbose: true, strict: false });
  (addFormats as unknown as (a: AjvLike) => void)(ajv);
  return ajv;
}

/** Per-route settings the kit's hooks read. */
interface RouteSettings {
  policy: Policy;
  mapper: ValidationErrorMapper;
  apiId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller (null: none). */
    caller: Caller | null;
  }
  interface FastifyInstance {
    lernKit: KitState;
  }
  interface FastifyContextConfig {
    lern?: RouteSettings;
  }
}

/** Options of createApp. */
export interface CreateAppOptions {
  service: ServiceDefinition;
  /** @default loadConfig(process.env) */
  config?: LernConfig;
  /** Connectors made by the caller (tests); the app does not close these. Missing ones are created from config. */
  connectors?: Connectors;
  /** @default createTokenVerifier(config.auth) when LERN_AUTH_KEYS_DIR is set */
  verifier?: TokenVerifier;
  /** @default a directory over service.resolveCaller, or the `sunbird` tables when the service uses Cassandra */
  callers?: CallerDirectory;
  /** @default pino at config.logLevel */
  logger?: FastifyServerOptions['logger'];
}

/** What the kit's hooks need, shared with child contexts through a decorator. */
interface KitState {
  codes: ErrorCodes;
  deps: ServiceDeps;
  /** Status and grants of callers; null when the service has no store to read them from. */
  callers: CallerDirectory | null;
}

function envelopeMeta(request: FastifyRequest): { id: string; ver: string; requestId: string } {
  const settings = request.routeOptions.config?.lern;
  const path = request.routeOptions.url ?? request.url;
  const derived = apiIdFromPath(path);
  return { id: settings?.apiId ?? derived.id, ver: derived.ver, requestId: request.id };
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: LernError): FastifyReply {
  return reply.code(error.status).header('content-type', 'application/json; charset=utf-8').send(errorEnvelope(envelopeMeta(request), error));
}

/** Turns any thrown error into the LernError the client sees (pure decision). */
export function classifyError(error: unknown, codes: ErrorCodes, mapper: ValidationErrorMapper): LernError {
  if (error instanceof LernError) return error;
  const e = error as Partial<FastifyError> & { validation?: AjvErrorLike[] };
  if (Array.isArray(e.validation) && e.validation.length > 0) {
    const { err, errmsg } = mapper(issueFromAjv(e.validation[0]!));
    return new LernError('CLIENT_ERROR', err, errmsg);
  }
  if (isDependencyUnavailable(error)) return new LernError('SERVICE_UNAVAILABLE', codes.serviceUnavailable, MESSAGES.serviceUnavailable, { cause: error });
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors: malformed JSON, empty body, wrong media type, body too large.
    const clientFault = new LernError('CLIENT_ERROR', codes.invalidRequest, MESSAGES.invalidRequestData, { cause: error });
    if (status === 413 || status === 415) (clientFault as { status: number }).status = status;
    return clientFault;
  }
  return new LernError('SERVER_ERROR', codes.serverError, MESSAGES.serverError, { cause: error });
}

/** Verifies the token(s) of a request; null when none was sent or (on public routes) a bad one was. */
async function verifyCaller(request: FastifyRequest, policy: Policy): Promise<Caller | null> {
  const { codes, deps, callers } = request.server.lernKit;
  const lenient = policy === 'public' || policy === 'internal';
  const token = bearerToken(request.headers['x-authenticated-user-token']);
  if (token === undefined || !deps.verifier) {
    if (lenient) return null;
    throw unauthorized(codes.unauthorized);
  }
  let userId: string;
  let managedFor: string | undefined;
  try {
    ({ userId } = await deps.verifier.verifyUserToken(token));
    const forToken = bearerToken(request.headers['x-authenticated-for']);
    if (forToken !== undefined) managedFor = await deps.verifier.verifyManagedToken(forToken, userId);
  } catch (error) {
    // A public route ignores a bad token, as upstream's routes that skip the token check do.
    if (lenient) return null;
    if (error instanceof LernError && error.responseCode === 'UNAUTHORIZED') {
      request.log.info({ reason: (error as { reason?: string }).reason }, 'token rejected');
      throw unauthorized(codes.unauthorized);
    }
    throw error;
  }
  const record = callers ? await callers.get(userId) : null;
  if (record !== null && record.status !== 'active') {
    if (lenient) return null;
    request.log.info({ status: record.status }, 'caller refused: account not active');
    throw unauthorized(codes.unauthorized, MESSAGES.inactiveAccount);
  }
  return { userId, managedFor, effectiveUserId: managedFor ?? userId, grants: record?.grants ?? [] };
}

/** Answers a refused policy decision with the kit's error for its status. */
function refusal(decision: Extract<Decision, { allowed: false }>, codes: ErrorCodes): LernError {
  if (decision.status === 401) return unauthorized(codes.unauthorized);
  if (decision.status === 404) return new LernError('RESOURCE_NOT_FOUND', codes.notFound, MESSAGES.routeNotFound);
  return forbidden(codes.forbidden);
}

/** Statuses every route of a policy can answer with, besides its own (documented in OpenAPI). */
export function documentedStatuses(route: Pick<Route, 'policy' | 'method' | 'errors' | 'url'>): number[] {
  const statuses = new Set<number>([200, 400, 500, 503, ...route.errors]);
  // The router refuses a path parameter over its length limit before any schema runs.
  if (route.url.includes(':')) statuses.add(414);
  if (route.policy !== 'public' && route.policy !== 'internal') statuses.add(401);
  if (!['public', 'internal', 'authenticated'].includes(route.policy)) statuses.add(403);
  if (route.method !== 'GET') {
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort((a, b) => a - b);
}

function toLernRequest(request: FastifyRequest): LernRequest {
  return {
    body: request.body,
    params: request.params,
    query: request.query,
    headers: request.headers,
    caller: request.caller,
    internal: isInternalRequest(request.raw),
    requestId: request.id,
    log: request.log,
    raw: request,
  };
}

/** Adds routes to a service app: schemas validated, policy enforced, results wrapped in the envelope. */
export function addRoutes(app: LernApp, ...routes: Route[]): void {
  for (const route of routes) {
    const { result, ...validated } = route.schema;
    const mapper = route.validationError ?? sunbirdValidationError(route.errorPrefix);
    const isPublic = route.policy === 'public';
    const response: Record<number, TSchema> = {};
    for (const status of documentedStatuses(route)) response[status] = status === 200 ? envelopeSchema(result) : errorEnvelopeSchema();
    app.route({
      method: route.method,
      url: route.url,
      schema: {
        ...validated,
        summary: route.summary,
        description: route.description,
        tags: route.tags,
        // Internal routes are not part of the public API document.
        ...(route.policy === 'internal' ? { hide: true } : {}),
        security: isPublic ? [{}, { userToken: [] }] : route.policy === 'internal' ? [] : [{ userToken: [] }],
        response,
      },
      config: { lern: { policy: route.policy, mapper, apiId: route.apiId } },
      onRequest: async (request) => {
        // Internal routes do not exist on the public port: the same 404 as an unknown path.
        if (route.policy === 'internal' && !isInternalRequest(request.raw)) throw refusal({ allowed: false, status: 404, reason: 'internal route' }, app.lernKit.codes);
        request.caller = await verifyCaller(request, route.policy);
        // Policies that need no target are decided before the body is even parsed.
        if (!TARGET_POLICIES.has(route.policy)) {
          const decision = await decide(route.policy, request.caller, { internal: isInternalRequest(request.raw) });
          if (!decision.allowed) throw refusal(decision, app.lernKit.codes);
        }
      },
      preHandler: TARGET_POLICIES.has(route.policy)
        ? async (request) => {
            const req = toLernRequest(request);
            const decision = await decide(route.policy, request.caller, { internal: req.internal, target: route.target?.(req) });
            if (!decision.allowed) throw refusal(decision, app.lernKit.codes);
          }
        : undefined,
      handler: async (request, reply) => {
        const value = await route.handle(toLernRequest(request), reply);
        if (reply.sent) return reply;
        const { status, result: body } = unwrapResult(value);
        return (reply as FastifyReply).code(status).send(successEnvelope(envelopeMeta(request), body));
      },
    });
  }
}

/** The HTTP routes every service has: probes, health, metrics, OpenAPI. */
function addBuiltInRoutes(app: LernApp, service: ServiceDefinition, connectors: Connectors, metricsText: () => Promise<string>, metricsType: string): void {
  const entries = connectorEntries(connectors);
  const primaryName = primaryConnector(service.primary, service.connectors);
  const hidden = { hide: true } as Record<string, unknown>;

  app.get('/livez', { schema: hidden }, (_request, reply) => reply.send({ status: 'alive' }));
  app.get('/readyz', { schema: hidden }, async (_request, reply) => {
    const primary = primaryName ? connectors[primaryName] : undefined;
    if (!primary) return { status: 'ready' };
    try {
      await primary.ping(2_000);
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', dependency: primaryName, reason: error instanceof Error ? error.message : String(error) });
    }
  });
  const health = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const report = await checkHealth(service.name, entries);
    const meta = { ...envelopeMeta(request), id: 'api.all.health' };
    if (report.healthy) return reply.send(successEnvelope(meta, report));
    const codes = app.lernKit.codes;
    const envelope = { ...errorEnvelope(meta, { responseCode: 'SERVICE_UNAVAILABLE', err: codes.serviceUnavailable, errmsg: MESSAGES.serviceUnavailable }), result: report };
    return reply.code(503).send(envelope);
  };
  app.get('/health', { schema: { tags: ['health'], summary: 'Health of the service and each dependency', response: { 200: envelopeSchema() } } }, health);
  app.get('/service/health', { schema: { tags: ['health'], summary: 'Health of the service and each dependency', response: { 200: envelopeSchema() } } }, health);
  app.get('/metrics', { schema: hidden }, async (_request, reply) => reply.header('content-type', metricsType).send(await metricsText()));
  app.get('/documentation/json', { schema: hidden }, (_request, reply) => reply.send(app.swagger()));
}

/**
 * Builds a service's fastify app (not listening; `app.inject` works after `await app.ready()`):
 * envelope, validation, errors, auth, probes, metrics, OpenAPI, connectors as named plugins.
 * Throws ConfigError when something the service needs is not configured.
 */
export async function createApp(options: CreateAppOptions): Promise<LernApp> {
  const { service } = options;
  const config = options.config ?? loadConfig();
  const given = options.connectors ?? {};
  const missing = service.connectors.filter((name) => given[name] === undefined);
  requireConfig(config, missing);
  const created = createConnectors(config, missing, { clientId: service.name });
  const connectors: Connectors = { ...created, ...pick(given, service.connectors) };
  const codes: ErrorCodes = { ...DEFAULT_ERROR_CODES, ...service.errorCodes };

  let verifier = options.verifier;
  let createdVerifier: ReloadingTokenVerifier | undefined;
  if (!verifier && config.auth.keysDir) {
    requireConfig(config, ['auth']);
    createdVerifier = await createTokenVerifier({
      keysDir: config.auth.keysDir,
      issuer: config.auth.issuer!,
      audience: config.auth.audience,
      clockToleranceSec: config.auth.clockToleranceSec,
      reloadIntervalMs: config.auth.keysReloadMs,
      unauthorizedCode: codes.unauthorized,
    });
    verifier = createdVerifier;
  }

  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    ...serverTimeouts(config.requestTimeoutMs),
    requestIdHeader: false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    // Router-level client errors (bad URL encoding, an overlong path parameter) get the envelope too.
    frameworkErrors: (error, request, reply) => {
      const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      const { id, ver } = apiIdFromPath(request.url);
      const requestId = request.id || requestIdFrom(request.headers['x-request-id']);
      void (reply as unknown as FastifyReply)
        .code(status)
        .header('content-type', 'application/json; charset=utf-8')
        .send(errorEnvelope({ id, ver, requestId }, { responseCode: 'CLIENT_ERROR', err: codes.invalidRequest, errmsg: MESSAGES.invalidRequestData }));
    },
  }).withTypeProvider() as unknown as LernApp;
  const bodyAjv = makeAjv(false);
  const textAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));

  const metrics = createMetrics(service.name);
  const deps: ServiceDeps = { config, connectors, log: app.log, verifier, metrics: metrics.registry };
  const resolve = service.resolveCaller?.bind(service) ?? (connectors.cassandra ? sunbirdCallerResolver(connectors.cassandra) : undefined);
  const callers = options.callers ?? (resolve ? createCallerDirectory({ resolve, redis: connectors.redis?.client ?? null }) : null);
  deps.callers = callers;
  app.decorate('lernKit', { codes, deps, callers });
  if (createdVerifier) {
    const owned = createdVerifier;
    app.addHook('onClose', (_instance, done) => {
      owned.close();
      done();
    });
  }
  app.decorateRequest('caller', null);
  // Responses are plain JSON; route response schemas document the API and never drop fields.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const mapper = request.routeOptions.config?.lern?.mapper ?? sunbirdValidationError();
    const lernError = classifyError(error, codes, mapper);
    if (lernError.status >= 500) request.log.error({ err: error }, lernError.responseCode === 'SERVICE_UNAVAILABLE' ? 'dependency unavailable' : 'request failed');
    return sendError(request, reply, lernError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new LernError('RESOURCE_NOT_FOUND', codes.notFound, `Requested resource not found: ${request.method} ${request.url.split('?')[0]}`)),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: `Lern ${service.name} service`, version: '1.0.0', description: 'Sunbird-compatible API; every response is a Sunbird envelope.' },
      components: {
        securitySchemes: { userToken: { type: 'apiKey', in: 'header', name: 'x-authenticated-user-token' } },
      },
    },
  });
  app.decorate('connectors', connectors);
  for (const [name, connector] of connectorEntries(connectors)) {
    await app.register(connectorPlugin(name, connector, name in created));
  }

  addBuiltInRoutes(app, service, connectors, () => metrics.registry.metrics(), metrics.registry.contentType);

  let needsAuth = false;
  app.addHook('onRoute', (route) => {
    const policy = route.config?.lern?.policy;
    if (policy !== undefined && policy !== 'public' && policy !== 'internal') needsAuth = true;
  });
  await service.register(app, deps);
  if (needsAuth && !verifier) {
    throw new ConfigError('LERN_AUTH_KEYS_DIR', `is not set, and service ${service.name} has routes that need a verified token`);
  }
  return app;
}

function pick(connectors: Connectors, names: readonly ConnectorName[]): Connectors {
  const out: Connectors = {};
  for (const name of names) if (connectors[name]) (out as Record<string, unknown>)[name] = connectors[name];
  return out;
}
