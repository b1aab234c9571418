import { Client as ElasticClient } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import type { LernConfig, SearchEngine } from '../config.ts';
import { withTimeout } from './cassandra.ts';

/** A raw REST answer: any HTTP status comes back here; only transport failures throw. */
export interface SearchResponse<T = unknown> {
  status: number;
  body: T;
}

/** The one REST call both engines' clients can make; everything else is built on it. */
export type SearchTransport = (req: { method: string; path: string; body?: unknown; bulkBody?: unknown[]; query?: Record<string, string> }) => Promise<SearchResponse>;

/** A query body (the engines' search DSL). */
export interface SearchBody {
  query?: Record<string, unknown>;
  from?: number;
  size?: number;
  sort?: unknown[];
  _source?: boolean | string[] | Record<string, unknown>;
  aggs?: Record<string, unknown>;
  track_total_hits?: boolean | number;
  [key: string]: unknown;
}

/** One hit of a search. */
export interface SearchHit<T> {
  id: string;
  score: number | null;
  source: T;
}

/** A search answer. */
export interface SearchResult<T> {
  total: number;
  hits: SearchHit<T>[];
  aggregations?: Record<string, unknown>;
}

/** One bulk action. */
export type BulkOp =
  | { op: 'index'; alias: string; id: string; doc: object }
  | { op: 'update'; alias: string; id: string; doc: object; upsert?: boolean }
  | { op: 'delete'; alias: string; id: string };

/** Bulk outcome: the ids that failed with their reason. */
export interface BulkResult {
  errors: { id: string; status: number; reason: string }[];
}

/** An error answer (status >= 400) of the search engine. */
export class SearchError extends Error {
  readonly status: number;
  readonly type: string | undefined;
  constructor(status: number, body: unknown, what: string) {
    const err = (body as { error?: { type?: string; reason?: string } } | undefined)?.error;
    super(`${what}: HTTP ${status}${err?.type ? ` ${err.type}` : ''}${err?.reason ? `: ${err.reason}` : ''}`);
    this.name = status >= 500 ? 'SearchUnavailableError' : 'SearchError';
    this.status = status;
    this.type = err?.type;
  }
}

