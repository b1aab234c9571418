import { JAVA17_HOME } from '../java.ts';
import { searchServer, type SearchModule } from '../search/engine.ts';

const VERSION = '2.19.6';

/**
 * The modules Lern's indices need, which the minimal distribution leaves out: custom analyzers
 * (analysis-common), reindexing before an alias moves (reindex), painless for scripted updates and
 * the analysis scripts, and the extra field types and join field of the full distribution.
 */
export const OPENSEARCH_MODULES: readonly SearchModule[] = [
  {
    name: 'lang-painless',
    artifact: `org.opensearch.plugin:lang-painless:${VERSION}`,
    classname: 'org.opensearch.painless.PainlessPlugin',
    description: 'Painless scripting language',
    // Painless compiles scripts to classes in their own loader.
    permissions: ['java.lang.RuntimePermission "createClassLoader"', 'java.lang.RuntimePermission "getClassLoader"'],
  },
  {
    name: 'analysis-common',
    artifact: `org.opensearch.plugin:analysis-common:${VERSION}`,
    classname: 'org.opensearch.analysis.common.CommonAnalysisPlugin',
    description: 'Common analyzers, tokenizers and token filters',
    extendedPlugins: ['lang-painless'],
  },
  {
    name: 'reindex',
    artifact: `org.opensearch.plugin:reindex-client:${VERSION}`,
    classname: 'org.opensearch.index.reindex.ReindexPlugin',
    description: 'Reindex, update by query and delete by query',
  },
  {
    name: 'mapper-extras',
    artifact: `org.opensearch.plugin:mapper-extras-client:${VERSION}`,
    classname: 'org.opensearch.index.mapper.MapperExtrasPlugin',
    description: 'Extra field types (scaled_float, rank_feature, search_as_you_type, token_count)',
  },
  {
    name: 'parent-join',
    artifact: `org.opensearch.plugin:parent-join-client:${VERSION}`,
    classname: 'org.opensearch.join.ParentJoinPlugin',
    description: 'The join field type',
  },
];

/**
 * OpenSearch 2.19 (what upstream Lern moved to) from the minimal distribution on Maven Central plus
 * the modules above, on Java 17 (3.x would need Java 21).
 */
export const opensearch = searchServer({
  name: 'opensearch',
  version: VERSION,
  distribution: `org.opensearch.distribution.integ-test-zip:opensearch:${VERSION}:zip`,
  serverArtifact: 'org.opensearch:opensearch',
  javaHomes: [JAVA17_HOME],
  launcher: 'bin/opensearch',
  settingsFile: 'opensearch.yml',
  variables: { javaHome: 'OPENSEARCH_JAVA_HOME', pathConf: 'OPENSEARCH_PATH_CONF', javaOpts: 'OPENSEARCH_JAVA_OPTS', tmpDir: 'OPENSEARCH_TMPDIR' },
  descriptorVersionKey: 'opensearch.version',
  httpPort: (ports) => ports.opensearch,
  transportPort: (ports) => ports.opensearchTransport,
  extraSettings: {},
  modules: OPENSEARCH_MODULES,
  urlVariable: 'LERN_OPENSEARCH_URL',
});
