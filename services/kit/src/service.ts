import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LernConfig } from './config.ts';
import type { ConnectorName, Connectors } from './connectors/index.ts';
import type { ErrorCodes } from './errors.ts';
import type { Registry } from 'prom-client';
import type { TokenVerifier } from './auth.ts';
import type { CallerRecord } from './authz.ts';
import type { CallerDirectory } from './callers.ts';

/** The fastify app a service registers its routes on. */
export type LernApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** What a service's code gets: configuration, connectors and the logger. */
export interface ServiceDeps {
  config: LernConfig;
  connectors: Connectors;
  log: FastifyBaseLogger;
  /** Set when LERN_AUTH_KEYS_DIR is configured (or a verifier was given). */
  verifier?: TokenVerifier;
  /** The app's Prometheus registry (served on /metrics): services register their own metrics here. */
  metrics?: Registry;
  /** Status and grants of callers (cached); writers of users invalidate entries here. */
  callers?: CallerDirectory | null;
}

/** A Lern service: what it connects to, its error codes, how roles are found, and its routes. */
export interface ServiceDefinition {
  /** `userorg`, `lms`, ... */
  name: string;
  /** Connectors started with the app, reported by /health, closed on shutdown. */
  connectors: readonly ConnectorName[];
  /** The store /readyz checks. @default 'cassandra' when listed, else none (always ready) */
  primary?: ConnectorName;
  /** err codes of the kit's own errors. @default DEFAULT_ERROR_CODES */
  errorCodes?: Partial<ErrorCodes>;
  /**
   * Reads a caller's status and grants. @default the `sunbird` keyspace's user and user_roles tables
   * (every service shares them), when the service uses Cassandra
   */
  resolveCaller?(userId: string): Promise<CallerRecord | null>;
  /** Adds the routes (addRoutes); runs once at start. */
  register(app: LernApp, deps: ServiceDeps): void | Promise<void>;
}

/** Identity with typing. */
export function defineService(def: ServiceDefinition): ServiceDefinition {
  return def;
}