/** One interface over Elasticsearch and OpenSearch; names are unprefixed and gain LERN_SEARCH_INDEX_PREFIX. */
export interface SearchConnector {
  readonly engine: SearchEngine;
  /** The prefixed name of an alias or index. */
  name(aliasOrIndex: string): string;
  index(alias: string, id: string, doc: object, options?: { refresh?: boolean }): Promise<void>;
  /** Partial update; with upsert the document is created when missing. Returns false when missing and not upserted. */
  update(alias: string, id: string, partial: object, options?: { refresh?: boolean; upsert?: boolean }): Promise<boolean>;
  get<T = Record<string, unknown>>(alias: string, id: string): Promise<T | null>;
  /** Returns false when there was nothing to delete. */
  delete(alias: string, id: string, options?: { refresh?: boolean }): Promise<boolean>;
  search<T = Record<string, unknown>>(alias: string, body: SearchBody): Promise<SearchResult<T>>;
  count(alias: string, query?: Record<string, unknown>): Promise<number>;
  bulk(ops: BulkOp[], options?: { refresh?: boolean }): Promise<BulkResult>;
  refresh(alias: string): Promise<void>;
  /** Raw REST call; paths are used as given (no prefixing). An array body on a `_bulk` path goes as NDJSON lines. */
  request<T = unknown>(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<SearchResponse<T>>;
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

interface ClientErrorShape {
  name?: string;
  meta?: { statusCode?: number; body?: unknown };
}

/** Both clients throw ResponseError for HTTP errors; turn those back into answers. */
function asResponse(error: unknown): SearchResponse | undefined {
  const e = error as ClientErrorShape;
  if (e?.name === 'ResponseError' && typeof e.meta?.statusCode === 'number') return { status: e.meta.statusCode, body: e.meta.body };
  return undefined;
}

/** Client settings both engines share. */
function clientOptions(config: LernConfig['search']) {
  return {
    nodes: config.urls!,
    auth: config.username !== undefined ? { username: config.username, password: config.password ?? '' } : undefined,
    maxRetries: 1,
    requestTimeout: 30_000,
  };
}

/** Runs one request, turning the client's HTTP errors back into answers. */
async function answered(request: () => Promise<SearchResponse>): Promise<SearchResponse> {
  try {
    return await request();
  } catch (error) {
    const res = asResponse(error);
    if (res) return res;
    throw error;
  }
}

function elasticTransport(config: LernConfig['search']): { transport: SearchTransport; close: () => Promise<void> } {
  const client = new ElasticClient(clientOptions(config));
  return {
    transport: (req) =>
      answered(async () => {
        // The client's own `compatible-with=9` media types: the server major equals the client's.
        const res = await client.transport.request(
          { method: req.method, path: req.path, body: req.body as Record<string, unknown>, bulkBody: req.bulkBody as Record<string, unknown>[], querystring: req.query },
          { meta: true },
        );
        return { status: res.statusCode ?? 200, body: res.body };
      }),
    close: () => client.close(),
  };
}

function openSearchTransport(config: LernConfig['search']): { transport: SearchTransport; close: () => Promise<void> } {
  const client = new OpenSearchClient(clientOptions(config));
  return {
    transport: (req) =>
      answered(async () => {
        const res = await client.transport.request({
          method: req.method,
          path: req.path,
          body: req.body as Record<string, unknown>,
          bulkBody: req.bulkBody as Record<string, unknown>[],
          querystring: req.query,
        });
        return { status: res.statusCode ?? 200, body: res.body as unknown };
      }),
    close: () => client.close(),
  };
}

const enc = encodeURIComponent;
const refreshQuery = (refresh: boolean | undefined): Record<string, string> => (refresh ? { refresh: 'wait_for' } : {});

/** Builds the connector over a transport (pure wiring; the transport does the I/O). */
export function searchConnectorOver(engine: SearchEngine, indexPrefix: string, transport: SearchTransport, close: () => Promise<void>): SearchConnector {
  const name = (alias: string): string => `${indexPrefix}${alias}`;
  const call = async <T>(method: string, path: string, what: string, body?: unknown, query?: Record<string, string>, allow: number[] = []): Promise<SearchResponse<T>> => {
    const res = await transport({ method, path, body, query });
    if (res.status >= 400 && !allow.includes(res.status)) throw new SearchError(res.status, res.body, what);
    return res as SearchResponse<T>;
  };

  return {
    engine,
    name,
    async index(alias, id, doc, options) {
      await call('PUT', `/${enc(name(alias))}/_doc/${enc(id)}`, `index ${alias}/${id}`, doc, refreshQuery(options?.refresh));
    },
    async update(alias, id, partial, options) {
      const res = await call(
        'POST',
        `/${enc(name(alias))}/_update/${enc(id)}`,
        `update ${alias}/${id}`,
        { doc: partial, doc_as_upsert: options?.upsert ?? false },
        { ...refreshQuery(options?.refresh), retry_on_conflict: '3' },
        [404],
      );
      return res.status !== 404;
    },
    async get<T>(alias: string, id: string) {
      const res = await call<{ found?: boolean; _source?: T }>('GET', `/${enc(name(alias))}/_doc/${enc(id)}`, `get ${alias}/${id}`, undefined, undefined, [404]);
      if (res.status === 404 || !res.body.found) return null;
      return res.body._source ?? null;
    },
    async delete(alias, id, options) {
      const res = await call<{ result?: string }>('DELETE', `/${enc(name(alias))}/_doc/${enc(id)}`, `delete ${alias}/${id}`, undefined, refreshQuery(options?.refresh), [404]);
      return res.status !== 404 && res.body.result === 'deleted';
    },
    async search<T>(alias: string, body: SearchBody) {
      const res = await call<{
        hits: { total: number | { value: number }; hits: { _id: string; _score: number | null; _source: T }[] };
        aggregations?: Record<string, unknown>;
      }>('POST', `/${enc(name(alias))}/_search`, `search ${alias}`, { track_total_hits: true, ...body });
      const total = typeof res.body.hits.total === 'number' ? res.body.hits.total : res.body.hits.total.value;
      return {
        total,
        hits: res.body.hits.hits.map((h) => ({ id: h._id, score: h._score, source: h._source })),
        ...(res.body.aggregations ? { aggregations: res.body.aggregations } : {}),
      };
    },
    async count(alias, query) {
      const res = await call<{ count: number }>('POST', `/${enc(name(alias))}/_count`, `count ${alias}`, query ? { query } : undefined);
      return res.body.count;
    },
    async bulk(ops, options) {
      if (ops.length === 0) return { errors: [] };
      const lines: unknown[] = [];
      for (const op of ops) {
        const meta = { _index: name(op.alias), _id: op.id };
        if (op.op === 'index') lines.push({ index: meta }, op.doc);
        else if (op.op === 'update') lines.push({ update: { ...meta, retry_on_conflict: 3 } }, { doc: op.doc, doc_as_upsert: op.upsert ?? false });
        else lines.push({ delete: meta });
      }
      const res = await transport({ method: 'POST', path: '/_bulk', bulkBody: lines, query: refreshQuery(options?.refresh) });
      if (res.status >= 400) throw new SearchError(res.status, res.body, 'bulk');
      const items = (res.body as { items: Record<string, { _id: string; status: number; error?: { reason?: string; type?: string } }>[] }).items;
      const errors: BulkResult['errors'] = [];
      for (const item of items) {
        const result = Object.values(item)[0];
        if (result && result.status >= 300 && !(result.status === 404 && 'delete' in item)) {
          errors.push({ id: result._id, status: result.status, reason: result.error?.reason ?? result.error?.type ?? `HTTP ${result.status}` });
        }
      }
      return { errors };
    },
    async refresh(alias) {
      await call('POST', `/${enc(name(alias))}/_refresh`, `refresh ${alias}`);
    },
    request: <T>(method: string, path: string, body?: unknown, query?: Record<string, string>) =>
      (path.endsWith('/_bulk') && Array.isArray(body) ? transport({ method, path, bulkBody: body, query }) : transport({ method, path, body, query })) as Promise<
        SearchResponse<T>
      >,
    async ping(timeoutMs = 3_000) {
      const res = await withTimeout(transport({ method: 'GET', path: '/_cluster/health', query: { timeout: '2s' } }), timeoutMs, engine);
      if (res.status >= 400) throw new SearchError(res.status, res.body, `${engine} health`);
      if ((res.body as { status?: string }).status === 'red') throw new SearchError(503, { error: { type: 'cluster_red', reason: 'cluster health is red' } }, engine);
    },
    close,
  };
}

/** Creates the search connector for LERN_SEARCH_ENGINE (Elasticsearch by default, or OpenSearch). */
export function createSearch(config: LernConfig['search']): SearchConnector {
  if (!config.urls) throw new Error('LERN_SEARCH_URL is not set');
  const { transport, close } = config.engine === 'opensearch' ? openSearchTransport(config) : elasticTransport(config);
  return searchConnectorOver(config.engine, config.indexPrefix, transport, close);
}
