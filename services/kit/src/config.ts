/** Environment: a plain map, so tests pass their own without touching process.env. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Search engines the search connector speaks to. */
export type SearchEngine = 'elasticsearch' | 'opensearch';

/** Everything a service, job or migration reads from its environment, parsed and validated. */
export interface LernConfig {
  /** Public HTTP port. @default 9000 */
  httpPort: number;
  /** Port of the internal listener that alone serves `/private/*` routes. @default 9001 */
  internalHttpPort: number;
  /** Longest time to receive a whole request (headers and body); 408 after. @default 30000 */
  requestTimeoutMs: number;
  /** After SIGTERM, the process exits by this time even when requests or connectors hang. @default 20000 */
  shutdownDeadlineMs: number;
  /** @default 'info' */
  logLevel: string;
  /** @default 'local' */
  env: string;
  cassandra: {
    /** `host:port` entries; undefined when not configured. */
    contactPoints: string[] | undefined;
    /** @default 'datacenter1' */
    localDataCenter: string;
    /** @default 'LOCAL_QUORUM' */
    consistency: string;
    username?: string;
    password?: string;
    /** @default 1 */
    replicationFactor: number;
    /** @default '' */
    keyspacePrefix: string;
  };
  redis: {
    url: string | undefined;
    password?: string;
    /** A command not answered within this time fails (also while disconnected). @default 2000 */
    commandTimeoutMs: number;
  };
  search: {
    /** @default 'elasticsearch' */
    engine: SearchEngine;
    /** One or more base URLs (comma-separated in the variable). */
    urls: string[] | undefined;
    username?: string;
    password?: string;
    /** @default '' */
    indexPrefix: string;
  };
  kafka: {
    brokers: string[] | undefined;
    /** @default `${env}.` */
    topicPrefix: string;
  };
  postgres: { url: string | undefined; password?: string };
  auth: {
    keysDir: string | undefined;
    issuer: string | undefined;
    /** Accepted `aud` values (a token must name one); undefined: `aud` is not checked. */
    audience: string[] | undefined;
    /** Allowed clock skew for `exp`, `nbf` and `iat`. @default 5 */
    clockToleranceSec: number;
    /** The key folder is re-read this often, so removed keys stop working. @default 30000 */
    keysReloadMs: number;
  };
  encryptionKey?: string;
}

