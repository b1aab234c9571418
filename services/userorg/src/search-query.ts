/**
 * Sunbird search requests (`filters`, `query`, `limit`, `offset`, `sort_by`, `fields`, `exists`,
 * `not_exists`) translated into one search-engine request body. Pure: the same JSON works on
 * Elasticsearch and OpenSearch (bool/term/terms/range/prefix/exists/multi_match only).
 *
 * Filter values follow upstream's ElasticSearchHelper:
 * - scalar -> `term` (string fields are lowercase-normalised keywords, so matching ignores case);
 * - array -> `terms`;
 * - object of operators -> `range` (`>=`, `<=`, `>`, `<`), `prefix` (`startsWith`), `wildcard` (`endsWith`);
 * - `null` -> the field must not exist.
 *
 * Hidden fields (the lookup hashes) do not exist for a request: like any field the index lacks
 * (upstream passes unknown filter names to the engine, where they match no document), a filter or
 * `exists` on one matches nothing, `not_exists` everything, and `sort_by`/`fields` ignore it. Only
 * the server-side rewrite of `email`/`phone` filters, which hashes the value with the Secret's key,
 * searches them.
 */
import type { LookupType, PiiCipher } from './pii.ts';

/** What a Sunbird search request may carry, after parsing. */
export interface SunbirdSearch {
  filters: Record<string, unknown>;
  query?: string;
  limit?: number;
  offset?: number;
  sort_by?: Record<string, string>;
  fields?: string[];
  exists?: string[];
  not_exists?: string[];
}

/** How one index is searched. */
export interface SearchProfile {
  /** Fields matched by free-text `query` (their `.text` sub-fields are used). */
  textFields: readonly string[];
  /** Filter names rewritten to hashed fields, e.g. email -> emailHash (needs a {@link LookupHasher}). */
  hashedFields?: Readonly<Record<string, { field: string; type: LookupType }>>;
  /** Fields never returned, and unknown to a request's filters, `exists`, `not_exists` and `sort_by`. */
  hiddenFields?: readonly string[];
  /** Filter names accepted as aliases, e.g. userId -> id. */
  aliases?: Readonly<Record<string, string>>;
}

/**
 * Default and largest page size.
 * @default 100 (upstream's SearchDTO default is 250; engines cap from+size at 10000)
 */
export const DEFAULT_LIMIT = 100;
/** Largest `offset + limit` the engines serve without scrolling. */
export const MAX_WINDOW = 10_000;

/** A search request body for `_search` (a type alias, so it is assignable to the kit's SearchBody). */
export type EngineSearchBody = {
  from: number;
  size: number;
  query: Record<string, unknown>;
  sort?: Record<string, { order: 'asc' | 'desc'; unmapped_type: string }>[];
  _source?: { includes?: string[]; excludes?: string[] };
  track_total_hits: boolean;
};

/** Hashes identifiers for the hashed filters: the service's PiiCipher. */
export type LookupHasher = Pick<PiiCipher, 'lookupHash'>;

/** Result of parsing: a request or a message naming what is wrong. */
export type ParseResult = { ok: true; value: SunbirdSearch } | { ok: false; param: string; reason: 'missing' | 'invalid' };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,127}$/;

