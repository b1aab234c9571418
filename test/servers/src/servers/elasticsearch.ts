import { JAVA17_HOME } from '../java.ts';
import { searchServer } from '../search/engine.ts';

/**
 * The newest Elasticsearch whose runnable distribution Maven Central serves: Elastic publishes the
 * integ-test zip for 8.x only (no 9.x), and no module jars (analysis-common, reindex, painless,
 * mapper-extras) for any recent version, so the node has the transport and x-pack core/security
 * modules of that zip and nothing more.
 */
const VERSION = '8.19.21';

/**
 * Debian's Java 17 first: 8.19 runs on 17 to 25, and on 17 it starts about a quarter faster than on
 * Temurin 25 (measured 37 s against 50 s on a busy two-core machine). Temurin 25 when 17 is absent.
 */
const TEMURIN_25_HOME = '/usr/lib/jvm/temurin-25-jdk-amd64';

export const elasticsearch = searchServer({
  name: 'elasticsearch',
  version: VERSION,
  distribution: `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSION}:zip`,
  serverArtifact: 'org.elasticsearch:elasticsearch',
  javaHomes: [JAVA17_HOME, TEMURIN_25_HOME],
  launcher: 'bin/elasticsearch',
  settingsFile: 'elasticsearch.yml',
  variables: { javaHome: 'ES_JAVA_HOME', pathConf: 'ES_PATH_CONF', javaOpts: 'ES_JAVA_OPTS', tmpDir: 'ES_TMPDIR' },
  descriptorVersionKey: 'elasticsearch.version',
  httpPort: (ports) => ports.elasticsearch,
  transportPort: (ports) => ports.elasticsearchTransport,
  // Plain HTTP without users on loopback; the security module would otherwise generate TLS certificates.
  extraSettings: { 'xpack.security.enabled': false },
  modules: [],
  urlVariable: 'LERN_ELASTICSEARCH_URL',
});
