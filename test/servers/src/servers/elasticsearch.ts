import { JAVA21_PLUS_HOMES } from '../java.ts';
import { searchServer } from '../search/engine.ts';

/**
 * The newest Elasticsearch 9.2 whose integ-test zip Maven Central serves. Elastic publishes the 9.x zips
 * without a pom and leaves them out of the artifact's maven-metadata.xml, so version ranges do not see
 * them: 9.2.8 was found by fetching the zip (9.2.5 to 9.2.7 and 9.2.9+ are not there). The zip carries the
 * transport, apm and x-pack core/security modules only, as 8.x's did: no analysis-common, reindex,
 * painless or mapper-extras, and Elastic publishes none of those as separate jars.
 */
const VERSION = '9.2.8';

export const elasticsearch = searchServer({
  name: 'elasticsearch',
  version: VERSION,
  distribution: `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSION}:zip`,
  serverArtifact: 'org.elasticsearch:elasticsearch',
  // The zip bundles no JDK, and Elasticsearch 9 needs Java 21 or newer.
  javaHomes: JAVA21_PLUS_HOMES,
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
