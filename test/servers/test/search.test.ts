import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { resolvePorts } from '../src/ports.ts';
import { adaptJvmOptions, dataFolder, healthIsUp, installDir, jarArtifactName, lernJvmOptions, moduleJars, nodeSettings, pluginDescriptor, pluginPolicy, runsVersion } from '../src/search/engine.ts';
import { OPENSEARCH_MODULES, opensearch } from '../src/servers/opensearch.ts';
import { elasticsearch } from '../src/servers/elasticsearch.ts';
import type { SearchEngine } from '../src/search/engine.ts';

const engine: SearchEngine = {
  name: 'opensearch',
  version: '2.19.6',
  distribution: 'org.opensearch.distribution.integ-test-zip:opensearch:2.19.6:zip',
  serverArtifact: 'org.opensearch:opensearch',
  javaHomes: ['/usr/lib/jvm/java-17-openjdk-amd64'],
  launcher: 'bin/opensearch',
  settingsFile: 'opensearch.yml',
  variables: { javaHome: 'OPENSEARCH_JAVA_HOME', pathConf: 'OPENSEARCH_PATH_CONF', javaOpts: 'OPENSEARCH_JAVA_OPTS', tmpDir: 'OPENSEARCH_TMPDIR' },
  descriptorVersionKey: 'opensearch.version',
  httpPort: (ports) => ports.opensearch,
  transportPort: (ports) => ports.opensearchTransport,
  extraSettings: { 'xpack.security.enabled': false },
  modules: OPENSEARCH_MODULES,
  urlVariable: 'LERN_OPENSEARCH_URL',
};

describe('search node settings', () => {
  it('binds HTTP and transport to loopback on the configured ports, as one node', () => {
    const ports = resolvePorts({ LERN_OPENSEARCH_PORT: '29201', LERN_OPENSEARCH_TRANSPORT_PORT: '29301' });
    const text = nodeSettings(engine, { data: '/d/data', logs: '/d/logs' }, ports);
    expect(text).toContain('network.host: "127.0.0.1"');
    expect(text).toContain('http.port: 29201');
    expect(text).toContain('transport.port: 29301');
    expect(text).toContain('discovery.type: "single-node"');
    expect(text).toContain('path.data: "/d/data"');
    expect(text).toContain('cluster.routing.allocation.disk.threshold_enabled: false');
    expect(text).toContain('xpack.security.enabled: false');
  });

  it('drops heap, GC log and dump options from the distribution and sets its own heap', () => {
    const adapted = adaptJvmOptions(['-Xms1g', '-Xmx1g', '11-:-XX:+UseG1GC', '9-:-Xlog:gc*:file=logs/gc.log', '-XX:+HeapDumpOnOutOfMemoryError', '-XX:ErrorFile=logs/hs_err_pid%p.log', '8:-Xloggc:logs/gc.log'].join('\n'));
    expect(adapted.split('\n')).toEqual(['11-:-XX:+UseG1GC']);
    expect(lernJvmOptions('/d/logs')).toBe('-Xms512m\n-Xmx512m\n-XX:ErrorFile=/d/logs/hs_err_pid%p.log\n');
  });
});

