import { Client as ElasticClient } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers, testNames } from '../../setup/servers-env.ts';

const names = testNames(import.meta.url);

/** The few operations Lern's search code relies on, over either engine's own client. */
interface SearchOps {
  /** The version the node reports. */
  version(): Promise<string>;
  modules(): Promise<string[]>;
  createIndex(index: string, body: IndexBody): Promise<void>;
  indexDocument(index: string, id: string, document: Record<string, unknown>): Promise<void>;
  refresh(index: string): Promise<void>;
  /** Ids of the documents whose `field` matches `text`. */
  matchIds(index: string, field: string, text: string): Promise<string[]>;
  /** Ids of the documents whose keyword `field` starts with `prefix`. */
  prefixIds(index: string, field: string, prefix: string): Promise<string[]>;
  /** Runs `_reindex` and returns how many documents it created. */
  reindex(source: string, dest: string): Promise<number>;
  /** Points `alias` at `to` only, in one atomic change (removing it from `from` when given). */
  moveAlias(alias: string, to: string, from?: string): Promise<void>;
  aliasTargets(alias: string): Promise<string[]>;
  deleteIndices(indices: string[]): Promise<void>;
  close(): Promise<void>;
}

interface IndexBody {
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

type AliasAction = { add: { index: string; alias: string } } | { remove: { index: string; alias: string } };
const aliasActions = (alias: string, to: string, from?: string): AliasAction[] => [
  ...(from ? [{ remove: { index: from, alias } }] : []),
  { add: { index: to, alias } },
];

function elasticsearchOps(url: string): SearchOps {
  // The client's default `compatible-with=9` media types: the node runs the client's major.
  const client = new ElasticClient({ node: url });
  return {
    async version() {
      const info = await client.nodes.info({ node_id: '_local', metric: '_none' });
      return Object.values(info.nodes)[0]?.version ?? '';
    },
    async modules() {
      const info = await client.nodes.info({ metric: 'plugins' });
      return Object.values(info.nodes).flatMap((node) => (node.modules ?? []).map((m) => m.name));
    },
    async createIndex(index, body) {
      await client.indices.create({ index, settings: body.settings, mappings: body.mappings });
    },
    async indexDocument(index, id, document) {
      await client.index({ index, id, document });
    },
    async refresh(index) {
      await client.indices.refresh({ index });
    },
    async matchIds(index, field, text) {
      const result = await client.search({ index, query: { match: { [field]: text } } });
      return result.hits.hits.map((hit) => hit._id ?? '');
    },
    async prefixIds(index, field, prefix) {
      const result = await client.search({ index, query: { prefix: { [field]: { value: prefix, case_insensitive: true } } } });
      return result.hits.hits.map((hit) => hit._id ?? '');
    },
    async reindex(source, dest) {
      const result = await client.reindex({ source: { index: source }, dest: { index: dest }, refresh: true, wait_for_completion: true });
      return result.created ?? 0;
    },
    async moveAlias(alias, to, from) {
      await client.indices.updateAliases({ actions: aliasActions(alias, to, from) });
    },
    async aliasTargets(alias) {
      return Object.keys(await client.indices.getAlias({ name: alias }));
    },
    async deleteIndices(indices) {
      await client.indices.delete({ index: indices, ignore_unavailable: true });
    },
    close: () => client.close(),
  };
}

function opensearchOps(url: string): SearchOps {
  const client = new OpenSearchClient({ node: url });
  return {
    async version() {
      const { body } = await client.nodes.info({ node_id: '_local', metric: ['http'] });
      return Object.values(body.nodes)[0]?.version ?? '';
    },
    async modules() {
      const { body } = await client.nodes.info({ metric: ['plugins'] });
      return Object.values(body.nodes).flatMap((node) => (node.modules ?? []).map((m) => m.name ?? ''));
    },
    async createIndex(index, body) {
      await client.indices.create({ index, body });
    },
    async indexDocument(index, id, document) {
      await client.index({ index, id, body: document });
    },
    async refresh(index) {
      await client.indices.refresh({ index });
    },
    async matchIds(index, field, text) {
      const { body } = await client.search({ index, body: { query: { match: { [field]: text } } } });
      return body.hits.hits.map((hit) => hit._id ?? '');
    },
    async prefixIds(index, field, prefix) {
      const { body } = await client.search({ index, body: { query: { prefix: { [field]: { value: prefix, case_insensitive: true } } } } });
      return body.hits.hits.map((hit) => hit._id ?? '');
    },
    async reindex(source, dest) {
      const { body } = await client.reindex({ body: { source: { index: source }, dest: { index: dest } }, refresh: true, wait_for_completion: true });
      return 'created' in body ? (body.created ?? 0) : 0;
    },
    async moveAlias(alias, to, from) {
      await client.indices.updateAliases({ body: { actions: aliasActions(alias, to, from) } });
    },
    async aliasTargets(alias) {
      const { body } = await client.indices.getAlias({ name: alias });
      return Object.keys(body);
    },
    async deleteIndices(indices) {
      await client.indices.delete({ index: indices, ignore_unavailable: true });
    },
    close: () => client.close(),
  };
}

/** Autocomplete as Lern's mappings do it: edge n-grams of folded, lowercased words at index time. */
const autocompleteIndex: IndexBody = {
  settings: {
    number_of_shards: 1,
    number_of_replicas: 0,
    analysis: {
      filter: { lern_edge_ngram: { type: 'edge_ngram', min_gram: 2, max_gram: 20 } },
      analyzer: {
        lern_autocomplete: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding', 'lern_edge_ngram'] },
        lern_search: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
      },
    },
  },
  mappings: {
    properties: {
      name: { type: 'text', analyzer: 'lern_autocomplete', search_analyzer: 'lern_search' },
      status: { type: 'keyword' },
    },
  },
};

/** Built-in analysis only: what any node has, modules or not. */
const plainIndex: IndexBody = {
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: { properties: { name: { type: 'text' }, status: { type: 'keyword' } } },
};

/** What Lern's own mappings use: built-in analysis, and a lowercase-normalized keyword for prefix lookups. */
const prefixIndex: IndexBody = {
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: { properties: { name: { type: 'text', fields: { raw: { type: 'keyword', normalizer: 'lowercase' } } } } },
};

/**
 * Both engines run the same tests of what Lern relies on everywhere. The Elasticsearch 9.2 integ-test
 * distribution on Maven Central ships no analysis-common or reindex module and Elastic publishes neither
 * separately, so the tests of those modules run on OpenSearch only; Lern's mappings keep to built-in
 * analysis and its migration runner copies documents itself where `_reindex` is missing. Each engine runs
 * the major of its client library (@elastic/elasticsearch 9, @opensearch-project/opensearch for 2.x).
 */
const engines = [
  { engine: 'elasticsearch', variable: 'LERN_ELASTICSEARCH_URL', ops: elasticsearchOps, major: '9', hasAnalysisModules: false },
  { engine: 'opensearch', variable: 'LERN_OPENSEARCH_URL', ops: opensearchOps, major: '2', hasAnalysisModules: true },
] as const;

describe.each(engines)('$engine', ({ engine, variable, ops: makeOps, major, hasAnalysisModules }) => {
  let ops: SearchOps;
  const created: string[] = [];
  const index = (suffix: string): string => {
    const name = `${names.index}-${engine}-${suffix}`;
    created.push(name);
    return name;
  };

  beforeAll(async () => {
    const env = await requireServers([engine]);
    ops = makeOps(env[variable]!);
  });

  afterAll(async () => {
    if (!ops) return;
    await ops.deleteIndices(created);
    await ops.close();
  });

  it(`runs major version ${major}`, async () => {
    expect((await ops.version()).split('.')[0]).toBe(major);
  });

  it('reports which analysis modules it runs', async () => {
    const modules = await ops.modules();
    expect(modules.includes('analysis-common') && modules.includes('reindex')).toBe(hasAnalysisModules);
  });

  it('indexes, searches and moves an alias with built-in analysis', async () => {
    const [v1, v2, alias] = [index('plain-v1'), index('plain-v2'), `${names.index}-${engine}-plain`];
    await ops.createIndex(v1, plainIndex);
    await ops.createIndex(v2, plainIndex);
    await ops.indexDocument(v1, 'course-1', { name: 'Data Science Basics', status: 'Live' });
    await ops.refresh(v1);
    expect(await ops.matchIds(v1, 'name', 'science')).toEqual(['course-1']);
    expect(await ops.matchIds(v1, 'name', 'history')).toEqual([]);

    await ops.moveAlias(alias, v1);
    expect(await ops.aliasTargets(alias)).toEqual([v1]);
    await ops.moveAlias(alias, v2, v1);
    expect(await ops.aliasTargets(alias)).toEqual([v2]);
  });

  it('finds a document by a case-insensitive prefix through the lowercase normalizer', async () => {
    const target = index('prefix');
    await ops.createIndex(target, prefixIndex);
    await ops.indexDocument(target, 'user-1', { name: 'Ravi Kumar' });
    await ops.indexDocument(target, 'user-2', { name: 'Rachel Adams' });
    await ops.refresh(target);
    expect((await ops.prefixIds(target, 'name.raw', 'RA')).sort()).toEqual(['user-1', 'user-2']);
    expect(await ops.prefixIds(target, 'name.raw', 'ravi k')).toEqual(['user-1']);
    expect(await ops.prefixIds(target, 'name.raw', 'x')).toEqual([]);
  });
});

describe('opensearch analysis modules', () => {
  let ops: SearchOps;
  const created: string[] = [];
  const index = (suffix: string): string => {
    const name = `${names.index}-modules-${suffix}`;
    created.push(name);
    return name;
  };

  beforeAll(async () => {
    const env = await requireServers(['opensearch']);
    ops = opensearchOps(env.LERN_OPENSEARCH_URL!);
  });

  afterAll(async () => {
    if (!ops) return;
    await ops.deleteIndices(created);
    await ops.close();
  });

  it('finds a document by the start of an accented word through a custom analyzer', async () => {
    const target = index('autocomplete');
    await ops.createIndex(target, autocompleteIndex);
    await ops.indexDocument(target, 'course-1', { name: 'Éducation Numérique', status: 'Live' });
    await ops.indexDocument(target, 'course-2', { name: 'Mathematics', status: 'Draft' });
    await ops.refresh(target);

    expect(await ops.matchIds(target, 'name', 'educ')).toEqual(['course-1']);
    expect(await ops.matchIds(target, 'name', 'NUMER')).toEqual(['course-1']);
    expect(await ops.matchIds(target, 'name', 'math')).toEqual(['course-2']);
    expect(await ops.matchIds(target, 'name', 'physics')).toEqual([]);
  });

  it('reindexes into a new index version and moves the alias in one step', async () => {
    const [v1, v2, alias] = [index('course-v1'), index('course-v2'), `${names.index}-modules-course`];
    await ops.createIndex(v1, autocompleteIndex);
    await ops.moveAlias(alias, v1);
    await ops.indexDocument(alias, 'course-1', { name: 'Éducation Numérique', status: 'Live' });
    await ops.indexDocument(alias, 'course-2', { name: 'Mathematics', status: 'Draft' });
    await ops.refresh(v1);

    await ops.createIndex(v2, autocompleteIndex);
    expect(await ops.reindex(v1, v2)).toBe(2);
    await ops.moveAlias(alias, v2, v1);

    expect(await ops.aliasTargets(alias)).toEqual([v2]);
    expect(await ops.matchIds(alias, 'name', 'educ')).toEqual(['course-1']);
    expect((await ops.matchIds(v2, 'name', 'math')).sort()).toEqual(['course-2']);
  });
});
