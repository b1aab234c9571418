import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import ajvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { apiIdFromPath, requestIdFrom } from './ids.ts';
import { errorEnvelope, envelopeSchema, successEnvelope } from './envelope.ts';
import { DEFAULT_ERROR_CODES, LernError, MESSAGES, isDependencyUnavailable, forbidden, unauthorized, type ErrorCodes } from './errors.ts';
import { issueFromAjv, sunbirdValidationError, type AjvErrorLike, type ValidationErrorMapper } from './validation.ts';
import { bearerToken, createTokenVerifier, hasAnyRole, type Access, type AuthContext, type TokenVerifier } from './auth.ts';
import { ConfigError, loadConfig, requireConfig, type LernConfig } from './config.ts';
import { connectorEntries, connectorPlugin, createConnectors, type ConnectorName, type Connectors } from './connectors/index.ts';
import { checkHealth, primaryConnector } from './health.ts';
import { createMetrics } from './metrics.ts';
import { unwrapResult, type LernRequest, type RouteDefinition, type RouteSchemas } from './routes.ts';
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
  access: Access;
  mapper: ValidationErrorMapper;
  apiId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller (null: none). */
    auth: AuthContext | null;
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
  /** @default pino at config.logLevel */
  logger?: FastifyServerOptions['logger'];
}

/** What the kit's hooks need, shared with child contexts through a decorator. */
interface KitState {
  codes: ErrorCodes;
  deps: ServiceDeps;
  resolveRoles: ServiceDefinition['resolveRoles'];
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

async function authenticate(request: FastifyRequest, access: Access): Promise<void> {
  const state = request.server.lernKit;
  const { codes, deps } = state;
  const token = bearerToken(request.headers['x-authenticated-user-token']);
  const isPublic = access === 'PUBLIC';
  if (token === undefined) {
    if (isPublic) return;
    throw unauthorized(codes.unauthorized);
  }
  if (!deps.verifier) {
    if (isPublic) return;
    throw unauthorized(codes.unauthorized);
  }
  let userId: string;
  let claims: AuthContext['token'];
  let managedFor: string | undefined;
  try {
    ({ userId, claims } = await deps.verifier.verifyUserToken(token));
    const forToken = bearerToken(request.headers['x-authenticated-for']);
    if (forToken !== undefined) managedFor = await deps.verifier.verifyManagedToken(forToken, userId);
  } catch (error) {
    // A public route ignores a bad token, as upstream's routes that skip the token check do.
    if (isPublic) return;
    if (error instanceof LernError && error.responseCode === 'UNAUTHORIZED') {
      request.log.info({ reason: (error as { reason?: string }).reason }, 'token rejected');
      throw unauthorized(codes.unauthorized);
    }
    throw error;
  }
  let roles: readonly string[] = [];
  if (Array.isArray(access)) {
    roles = state.resolveRoles ? await state.resolveRoles(userId, deps) : [];
    if (!hasAnyRole(roles, access)) throw forbidden(codes.forbidden);
  }
  request.auth = { userId, managedFor, effectiveUserId: managedFor ?? userId, roles, token: claims };
}

/** Adds routes to a service app: schemas validated, access enforced, results wrapped in the envelope. */
export function addRoutes(app: LernApp, ...routes: RouteDefinition<RouteSchemas>[]): void {
  for (const route of routes) {
    const { result, ...validated } = route.schema ?? {};
    const mapper = route.validationError ?? sunbirdValidationError(route.errorPrefix);
    app.route({
      method: route.method,
      url: route.url,
      schema: {
        ...validated,
        summary: route.summary,
        description: route.description,
        tags: route.tags,
        response: { 200: envelopeSchema(result) },
      },
      config: { lern: { access: route.access, mapper, apiId: route.apiId } },
      onRequest: async (request) => authenticate(request, route.access),
      handler: async (request, reply) => {
        const lernRequest: LernRequest = {
          body: request.body,
          params: request.params,
          query: request.query,
          headers: request.headers,
          auth: request.auth,
          requestId: request.id,
          log: request.log,
          raw: request,
        };
        const value = await route.handler(lernRequest, reply);
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
  if (!verifier && config.auth.keysDir) {
    requireConfig(config, ['auth']);
    verifier = await createTokenVerifier({ keysDir: config.auth.keysDir, issuer: config.auth.issuer!, unauthorizedCode: codes.unauthorized });
  }

  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: ['req.headers["x-authenticated-user-token"]', 'req.headers["x-authenticated-for"]', 'req.headers.authorization'],
    },
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

  const deps: ServiceDeps = { config, connectors, log: app.log, verifier };
  app.decorate('lernKit', { codes, deps, resolveRoles: service.resolveRoles?.bind(service) });
  app.decorateRequest('auth', null);
  // Responses are plain JSON; route response schemas document the API and never drop fields.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const metrics = createMetrics(service.name);
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
    const access = route.config?.lern?.access;
    if (access !== undefined && access !== 'PUBLIC') needsAuth = true;
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