/** A bad or missing setting; `variable` names the environment variable to fix. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

export { CONFIG_VARIABLES, type ConfigVariable } from './config-variables.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** cassandra-driver consistency names accepted in LERN_CASSANDRA_CONSISTENCY. */
export const CONSISTENCIES = ['ANY', 'ONE', 'TWO', 'THREE', 'QUORUM', 'ALL', 'LOCAL_QUORUM', 'EACH_QUORUM', 'SERIAL', 'LOCAL_SERIAL', 'LOCAL_ONE'];

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number, alias?: string): number {
  const source = value(env, name) !== undefined ? name : alias !== undefined && value(env, alias) !== undefined ? alias : undefined;
  if (source === undefined) return fallback;
  const raw = value(env, source)!;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(source, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function oneOf(env: Env, name: string, allowed: readonly string[], fallback: string, normalize: (s: string) => string = (s) => s): string {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const v = normalize(raw);
  if (!allowed.includes(v)) throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return v;
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

function hostPorts(variable: string, raw: string): string[] {
  const entries = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) throw new ConfigError(variable, 'expected "host:port[,host:port...]", got an empty list');
  for (const entry of entries) {
    const m = HOST_PORT.exec(entry);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new ConfigError(variable, `expected "host:port[,host:port...]", got "${entry}"`);
  }
  return entries;
}

/** Joins comma-separated hosts with one port: the upstream `<x>_host` + `<x>_port` pair. */
function hostsWithPort(env: Env, hostVar: string, portVar: string, defaultPort: number): string[] | undefined {
  const hosts = value(env, hostVar);
  if (hosts === undefined) return undefined;
  const port = integer(env, portVar, defaultPort, 1, 65535);
  return hostPorts(
    hostVar,
    hosts
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '')
      .map((h) => (HOST_PORT.test(h) ? h : `${h}:${port}`))
      .join(','),
  );
}

function url(variable: string, raw: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(variable, `expected a URL (${protocols.join(' or ')}//host:port), got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(variable, `expected a ${protocols.join(' or ')} URL, got "${raw}"`);
  return raw;
}

function cassandraConfig(env: Env): LernConfig['cassandra'] {
  const direct = value(env, 'LERN_CASSANDRA_CONTACT_POINTS');
  const keyspacePrefix = value(env, 'LERN_CASSANDRA_KEYSPACE_PREFIX') ?? '';
  if (!/^[A-Za-z0-9_]*$/.test(keyspacePrefix) || keyspacePrefix.length > 30) {
    throw new ConfigError('LERN_CASSANDRA_KEYSPACE_PREFIX', `expected at most 30 letters, digits or underscores, got "${keyspacePrefix}"`);
  }
  return {
    contactPoints:
      direct !== undefined ? hostPorts('LERN_CASSANDRA_CONTACT_POINTS', direct) : hostsWithPort(env, 'sunbird_cassandra_host', 'sunbird_cassandra_port', 9042),
    localDataCenter: value(env, 'LERN_CASSANDRA_LOCAL_DC') ?? 'datacenter1',
    consistency: oneOf(env, 'LERN_CASSANDRA_CONSISTENCY', CONSISTENCIES, 'LOCAL_QUORUM', (s) => s.toUpperCase()),
    username: value(env, 'LERN_CASSANDRA_USERNAME'),
    password: value(env, 'LERN_CASSANDRA_PASSWORD'),
    replicationFactor: integer(env, 'LERN_CASSANDRA_REPLICATION_FACTOR', 1, 1, 99),
    keyspacePrefix,
  };
}

function redisConfig(env: Env): LernConfig['redis'] {
  const direct = value(env, 'LERN_REDIS_URL');
  let redisUrl: string | undefined;
  if (direct !== undefined) redisUrl = url('LERN_REDIS_URL', direct, ['redis:', 'rediss:']);
  else {
    const hosts = hostsWithPort(env, 'sunbird_redis_host', 'sunbird_redis_port', 6379);
    redisUrl = hosts ? `redis://${hosts[0]}` : undefined;
  }
  return { url: redisUrl, password: value(env, 'LERN_REDIS_PASSWORD'), commandTimeoutMs: integer(env, 'LERN_REDIS_COMMAND_TIMEOUT_MS', 2_000, 10, 600_000) };
}

function searchConfig(env: Env): LernConfig['search'] {
  const engine = oneOf(env, 'LERN_SEARCH_ENGINE', ['elasticsearch', 'opensearch'], 'elasticsearch', (s) => s.toLowerCase()) as SearchEngine;
  const engineVar = engine === 'opensearch' ? 'LERN_OPENSEARCH_URL' : 'LERN_ELASTICSEARCH_URL';
  let urls: string[] | undefined;
  for (const variable of ['LERN_SEARCH_URL', engineVar]) {
    const raw = value(env, variable);
    if (raw !== undefined) {
      urls = raw.split(',').map((u) => url(variable, u.trim(), ['http:', 'https:']));
      break;
    }
  }
  if (urls === undefined) {
    const hosts = hostsWithPort(env, 'sunbird_es_host', 'sunbird_es_port', 9200);
    urls = hosts?.map((h) => `http://${h}`);
  }
  const indexPrefix = value(env, 'LERN_SEARCH_INDEX_PREFIX') ?? '';
  if (!/^[a-z0-9][a-z0-9._-]*$|^$/.test(indexPrefix)) {
    throw new ConfigError('LERN_SEARCH_INDEX_PREFIX', `expected lowercase letters, digits, ".", "_" or "-" (not first), got "${indexPrefix}"`);
  }
  return { engine, urls, username: value(env, 'LERN_SEARCH_USERNAME'), password: value(env, 'LERN_SEARCH_PASSWORD'), indexPrefix };
}

function postgresConfig(env: Env): LernConfig['postgres'] {
  const direct = value(env, 'LERN_POSTGRES_URL');
  const password = value(env, 'LERN_POSTGRES_PASSWORD') ?? value(env, 'sunbird_pg_password');
  if (direct !== undefined) return { url: url('LERN_POSTGRES_URL', direct, ['postgres:', 'postgresql:']), password };
  const host = value(env, 'sunbird_pg_host');
  if (host === undefined) return { url: undefined, password };
  const port = integer(env, 'sunbird_pg_port', 5432, 1, 65535);
  const db = value(env, 'sunbird_pg_db');
  if (db === undefined) throw new ConfigError('sunbird_pg_db', 'is required with sunbird_pg_host');
  const user = value(env, 'sunbird_pg_user');
  const auth = user !== undefined ? `${encodeURIComponent(user)}@` : '';
  return { url: `postgres://${auth}${host}:${port}/${encodeURIComponent(db)}`, password };
}

function authConfig(env: Env): LernConfig['auth'] {
  const keysDir = value(env, 'LERN_AUTH_KEYS_DIR') ?? value(env, 'accesstoken_publickey_basepath') ?? value(env, 'accesstoken.publickey.basepath');
  let issuer = value(env, 'LERN_AUTH_ISSUER');
  if (issuer === undefined) {
    const ssoUrl = value(env, 'sunbird_sso_url');
    const realm = value(env, 'sunbird_sso_realm');
    if (ssoUrl !== undefined && realm !== undefined) issuer = `${ssoUrl.endsWith('/') ? ssoUrl : `${ssoUrl}/`}realms/${realm}`;
    else if (ssoUrl !== undefined) throw new ConfigError('sunbird_sso_realm', 'is required with sunbird_sso_url');
  }
  const audienceRaw = value(env, 'LERN_AUTH_AUDIENCE');
  const audience = audienceRaw?.split(',').map((a) => a.trim()).filter((a) => a !== '');
  if (audience !== undefined && audience.length === 0) throw new ConfigError('LERN_AUTH_AUDIENCE', `expected "audience[,audience...]", got "${audienceRaw}"`);
  return {
    keysDir,
    issuer,
    audience,
    clockToleranceSec: integer(env, 'LERN_AUTH_CLOCK_TOLERANCE_SEC', 5, 0, 300),
    keysReloadMs: integer(env, 'LERN_AUTH_KEYS_RELOAD_MS', 30_000, 100, 3_600_000),
  };
}

/** The public and internal ports; they must differ, or /private routes would be public. */
function ports(env: Env): { httpPort: number; internalHttpPort: number } {
  const httpPort = integer(env, 'LERN_HTTP_PORT', 9000, 1, 65535, 'PORT');
  const internalHttpPort = integer(env, 'LERN_INTERNAL_HTTP_PORT', 9001, 1, 65535);
  if (internalHttpPort === httpPort) {
    throw new ConfigError('LERN_INTERNAL_HTTP_PORT', `must differ from the public port ${httpPort} (LERN_HTTP_PORT), got "${internalHttpPort}"`);
  }
  return { httpPort, internalHttpPort };
}

/**
 * Reads and validates the configuration. Throws ConfigError naming the variable at the first bad
 * value. Endpoints may be absent here; requireConfig checks the ones a component needs.
 */
export function loadConfig(env: Env = process.env): LernConfig {
  const lernEnv = value(env, 'LERN_ENV') ?? value(env, 'sunbird_environment') ?? 'local';
  if (!/^[A-Za-z0-9_-]+$/.test(lernEnv)) throw new ConfigError('LERN_ENV', `expected letters, digits, "_" or "-", got "${lernEnv}"`);
  const kafkaDirect = value(env, 'LERN_KAFKA_BROKERS');
  const kafkaAlias = value(env, 'kafka_urls');
  return {
    ...ports(env),
    requestTimeoutMs: integer(env, 'LERN_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    shutdownDeadlineMs: integer(env, 'LERN_SHUTDOWN_DEADLINE_MS', 20_000, 100, 3_600_000),
    logLevel: oneOf(env, 'LERN_LOG_LEVEL', LOG_LEVELS, 'info', (s) => s.toLowerCase()),
    env: lernEnv,
    cassandra: cassandraConfig(env),
    redis: redisConfig(env),
    search: searchConfig(env),
    kafka: {
      brokers:
        kafkaDirect !== undefined ? hostPorts('LERN_KAFKA_BROKERS', kafkaDirect) : kafkaAlias !== undefined ? hostPorts('kafka_urls', kafkaAlias) : undefined,
      topicPrefix: env.LERN_KAFKA_TOPIC_PREFIX ?? `${lernEnv}.`,
    },
    postgres: postgresConfig(env),
    auth: authConfig(env),
    encryptionKey: value(env, 'LERN_ENCRYPTION_KEY') ?? value(env, 'sunbird_encryption_key'),
  };
}

/** What a component may need configured. */
export type ConfigNeed = 'cassandra' | 'redis' | 'search' | 'kafka' | 'postgres' | 'auth';

/** Throws ConfigError naming the variable when something the component needs is not set. */
export function requireConfig(config: LernConfig, needs: readonly ConfigNeed[]): void {
  for (const need of needs) {
    switch (need) {
      case 'cassandra':
        if (!config.cassandra.contactPoints) throw new ConfigError('LERN_CASSANDRA_CONTACT_POINTS', 'is not set (host:port,host:port)');
        break;
      case 'redis':
        if (!config.redis.url) throw new ConfigError('LERN_REDIS_URL', 'is not set (redis://host:port)');
        break;
      case 'search':
        if (!config.search.urls) throw new ConfigError('LERN_SEARCH_URL', `is not set (http://host:port of ${config.search.engine})`);
        break;
      case 'kafka':
        if (!config.kafka.brokers) throw new ConfigError('LERN_KAFKA_BROKERS', 'is not set (host:port,host:port)');
        break;
      case 'postgres':
        if (!config.postgres.url) throw new ConfigError('LERN_POSTGRES_URL', 'is not set (postgres://user@host:port/db)');
        break;
      case 'auth':
        if (!config.auth.keysDir) throw new ConfigError('LERN_AUTH_KEYS_DIR', 'is not set (folder of PEM public keys named by kid)');
        if (!config.auth.issuer) throw new ConfigError('LERN_AUTH_ISSUER', 'is not set (expected token issuer)');
        break;
    }
  }
}
