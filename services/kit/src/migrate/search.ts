import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSearch, SearchError, type SearchConnector } from '../connectors/search.ts';
import type { Component } from './discover.ts';
import { checksum } from './cql.ts';
import type { MigrationReport, MigrateOptions } from './cli.ts';

/** A search migration file `<alias>.json`: the alias's current index definition. */
export interface IndexMigration {
  component: string;
  /** Unprefixed alias (the file name). */
  alias: string;
  version: number;
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
  /** Over the canonical JSON of settings and mappings (formatting does not count). */
  checksum: string;
}

/** What exists now for one alias. */
export interface ObservedIndex {
  /** Indices the alias points to. */
  aliasTargets: string[];
  /** A concrete index carries the alias's name. */
  concreteIndexNamedLikeAlias: boolean;
  /** The index this version needs, when it exists: its recorded version and checksum. */
  target?: { version?: number; checksum?: string };
}

/** One step of an index migration. */
export type IndexAction =
  | { kind: 'create'; index: string }
  | { kind: 'reindex'; from: string; to: string }
  | { kind: 'alias'; alias: string; remove?: string; add: string };

/** `user_alias` version 3 with prefix `t-` -> `t-user_alias_v3`. */
export function indexNameFor(prefixedAlias: string, version: number): string {
  return `${prefixedAlias}_v${version}`;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Parses and checks one `<alias>.json` (pure). */
export function parseIndexMigration(component: string, fileName: string, text: string): IndexMigration {
  const alias = fileName.replace(/\.json$/, '');
  const where = `${component}: search/${fileName}`;
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(alias)) throw new Error(`${where}: '${alias}' is not a valid alias name (lowercase letters, digits, _ . -)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const doc = parsed as { version?: unknown; settings?: unknown; mappings?: unknown };
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) throw new Error(`${where}: "version" must be a whole number >= 1`);
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const settings = doc.settings ?? {};
  if (!isObject(settings)) throw new Error(`${where}: "settings" must be an object`);
  if (!isObject(doc.mappings)) throw new Error(`${where}: "mappings" must be an object`);
  const sum = checksum(JSON.stringify(canonical({ settings, mappings: doc.mappings })));
  return { component, alias, version: doc.version, settings, mappings: doc.mappings, checksum: sum };
}

/**
 * Decides the steps for one alias (pure). Same version and content: nothing. A new version: create
 * the index, copy the documents from the index the alias points to, then move the alias in one
 * atomic call. Changed content under an applied version, a newer version already live, or a concrete
 * index in the alias's place are errors.
 */
export function planIndex(prefixedAlias: string, desired: { version: number; checksum: string }, observed: ObservedIndex): IndexAction[] {
  const target = indexNameFor(prefixedAlias, desired.version);
  if (observed.concreteIndexNamedLikeAlias) {
    throw new Error(`an index named ${prefixedAlias} exists where the alias should be; reindex it into ${target} and delete it first`);
  }
  if (observed.aliasTargets.length > 1) throw new Error(`alias ${prefixedAlias} points to several indices (${observed.aliasTargets.join(', ')})`);
  const current = observed.aliasTargets[0];
  const versionOf = (index: string): number | undefined => {
    const m = /_v(\d+)$/.exec(index);
    return m ? Number(m[1]) : undefined;
  };
  if (observed.target && observed.target.checksum !== desired.checksum) {
    throw new Error(
      `${target} exists with other settings/mappings than version ${desired.version} of the file (changed after it was applied?); give the change a new version`,
    );
  }
  if (current === target) return [];
  const currentVersion = current !== undefined ? versionOf(current) : undefined;
  if (currentVersion !== undefined && currentVersion > desired.version) {
    throw new Error(`alias ${prefixedAlias} already points to ${current}, newer than version ${desired.version}`);
  }
  const actions: IndexAction[] = [];
  if (!observed.target) actions.push({ kind: 'create', index: target });
  if (current !== undefined) actions.push({ kind: 'reindex', from: current, to: target });
  actions.push({ kind: 'alias', alias: prefixedAlias, ...(current !== undefined ? { remove: current } : {}), add: target });
  return actions;
}

/** Reads `<component>/migrations/search/*.json`. */
export async function readSearchMigrations(components: readonly Component[]): Promise<IndexMigration[]> {
  const out: IndexMigration[] = [];
  for (const component of components) {
    const dir = join(component.dir, 'migrations', 'search');
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names) out.push(parseIndexMigration(component.name, name, await readFile(join(dir, name), 'utf8')));
  }
  const seen = new Map<string, string>();
  for (const m of out) {
    const other = seen.get(m.alias);
    if (other !== undefined) throw new Error(`alias ${m.alias} is defined by both ${other} and ${m.component}`);
    seen.set(m.alias, m.component);
  }
  return out;
}

async function observe(search: SearchConnector, alias: string, target: string): Promise<ObservedIndex> {
  const aliasRes = await search.request<Record<string, unknown>>('GET', `/_alias/${encodeURIComponent(alias)}`);
  const aliasTargets = aliasRes.status === 200 ? Object.keys(aliasRes.body) : [];
  let concrete = false;
  if (aliasTargets.length === 0) {
    const head = await search.request('HEAD', `/${encodeURIComponent(alias)}`);
    concrete = head.status === 200;
  }
  const mapping = await search.request<Record<string, { mappings?: { _meta?: { lern?: { version?: number; checksum?: string } } } }>>(
    'GET',
    `/${encodeURIComponent(target)}/_mapping`,
  );
  let targetInfo: ObservedIndex['target'];
  if (mapping.status === 200) {
    const meta = mapping.body[target]?.mappings?._meta?.lern;
    targetInfo = { version: meta?.version, checksum: meta?.checksum };
  } else if (mapping.status !== 404) throw new SearchError(mapping.status, mapping.body, `read mapping of ${target}`);
  return { aliasTargets, concreteIndexNamedLikeAlias: concrete, target: targetInfo };
}

interface ScrollPage {
  _scroll_id?: string;
  hits: { hits: { _id: string; _source: Record<string, unknown> }[] };
}

/** Copies every document with scroll + bulk: the reindex of engines that lack the `_reindex` API. */
async function copyDocuments(search: SearchConnector, from: string, to: string): Promise<void> {
  const what = `copy ${from} -> ${to}`;
  let page = await search.request<ScrollPage>('POST', `/${encodeURIComponent(from)}/_search`, { size: 500, sort: ['_doc'] }, { scroll: '2m' });
  let scrollId = page.body._scroll_id;
  try {
    for (;;) {
      if (page.status >= 400) throw new SearchError(page.status, page.body, what);
      const hits = page.body.hits.hits;
      if (hits.length === 0) break;
      const lines: unknown[] = hits.flatMap((h) => [{ index: { _index: to, _id: h._id } }, h._source]);
      const bulk = await search.request<{ errors?: boolean; items?: unknown[] }>('POST', '/_bulk', lines);
      if (bulk.status >= 400 || bulk.body.errors) throw new SearchError(bulk.status >= 400 ? bulk.status : 500, bulk.body, what);
      page = await search.request<ScrollPage>('POST', '/_search/scroll', { scroll: '2m', scroll_id: scrollId });
      scrollId = page.body._scroll_id ?? scrollId;
    }
  } finally {
    if (scrollId) await search.request('DELETE', '/_search/scroll', { scroll_id: scrollId }).catch(() => undefined);
  }
  await search.request('POST', `/${encodeURIComponent(to)}/_refresh`);
}

async function apply(search: SearchConnector, migration: IndexMigration, action: IndexAction): Promise<void> {
  const must = (res: { status: number; body: unknown }, what: string): void => {
    if (res.status >= 400) throw new SearchError(res.status, res.body, what);
  };
  switch (action.kind) {
    case 'create': {
      const mappings = { ...migration.mappings, _meta: { ...((migration.mappings._meta as object) ?? {}), lern: { version: migration.version, checksum: migration.checksum } } };
      must(await search.request('PUT', `/${encodeURIComponent(action.index)}`, { settings: migration.settings, mappings }), `create index ${action.index}`);
      return;
    }
    case 'reindex': {
      const res = await search.request<{ failures?: unknown[] }>(
        'POST',
        '/_reindex',
        { source: { index: action.from }, dest: { index: action.to } },
        { wait_for_completion: 'true', refresh: 'true' },
      );
      // A distribution without the reindex module answers 405 (it reads `_reindex` as an index name).
      if (res.status === 405) {
        await copyDocuments(search, action.from, action.to);
        return;
      }
      must(res, `reindex ${action.from} -> ${action.to}`);
      if (res.body.failures && res.body.failures.length > 0) throw new Error(`reindex ${action.from} -> ${action.to}: ${JSON.stringify(res.body.failures.slice(0, 3))}`);
      return;
    }
    case 'alias': {
      const actions = [
        ...(action.remove ? [{ remove: { index: action.remove, alias: action.alias } }] : []),
        { add: { index: action.add, alias: action.alias, is_write_index: true } },
      ];
      must(await search.request('POST', '/_aliases', { actions }), `move alias ${action.alias} to ${action.add}`);
      return;
    }
  }
}

/** Applies every component's index definitions: versioned index + alias, idempotent. */
export async function migrateSearch(options: MigrateOptions): Promise<MigrationReport> {
  const log = options.log ?? (() => undefined);
  const migrations = await readSearchMigrations(options.components);
  const report: MigrationReport = { applied: [], unchanged: [] };
  if (migrations.length === 0) return report;
  const search = createSearch(options.config.search);
  try {
    for (const migration of migrations) {
      const alias = search.name(migration.alias);
      const target = indexNameFor(alias, migration.version);
      const actions = planIndex(alias, migration, await observe(search, alias, target));
      if (actions.length === 0) {
        report.unchanged.push(`${migration.component} ${alias} v${migration.version}`);
        continue;
      }
      for (const action of actions) {
        await apply(search, migration, action);
        log(`search: ${action.kind === 'create' ? `created ${action.index}` : action.kind === 'reindex' ? `reindexed ${action.from} -> ${action.to}` : `alias ${action.alias} -> ${action.add}`}`);
      }
      report.applied.push(`${migration.component} ${alias} v${migration.version}`);
    }
  } finally {
    await search.close();
  }
  return report;
}
