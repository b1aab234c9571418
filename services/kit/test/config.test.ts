import { describe, expect, it } from 'vitest';
import { loadConfig, requireConfig, ConfigError, CONFIG_VARIABLES } from '@lern/kit';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const c = loadConfig({});
    expect(c.httpPort).toBe(9000);
    expect(c.logLevel).toBe('info');
    expect(c.env).toBe('local');
    expect(c.cassandra).toMatchObject({ contactPoints: undefined, localDataCenter: 'datacenter1', consistency: 'LOCAL_QUORUM', replicationFactor: 1, keyspacePrefix: '' });
    expect(c.search).toMatchObject({ engine: 'elasticsearch', urls: undefined, indexPrefix: '' });
    expect(c.kafka.topicPrefix).toBe('local.');
    expect(c.internalHttpPort).toBe(9001);
    expect(c.requestTimeoutMs).toBe(30_000);
    expect(c.shutdownDeadlineMs).toBe(20_000);
    expect(c.redis.commandTimeoutMs).toBe(2_000);
    expect(c.auth).toEqual({ keysDir: undefined, issuer: undefined, audience: undefined, clockToleranceSec: 5, keysReloadMs: 30_000 });
  });

  it('reads the listener, timeout and token settings', () => {
    const c = loadConfig({
      LERN_HTTP_PORT: '8000',
      LERN_INTERNAL_HTTP_PORT: '8001',
      LERN_REQUEST_TIMEOUT_MS: '15000',
      LERN_SHUTDOWN_DEADLINE_MS: '25000',
      LERN_REDIS_COMMAND_TIMEOUT_MS: '500',
      LERN_AUTH_AUDIENCE: 'lern, portal',
      LERN_AUTH_CLOCK_TOLERANCE_SEC: '0',
      LERN_AUTH_KEYS_RELOAD_MS: '60000',
    });
    expect([c.httpPort, c.internalHttpPort, c.requestTimeoutMs, c.shutdownDeadlineMs, c.redis.commandTimeoutMs]).toEqual([8000, 8001, 15_000, 25_000, 500]);
    expect(c.auth).toMatchObject({ audience: ['lern', 'portal'], clockToleranceSec: 0, keysReloadMs: 60_000 });
  });

  it('reads the LERN_* variables', () => {
    const c = loadConfig({
      LERN_HTTP_PORT: '9100',
      LERN_ENV: 'dev',
      LERN_CASSANDRA_CONTACT_POINTS: '127.0.0.1:19042, 10.0.0.2:9042',
      LERN_CASSANDRA_CONSISTENCY: 'local_one',
      LERN_CASSANDRA_KEYSPACE_PREFIX: 't_ab_',
      LERN_SEARCH_ENGINE: 'opensearch',
      LERN_OPENSEARCH_URL: 'http://127.0.0.1:19201',
      LERN_ELASTICSEARCH_URL: 'http://127.0.0.1:19200',
      LERN_KAFKA_BROKERS: '127.0.0.1:19092',
      LERN_REDIS_URL: 'redis://127.0.0.1:16379',
      LERN_POSTGRES_URL: 'postgres://lern@127.0.0.1:15432/lern',
      LERN_AUTH_KEYS_DIR: '/keys',
      LERN_AUTH_ISSUER: 'http://kc/realms/sunbird',
    });
    expect(c.httpPort).toBe(9100);
    expect(c.cassandra.contactPoints).toEqual(['127.0.0.1:19042', '10.0.0.2:9042']);
    expect(c.cassandra.consistency).toBe('LOCAL_ONE');
    expect(c.search.urls).toEqual(['http://127.0.0.1:19201']);
    expect(c.kafka).toEqual({ brokers: ['127.0.0.1:19092'], topicPrefix: 'dev.' });
    expect(c.auth).toMatchObject({ keysDir: '/keys', issuer: 'http://kc/realms/sunbird' });
  });

  it('accepts the upstream aliases', () => {
    const c = loadConfig({
      PORT: '8080',
      sunbird_environment: 'staging',
      sunbird_cassandra_host: 'c1,c2',
      sunbird_cassandra_port: '9043',
      sunbird_redis_host: 'redis',
      sunbird_es_host: 'es1,es2',
      kafka_urls: 'k1:9092,k2:9092',
      sunbird_pg_host: 'pg',
      sunbird_pg_db: 'quartz',
      sunbird_pg_user: 'sunbird',
      sunbird_pg_password: 'secret',
      accesstoken_publickey_basepath: '/keys/',
      sunbird_sso_url: 'https://example.org/auth/',
      sunbird_sso_realm: 'sunbird',
      sunbird_encryption_key: 'k',
    });
    expect(c.httpPort).toBe(8080);
    expect(c.env).toBe('staging');
    expect(c.cassandra.contactPoints).toEqual(['c1:9043', 'c2:9043']);
    expect(c.redis.url).toBe('redis://redis:6379');
    expect(c.search.urls).toEqual(['http://es1:9200', 'http://es2:9200']);
    expect(c.kafka).toEqual({ brokers: ['k1:9092', 'k2:9092'], topicPrefix: 'staging.' });
    expect(c.postgres).toEqual({ url: 'postgres://sunbird@pg:5432/quartz', password: 'secret' });
    expect(c.auth).toMatchObject({ keysDir: '/keys/', issuer: 'https://example.org/auth/realms/sunbird' });
    expect(c.encryptionKey).toBe('k');
  });

  it('LERN_* wins over aliases; an explicit empty topic prefix is kept', () => {
    const c = loadConfig({ LERN_HTTP_PORT: '1', PORT: '2', LERN_KAFKA_TOPIC_PREFIX: '' });
    expect(c.httpPort).toBe(1);
    expect(c.kafka.topicPrefix).toBe('');
  });

  it.each([
    [{ LERN_HTTP_PORT: 'abc' }, 'LERN_HTTP_PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LERN_LOG_LEVEL: 'loud' }, 'LERN_LOG_LEVEL'],
    [{ LERN_CASSANDRA_CONTACT_POINTS: 'localhost' }, 'LERN_CASSANDRA_CONTACT_POINTS'],
    [{ LERN_CASSANDRA_CONSISTENCY: 'MOST' }, 'LERN_CASSANDRA_CONSISTENCY'],
    [{ LERN_CASSANDRA_REPLICATION_FACTOR: '0' }, 'LERN_CASSANDRA_REPLICATION_FACTOR'],
    [{ LERN_CASSANDRA_KEYSPACE_PREFIX: 'bad-prefix' }, 'LERN_CASSANDRA_KEYSPACE_PREFIX'],
    [{ LERN_SEARCH_ENGINE: 'solr' }, 'LERN_SEARCH_ENGINE'],
    [{ LERN_SEARCH_URL: 'not a url' }, 'LERN_SEARCH_URL'],
    [{ LERN_SEARCH_INDEX_PREFIX: 'Upper' }, 'LERN_SEARCH_INDEX_PREFIX'],
    [{ LERN_REDIS_URL: 'http://x' }, 'LERN_REDIS_URL'],
    [{ kafka_urls: 'k1' }, 'kafka_urls'],
    [{ sunbird_pg_host: 'pg' }, 'sunbird_pg_db'],
    [{ sunbird_sso_url: 'http://kc/' }, 'sunbird_sso_realm'],
    [{ LERN_INTERNAL_HTTP_PORT: '9000' }, 'LERN_INTERNAL_HTTP_PORT'],
    [{ PORT: '8080', LERN_INTERNAL_HTTP_PORT: '8080' }, 'LERN_INTERNAL_HTTP_PORT'],
    [{ LERN_HTTP_PORT: '9001' }, 'LERN_INTERNAL_HTTP_PORT'],
    [{ LERN_REQUEST_TIMEOUT_MS: '30s' }, 'LERN_REQUEST_TIMEOUT_MS'],
    [{ LERN_SHUTDOWN_DEADLINE_MS: '0' }, 'LERN_SHUTDOWN_DEADLINE_MS'],
    [{ LERN_REDIS_COMMAND_TIMEOUT_MS: '-1' }, 'LERN_REDIS_COMMAND_TIMEOUT_MS'],
    [{ LERN_AUTH_AUDIENCE: ' , ' }, 'LERN_AUTH_AUDIENCE'],
    [{ LERN_AUTH_CLOCK_TOLERANCE_SEC: '3600' }, 'LERN_AUTH_CLOCK_TOLERANCE_SEC'],
    [{ LERN_AUTH_KEYS_RELOAD_MS: 'often' }, 'LERN_AUTH_KEYS_RELOAD_MS'],
  ])('rejects %o naming %s', (env, variable) => {
    let caught: unknown;
    try {
      loadConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as Error).message).toContain(variable);
  });

  it('requireConfig names what a component lacks', () => {
    const c = loadConfig({ LERN_REDIS_URL: 'redis://x:1' });
    expect(() => requireConfig(c, ['redis'])).not.toThrow();
    expect(() => requireConfig(c, ['cassandra'])).toThrow(/LERN_CASSANDRA_CONTACT_POINTS/);
    expect(() => requireConfig(c, ['search'])).toThrow(/LERN_SEARCH_URL/);
    expect(() => requireConfig(c, ['kafka'])).toThrow(/LERN_KAFKA_BROKERS/);
    expect(() => requireConfig(c, ['postgres'])).toThrow(/LERN_POSTGRES_URL/);
    expect(() => requireConfig(c, ['auth'])).toThrow(/LERN_AUTH_KEYS_DIR/);
  });

  it('docs/configuration.md documents every variable', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url)), 'utf8');
    for (const v of CONFIG_VARIABLES) expect(doc, v.name).toContain(`\`${v.name}\``);
  });
});
