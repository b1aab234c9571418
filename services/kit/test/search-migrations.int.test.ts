import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers, testNames } from '../../../test/setup/servers-env.ts';
import { createSearch, discoverComponents, loadConfig, migrateCommand, migrateSearch, type LernConfig, type SearchConnector, type SearchEngine } from '@lern/kit';
import { makeRoot } from './fixtures.ts';

const definition = (version: number, properties: Record<string, unknown>): string =>
  JSON.stringify({ version, settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { dynamic: false, properties } }, null, 2);

describe.each<SearchEngine>(['elasticsearch', 'opensearch'])('search migrations on %s', (engine) => {
  const names = testNames(import.meta.url);
  const prefix = `${names.index}-${engine.slice(0, 2)}-`;
  let env: Record<string, string>;
  let config: LernConfig;
  let search: SearchConnector;
  const fixture = makeRoot();
  fixture.write('services/alpha/migrations/search/user_alias.json', definition(1, { id: { type: 'keyword' }, firstName: { type: 'text' } }));

  beforeAll(async () => {
    env = await requireServers([engine]);
    config = loadConfig({ ...env, LERN_SEARCH_ENGINE: engine, LERN_SEARCH_INDEX_PREFIX: prefix });
    search = createSearch(config.search);
  });
  afterAll(async () => {
    await search.request('DELETE', `/${prefix}*`);
    await search.close();
  });

  it('creates a versioned index behind the prefixed alias', async () => {
    const report = await migrateSearch({ config, components: await discoverComponents(fixture.root) });
    expect(report.applied).toEqual([`alpha ${prefix}user_alias v1`]);
    const alias = await search.request<Record<string, unknown>>('GET', `/_alias/${prefix}user_alias`);
    expect(Object.keys(alias.body)).toEqual([`${prefix}user_alias_v1`]);
    await search.index('user_alias', 'u1', { id: 'u1', firstName: 'Asha', city: 'Pune' }, { refresh: true });
    await search.index('user_alias', 'u2', { id: 'u2', firstName: 'Ravi' }, { refresh: true });
    expect(await search.get('user_alias', 'u1')).toEqual({ id: 'u1', firstName: 'Asha', city: 'Pune' });
  });

  it('a second run changes nothing', async () => {
    const report = await migrateSearch({ config, components: await discoverComponents(fixture.root) });
    expect(report).toEqual({ applied: [], unchanged: [`alpha ${prefix}user_alias v1`] });
  });

  it('the same version with other mappings is an error', async () => {
    fixture.write('services/alpha/migrations/search/user_alias.json', definition(1, { id: { type: 'keyword' }, firstName: { type: 'text' }, city: { type: 'keyword' } }));
    await expect(migrateSearch({ config, components: await discoverComponents(fixture.root) })).rejects.toThrow(/give the change a new version/);
    expect(await migrateCommand(['search'], { ...env, LERN_SEARCH_ENGINE: engine, LERN_SEARCH_INDEX_PREFIX: prefix }, fixture.root)).toBe(1);
  });

  it('a new version: new index, documents reindexed, alias moved', async () => {
    fixture.write('services/alpha/migrations/search/user_alias.json', definition(2, { id: { type: 'keyword' }, firstName: { type: 'text' }, city: { type: 'keyword' } }));
    const report = await migrateSearch({ config, components: await discoverComponents(fixture.root) });
    expect(report.applied).toEqual([`alpha ${prefix}user_alias v2`]);
    const alias = await search.request<Record<string, unknown>>('GET', `/_alias/${prefix}user_alias`);
    expect(Object.keys(alias.body)).toEqual([`${prefix}user_alias_v2`]);
    // The old index is kept (data is never dropped by a migration).
    expect((await search.request('HEAD', `/${prefix}user_alias_v1`)).status).toBe(200);
    // Documents came along, and the new mapping (city as keyword) is in force.
    const hits = await search.search<{ id: string }>('user_alias', { query: { term: { city: 'Pune' } } });
    expect(hits.total).toBe(1);
    expect(hits.hits[0]!.source.id).toBe('u1');
    expect(await search.count('user_alias')).toBe(2);
    const again = await migrateSearch({ config, components: await discoverComponents(fixture.root) });
    expect(again.applied).toEqual([]);
    expect(await migrateCommand(['search', '--services', 'alpha'], { ...env, LERN_SEARCH_ENGINE: engine, LERN_SEARCH_INDEX_PREFIX: prefix }, fixture.root)).toBe(0);
  });

  it('the connector: update, bulk, delete, search through the alias', async () => {
    expect(await search.update('user_alias', 'u2', { city: 'Delhi' }, { refresh: true })).toBe(true);
    expect(await search.update('user_alias', 'nobody', { city: 'x' })).toBe(false);
    const bulk = await search.bulk(
      [
        { op: 'index', alias: 'user_alias', id: 'u3', doc: { id: 'u3', firstName: 'Meena', city: 'Delhi' } },
        { op: 'update', alias: 'user_alias', id: 'u4', doc: { id: 'u4', city: 'Delhi' }, upsert: true },
        { op: 'delete', alias: 'user_alias', id: 'u1' },
      ],
      { refresh: true },
    );
    expect(bulk.errors).toEqual([]);
    const delhi = await search.search<{ id: string }>('user_alias', { query: { term: { city: 'Delhi' } }, sort: [{ id: 'asc' }] });
    expect(delhi.hits.map((h) => h.id)).toEqual(['u2', 'u3', 'u4']);
    expect(await search.delete('user_alias', 'u3', { refresh: true })).toBe(true);
    expect(await search.delete('user_alias', 'u3')).toBe(false);
    expect(await search.get('user_alias', 'u1')).toBeNull();
    await search.ping();
  });
});
