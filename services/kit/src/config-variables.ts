/** One documented environment variable. */
export interface ConfigVariable {
  name: string;
  /** Upstream names accepted instead (combined where noted). */
  aliases: string[];
  default?: string;
  /** Set from a Secret in Kubernetes. */
  secret: boolean;
  description: string;
}

/** Every variable the kit reads; docs/configuration.md lists the same. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  { name: 'LERN_HTTP_PORT', aliases: ['PORT'], default: '9000', secret: false, description: 'Public HTTP port of a service (listens on 0.0.0.0); /private routes answer 404 here.' },
  { name: 'LERN_INTERNAL_HTTP_PORT', aliases: [], default: '9001', secret: false, description: 'Internal HTTP port (0.0.0.0), the only one serving /private routes; must differ from LERN_HTTP_PORT.' },
  { name: 'LERN_REQUEST_TIMEOUT_MS', aliases: [], default: '30000', secret: false, description: 'Longest time to receive a whole request (headers and body) before answering 408.' },
  { name: 'LERN_SHUTDOWN_DEADLINE_MS', aliases: [], default: '20000', secret: false, description: 'After SIGTERM/SIGINT the process exits by this deadline even when requests or connectors hang.' },
  { name: 'LERN_LOG_LEVEL', aliases: [], default: 'info', secret: false, description: 'pino log level: fatal, error, warn, info, debug, trace, silent.' },
  { name: 'LERN_ENV', aliases: ['sunbird_environment'], default: 'local', secret: false, description: 'Environment name; the default Kafka topic prefix is "<LERN_ENV>.".' },
  { name: 'LERN_CASSANDRA_CONTACT_POINTS', aliases: ['sunbird_cassandra_host', 'sunbird_cassandra_port'], secret: false, description: 'Cassandra "host:port,host:port". Upstream: sunbird_cassandra_host (comma-separated hosts) with sunbird_cassandra_port (default 9042).' },
  { name: 'LERN_CASSANDRA_LOCAL_DC', aliases: [], default: 'datacenter1', secret: false, description: 'Local data center of the Cassandra driver (load balancing, LOCAL_* consistency, keyspace replication).' },
  { name: 'LERN_CASSANDRA_CONSISTENCY', aliases: [], default: 'LOCAL_QUORUM', secret: false, description: 'Consistency level of reads and writes: ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM, EACH_QUORUM, ALL.' },
  { name: 'LERN_CASSANDRA_USERNAME', aliases: [], secret: true, description: 'Cassandra user (password authentication).' },
  { name: 'LERN_CASSANDRA_PASSWORD', aliases: [], secret: true, description: 'Cassandra password.' },
  { name: 'LERN_CASSANDRA_REPLICATION_FACTOR', aliases: [], default: '1', secret: false, description: 'Replication factor in the local data center for keyspaces created by `lern migrate cassandra`.' },
  { name: 'LERN_CASSANDRA_KEYSPACE_PREFIX', aliases: [], default: '', secret: false, description: 'Prepended to every keyspace name (letters, digits, underscore).' },
  { name: 'LERN_REDIS_URL', aliases: ['sunbird_redis_host', 'sunbird_redis_port'], secret: false, description: 'Redis URL redis://host:port. Upstream: sunbird_redis_host with sunbird_redis_port (default 6379).' },
  { name: 'LERN_REDIS_PASSWORD', aliases: [], secret: true, description: 'Redis password.' },
  { name: 'LERN_REDIS_COMMAND_TIMEOUT_MS', aliases: [], default: '2000', secret: false, description: 'A Redis command not answered within this time fails, also while Redis is unreachable.' },
  { name: 'LERN_SEARCH_ENGINE', aliases: [], default: 'elasticsearch', secret: false, description: 'elasticsearch or opensearch.' },
  { name: 'LERN_SEARCH_URL', aliases: ['sunbird_es_host', 'sunbird_es_port', 'LERN_ELASTICSEARCH_URL', 'LERN_OPENSEARCH_URL'], secret: false, description: 'Search engine base URL(s), comma-separated. Unset: LERN_ELASTICSEARCH_URL or LERN_OPENSEARCH_URL by engine, else sunbird_es_host (comma-separated) with sunbird_es_port (default 9200).' },
  { name: 'LERN_SEARCH_USERNAME', aliases: [], secret: true, description: 'Search engine user (basic auth).' },
  { name: 'LERN_SEARCH_PASSWORD', aliases: [], secret: true, description: 'Search engine password.' },
  { name: 'LERN_SEARCH_INDEX_PREFIX', aliases: [], default: '', secret: false, description: 'Prepended to every index and alias name (lowercase).' },
  { name: 'LERN_KAFKA_BROKERS', aliases: ['kafka_urls'], secret: false, description: 'Kafka bootstrap brokers "host:port,host:port".' },
  { name: 'LERN_KAFKA_TOPIC_PREFIX', aliases: [], default: '<LERN_ENV>.', secret: false, description: 'Prepended to every topic name.' },
  { name: 'LERN_POSTGRES_URL', aliases: ['sunbird_pg_host', 'sunbird_pg_port', 'sunbird_pg_db', 'sunbird_pg_user', 'sunbird_pg_password'], secret: false, description: 'PostgreSQL URL postgres://user@host:port/db. Upstream: sunbird_pg_host, sunbird_pg_port (5432), sunbird_pg_db, sunbird_pg_user, sunbird_pg_password.' },
  { name: 'LERN_POSTGRES_PASSWORD', aliases: ['sunbird_pg_password'], secret: true, description: 'PostgreSQL password (overrides one in the URL).' },
  { name: 'LERN_AUTH_KEYS_DIR', aliases: ['accesstoken_publickey_basepath', 'accesstoken.publickey.basepath'], secret: false, description: 'Folder of PEM (SPKI) RSA public keys; each file name is the key id (kid).' },
  { name: 'LERN_AUTH_ISSUER', aliases: ['sunbird_sso_url', 'sunbird_sso_realm'], secret: false, description: 'Expected issuer (iss) of user and managed-user tokens. Upstream: sunbird_sso_url + "realms/" + sunbird_sso_realm.' },
  { name: 'LERN_AUTH_AUDIENCE', aliases: [], secret: false, description: 'Accepted token audiences (aud), comma-separated; a token must name one. Unset: aud is not checked.' },
  { name: 'LERN_AUTH_CLOCK_TOLERANCE_SEC', aliases: [], default: '5', secret: false, description: 'Allowed clock skew in seconds when checking exp, nbf and iat.' },
  { name: 'LERN_AUTH_KEYS_RELOAD_MS', aliases: [], default: '30000', secret: false, description: 'How often the key folder is re-read, so keys added to or removed from the Secret take effect.' },
  { name: 'LERN_ENCRYPTION_KEY', aliases: ['sunbird_encryption_key'], secret: true, description: 'Key for encrypting personal data at rest.' },
];