describe('added modules', () => {
  it('writes a descriptor naming the plugin class and the module it extends', () => {
    const analysis = OPENSEARCH_MODULES.find((m) => m.name === 'analysis-common')!;
    const text = pluginDescriptor(engine, analysis);
    expect(text).toContain('classname=org.opensearch.analysis.common.CommonAnalysisPlugin');
    expect(text).toContain('opensearch.version=2.19.6');
    expect(text).toContain('extended.plugins=lang-painless\n');
  });

  it('grants painless its class loader permissions and others nothing', () => {
    expect(pluginPolicy(OPENSEARCH_MODULES.find((m) => m.name === 'lang-painless')!)).toBe(
      'grant {\n  permission java.lang.RuntimePermission "createClassLoader";\n  permission java.lang.RuntimePermission "getClassLoader";\n};\n',
    );
    expect(pluginPolicy(OPENSEARCH_MODULES.find((m) => m.name === 'reindex')!)).toBeUndefined();
  });

  it('names jars by artifact, whatever the version looks like', () => {
    expect(jarArtifactName('/x/netty-codec-4.1.135.Final.jar')).toBe('netty-codec');
    expect(jarArtifactName('zstd-jni-1.5.5-5.jar')).toBe('zstd-jni');
    expect(jarArtifactName('log4j-api-2.25.4.jar')).toBe('log4j-api');
    expect(jarArtifactName('lucene-analysis-common-9.12.3.jar')).toBe('lucene-analysis-common');
  });

  it('keeps only the jars the server and extended modules do not already load', () => {
    const candidates = ['/m/lang-painless-2.19.6.jar', '/m/asm-9.7.jar', '/m/opensearch-core-2.19.6.jar', '/m/jackson-core-2.18.9.jar'];
    expect(moduleJars(candidates, ['opensearch-core-2.19.6.jar', 'jackson-core-2.18.8.jar', 'asm-9.7.jar'])).toEqual(['/m/lang-painless-2.19.6.jar']);
  });
});

describe('health and endpoints', () => {
  it('counts green and yellow clusters as up, and nothing else', () => {
    expect(healthIsUp(200, '{"status":"green"}')).toBe(true);
    expect(healthIsUp(200, '{"status":"yellow"}')).toBe(true);
    expect(healthIsUp(200, '{"status":"red"}')).toBe(false);
    expect(healthIsUp(503, '{"status":"green"}')).toBe(false);
    expect(healthIsUp(200, 'not json')).toBe(false);
  });

  it('counts a node as this server only when it runs this version', () => {
    const answer = (version: string): string => JSON.stringify({ nodes: { abc: { version } } });
    expect(runsVersion(200, answer('9.2.8'), '9.2.8')).toBe(true);
    expect(runsVersion(200, answer('8.19.21'), '9.2.8')).toBe(false);
    expect(runsVersion(200, '{"nodes":{}}', '9.2.8')).toBe(false);
    expect(runsVersion(405, answer('9.2.8'), '9.2.8')).toBe(false);
    expect(runsVersion(200, 'not json', '9.2.8')).toBe(false);
  });

  it('keeps the installation and the node data of each version apart', () => {
    expect(installDir({ cacheDir: '/c/elasticsearch' }, elasticsearch)).toBe(`/c/elasticsearch/${elasticsearch.version}/home`);
    expect(dataFolder('/d/elasticsearch', { version: '9.2.8' })).toBe('/d/elasticsearch/data-9.2.8');
    expect(dataFolder('/d/elasticsearch', { version: '8.19.21' })).not.toBe(dataFolder('/d/elasticsearch', { version: '9.2.8' }));
  });

  it('tests Elasticsearch 9.2, the major of the @elastic/elasticsearch client', () => {
    const client = createRequire(import.meta.url)('@elastic/elasticsearch/package.json') as { version: string };
    expect(elasticsearch.version).toMatch(/^9\.2\.\d+$/);
    expect(client.version.split('.')[0]).toBe(elasticsearch.version.split('.')[0]);
  });

  it('tells clients each node URL', () => {
    const ctx = { paths: { cacheRoot: '/c', dataRoot: '/d' }, ports: resolvePorts({}), progress: { info: () => undefined, step: <T>(_: string, fn: () => Promise<T>) => fn() }, dataDir: '/d/x', cacheDir: '/c/x' };
    expect(elasticsearch.env(ctx)).toEqual({ LERN_ELASTICSEARCH_URL: 'http://127.0.0.1:19200' });
    expect(opensearch.env(ctx)).toEqual({ LERN_OPENSEARCH_URL: 'http://127.0.0.1:19201' });
  });
});