/** Reads `request.*` of a search call; `filters` must be an object. */
export function parseSearchRequest(request: unknown): ParseResult {
  if (!isPlainObject(request)) return { ok: false, param: 'request', reason: 'missing' };
  const { filters, query, limit, offset, sort_by, fields, exists, not_exists } = request;
  if (filters === undefined || filters === null) return { ok: false, param: 'filters', reason: 'missing' };
  if (!isPlainObject(filters)) return { ok: false, param: 'filters', reason: 'invalid' };
  for (const key of Object.keys(filters)) if (!FIELD_NAME.test(key)) return { ok: false, param: 'filters', reason: 'invalid' };
  const out: SunbirdSearch = { filters };
  if (query !== undefined && query !== null) {
    if (typeof query !== 'string') return { ok: false, param: 'query', reason: 'invalid' };
    if (query.trim() !== '') out.query = query;
  }
  const num = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v);
  const lim = num(limit);
  if (lim !== undefined && lim !== null) {
    if (typeof lim !== 'number' || !Number.isInteger(lim) || lim < 0) return { ok: false, param: 'limit', reason: 'invalid' };
    out.limit = lim;
  }
  const off = num(offset);
  if (off !== undefined && off !== null) {
    if (typeof off !== 'number' || !Number.isInteger(off) || off < 0) return { ok: false, param: 'offset', reason: 'invalid' };
    out.offset = off;
  }
  if (sort_by !== undefined && sort_by !== null) {
    if (!isPlainObject(sort_by)) return { ok: false, param: 'sort_by', reason: 'invalid' };
    for (const [k, v] of Object.entries(sort_by)) {
      if (!FIELD_NAME.test(k) || typeof v !== 'string' || !/^(asc|desc)$/i.test(v)) return { ok: false, param: 'sort_by', reason: 'invalid' };
    }
    out.sort_by = sort_by as Record<string, string>;
  }
  for (const [name, list] of [['fields', fields], ['exists', exists], ['not_exists', not_exists]] as const) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || !list.every((f) => typeof f === 'string' && FIELD_NAME.test(f))) {
      return { ok: false, param: name, reason: 'invalid' };
    }
    out[name] = list as string[];
  }
  return { ok: true, value: out };
}

const RANGE_OPS: Record<string, 'gte' | 'lte' | 'gt' | 'lt'> = { '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt' };

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Thrown for a filter value that cannot be translated (reported as invalid request data). */
export class FilterError extends Error {
  readonly field: string;
  constructor(field: string) {
    super(`invalid filter ${field}`);
    this.field = field;
  }
}

/** What the engine answers for a field no document has: nothing matches. */
const MATCH_NONE = { match_none: {} };

/** True for a hidden field or a path inside one. */
function isHidden(field: string, profile: SearchProfile): boolean {
  return (profile.hiddenFields ?? []).some((h) => field === h || field.startsWith(`${h}.`));
}

/** A record's own entry only: request names such as `constructor` must not reach the prototype. */
const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;

const targetOf = (field: string, profile: SearchProfile): string => own(profile.aliases, field) ?? field;

function filterClause(field: string, value: unknown, profile: SearchProfile, hasher: LookupHasher | undefined): Record<string, unknown>[] {
  const hashed = own(profile.hashedFields, field);
  const target = hashed?.field ?? targetOf(field, profile);
  if (!hashed && isHidden(target, profile)) return value === null ? [] : [MATCH_NONE];
  const hash = (v: Scalar): Scalar => {
    if (!hashed) return v;
    if (!hasher) throw new Error(`the ${field} filter needs the lookup hasher (pass the PiiCipher to toEngineSearch)`);
    return hasher.lookupHash(hashed.type, String(v));
  };
  if (value === null) return [{ bool: { must_not: [{ exists: { field: target } }] } }];
  if (isScalar(value)) return [{ term: { [target]: hash(value) } }];
  if (Array.isArray(value)) {
    if (!value.every(isScalar)) throw new FilterError(field);
    return [{ terms: { [target]: value.map(hash) } }];
  }
  if (isPlainObject(value)) {
    // Hashed fields only match whole values.
    if (hashed) throw new FilterError(field);
    const range: Record<string, Scalar> = {};
    const out: Record<string, unknown>[] = [];
    for (const [op, v] of Object.entries(value)) {
      const rangeOp = RANGE_OPS[op];
      if (rangeOp && isScalar(v)) range[rangeOp] = v;
      else if (op === 'startsWith' && typeof v === 'string') out.push({ prefix: { [target]: v.toLowerCase() } });
      else if (op === 'endsWith' && typeof v === 'string') out.push({ wildcard: { [target]: `*${v.toLowerCase().replace(/[*?\\]/g, '')}` } });
      else if (FIELD_NAME.test(op)) out.push(...filterClause(`${field}.${op}`, v, profile, hasher));
      else throw new FilterError(field);
    }
    if (Object.keys(range).length > 0) out.push({ range: { [target]: range } });
    return out;
  }
  throw new FilterError(field);
}

