/**
 * Batch search requests (`filters`, `query`, `limit`, `offset`, `sort_by`, `fields`) as one search
 * body over the `course-batch` index (pure; the same JSON works on Elasticsearch and OpenSearch).
 * As upstream's composite search:
 * - a scalar filter is a `term` (text fields are lower-cased keywords, so case does not matter), a
 *   list a `terms`, `{">=": v, "<=": v, ">": v, "<": v}` a `range`, null "the field is absent";
 * - every field of the batch document can be filtered on, sorted by and selected (`collectionId`,
 *   `identifier` and `id` are in the document too); upstream's `objectType` is implied and ignored;
 * - a field the index does not know matches nothing.
 */
import type { SearchBody } from '@lern/kit';

/** Default page size. */
export const DEFAULT_LIMIT = 100;
/** Largest page size (schema-capped). */
export const MAX_LIMIT = 1000;
/** Largest `offset + limit` the engines serve without scrolling. */
export const MAX_WINDOW = 10_000;

/** A filter value as the schema admits it. */
export type FilterValue = string | number | boolean | null | (string | number | boolean)[] | RangeFilter;
/** Range operators. */
export type RangeFilter = { '>='?: string | number; '<='?: string | number; '>'?: string | number; '<'?: string | number };

/** A batch search request. */
export interface BatchSearch {
  filters: Record<string, FilterValue>;
  query?: string | null;
  limit?: number | null;
  offset?: number | null;
  sort_by?: Record<string, string> | null;
  fields?: string[] | null;
}

const IGNORED: ReadonlySet<string> = new Set(['objectType']);
/** Fields a free-text `query` matches (their `.text` sub-fields). */
const TEXT_FIELDS = ['name.text', 'description.text'];
const RANGE_OPS: Readonly<Record<string, 'gte' | 'lte' | 'gt' | 'lt'>> = { '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt' };

function clause(field: string, value: FilterValue): { must?: object; mustNot?: object } {
  if (value === null) return { mustNot: { exists: { field } } };
  if (Array.isArray(value)) return { must: { terms: { [field]: value } } };
  if (typeof value === 'object') {
    const range: Record<string, string | number> = {};
    for (const [op, v] of Object.entries(value)) if (v !== undefined && RANGE_OPS[op]) range[RANGE_OPS[op]] = v;
    return { must: { range: { [field]: range } } };
  }
  return { must: { term: { [field]: value } } };
}

/** The search body of a batch search. */
export function toBatchSearch(request: BatchSearch): SearchBody & { from: number; size: number } {
  const must: object[] = [];
  const mustNot: object[] = [];
  for (const [name, value] of Object.entries(request.filters)) {
    if (IGNORED.has(name)) continue;
    const c = clause(name, value);
    if (c.must) must.push(c.must);
    if (c.mustNot) mustNot.push(c.mustNot);
  }
  const text = request.query?.trim();
  if (text) must.push({ multi_match: { query: text, fields: TEXT_FIELDS, operator: 'and' } });
  const from = Math.min(request.offset ?? 0, MAX_WINDOW);
  const size = Math.min(request.limit ?? DEFAULT_LIMIT, MAX_LIMIT, MAX_WINDOW - from);
  const body: SearchBody & { from: number; size: number } = {
    from,
    size,
    query: { bool: { filter: must, must_not: mustNot } },
    track_total_hits: true,
  };
  const sort = Object.entries(request.sort_by ?? {}).map(([name, order]) => ({
    [name]: { order: order.toLowerCase() === 'desc' ? 'desc' : 'asc', unmapped_type: 'keyword' },
  }));
  if (sort.length > 0) body.sort = sort;
  if (request.fields && request.fields.length > 0) body._source = [...request.fields];
  return body;
}