/**
 * Builds the engine request for a parsed Sunbird search. Throws FilterError for an untranslatable
 * filter. `hasher` (the PiiCipher) hashes the values of hashed filters (`email`, `phone`); without
 * it such a filter throws.
 */
export function toEngineSearch(search: SunbirdSearch, profile: SearchProfile, hasher?: LookupHasher): EngineSearchBody {
  const filter: Record<string, unknown>[] = [];
  for (const [field, value] of Object.entries(search.filters)) filter.push(...filterClause(field, value, profile, hasher));
  for (const f of search.exists ?? []) {
    const target = targetOf(f, profile);
    filter.push(isHidden(target, profile) ? MATCH_NONE : { exists: { field: target } });
  }
  const mustNot = (search.not_exists ?? []).map((f) => targetOf(f, profile)).filter((f) => !isHidden(f, profile)).map((field) => ({ exists: { field } }));
  const must: Record<string, unknown>[] = [];
  if (search.query !== undefined) {
    must.push({
      // bool_prefix treats the last word as a prefix, so "ravi ku" finds "Ravi Kumar" with built-in
      // analysis only (no edge n-grams, which need a module the Elasticsearch test distribution lacks).
      multi_match: { query: search.query, type: 'bool_prefix', fields: profile.textFields.map((f) => `${f}.text`), operator: 'and' },
    });
  }
  const limit = Math.min(search.limit ?? DEFAULT_LIMIT, MAX_WINDOW);
  const offset = Math.min(search.offset ?? 0, MAX_WINDOW);
  const body: EngineSearchBody = {
    from: offset,
    size: Math.max(0, Math.min(limit, MAX_WINDOW - offset)),
    query: { bool: { filter, must, must_not: mustNot } },
    track_total_hits: true,
  };
  const sort = Object.entries(search.sort_by ?? {})
    .map(([f, order]) => [targetOf(f, profile), order] as const)
    .filter(([f]) => !isHidden(f, profile));
  if (sort.length > 0) {
    body.sort = sort.map(([f, order]) => ({ [f]: { order: order.toLowerCase() as 'asc' | 'desc', unmapped_type: 'keyword' } }));
  }
  // A hidden name in `fields` stays in includes: the excludes win, as for a field the index lacks.
  const hidden = [...(profile.hiddenFields ?? [])];
  if (search.fields && search.fields.length > 0) {
    body._source = { includes: search.fields.map((f) => targetOf(f, profile)), excludes: hidden };
  } else if (hidden.length > 0) {
    body._source = { excludes: hidden };
  }
  return body;
}

/** Search profiles of the three indices. */
export const USER_SEARCH_PROFILE: SearchProfile = {
  textFields: ['firstName', 'lastName', 'userName'],
  hashedFields: {
    email: { field: 'emailHash', type: 'email' },
    phone: { field: 'phoneHash', type: 'phone' },
  },
  aliases: { userId: 'id', identifier: 'id' },
  hiddenFields: ['emailHash', 'phoneHash'],
};

/** Organisations: free text over the name. */
export const ORG_SEARCH_PROFILE: SearchProfile = {
  textFields: ['orgName'],
  aliases: { organisationId: 'id', identifier: 'id' },
};

/** Locations: free text over the name. */
export const LOCATION_SEARCH_PROFILE: SearchProfile = {
  textFields: ['name'],
  aliases: { identifier: 'id' },
};
