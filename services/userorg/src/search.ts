/**
 * Sunbird searches over the three indices: the request schema every search route shares (filters,
 * query, paging, sorting, fields) and the call to the engine. The page size is capped at
 * {@link MAX_PAGE_SIZE} in the schema.
 */
import { Type, type SearchBody, type Static, type TSchema } from '@lern/kit';
import type { UserOrgDeps } from './context.ts';
import { fail, uosError, type Operation } from './errors.ts';
import { FilterError, parseSearchRequest, toEngineSearch, type SearchProfile } from './search-query.ts';
import { Nullable } from './schemas.ts';

/** Largest page a search returns (and its default). */
export const MAX_PAGE_SIZE = 100;
/** Largest offset: the engines serve at most 10000 hits without scrolling. */
export const MAX_OFFSET = 10_000;

/** A field name as filters, sort_by and fields take it (dotted paths allowed). */
export const FIELD_NAME = '^[A-Za-z_][A-Za-z0-9_.]{0,127}$';

const Scalar = Type.Union([Type.String({ maxLength: 1024 }), Type.Number(), Type.Boolean()]);
const ScalarList = Type.Array(Scalar, { maxItems: 1000 });

/** A filter value: scalar, list, null (field absent) or, `depth` levels deep, operators and nested fields. */
function filterValue(depth: number): TSchema {
  const leaf = [Type.Null(), Scalar, ScalarList];
  if (depth === 0) return Type.Union(leaf);
  const operators = Type.Object(
    {
      '>=': Type.Optional(Scalar),
      '<=': Type.Optional(Scalar),
      '>': Type.Optional(Scalar),
      '<': Type.Optional(Scalar),
      startsWith: Type.Optional(Type.String({ maxLength: 1024 })),
      endsWith: Type.Optional(Type.String({ maxLength: 1024 })),
    },
    { patternProperties: { [FIELD_NAME]: filterValue(depth - 1) }, additionalProperties: false, maxProperties: 50 },
  );
  // Operators first: an object with an unknown operator is then reported as that operator.
  return Type.Union([operators, ...leaf]);
}

const FieldList = (description: string) => Nullable(Type.Array(Type.String({ pattern: FIELD_NAME }), { maxItems: 100 }), description);

/** The fields of a search request; `filters` is mandatory unless told otherwise. */
export function searchRequest(options: { filtersOptional?: boolean } = {}) {
  const filters = Type.Record(Type.String({ pattern: FIELD_NAME }), filterValue(2), {
    additionalProperties: false,
    maxProperties: 50,
    description: 'field -> value | [values] | {">=": v, "<=": v, startsWith: s} | nested fields; null = field absent.',
  });
  return Type.Object(
    {
      filters: options.filtersOptional ? Type.Optional(filters) : filters,
      query: Nullable(Type.String({ maxLength: 256 }), 'Free text over names.'),
      limit: Nullable(Type.Integer({ minimum: 0, maximum: MAX_PAGE_SIZE }), `Page size, at most ${MAX_PAGE_SIZE} (the default).`),
      offset: Nullable(Type.Integer({ minimum: 0, maximum: MAX_OFFSET }), 'Page start, default 0.'),
      sort_by: Nullable(
        Type.Record(Type.String({ pattern: FIELD_NAME }), Type.String({ pattern: '^(?:[aA][sS][cC]|[dD][eE][sS][cC])$' }), { additionalProperties: false, maxProperties: 10 }),
        '{ field: "asc" | "desc" }',
      ),
      fields: FieldList('Fields to return.'),
      exists: FieldList('Fields that must be present.'),
      not_exists: FieldList('Fields that must be absent.'),
    },
    { additionalProperties: true },
  );
}

/** A parsed search request's fields. */
export type SearchRequest = Static<ReturnType<typeof searchRequest>>;

/** What a search answers. */
export interface SearchPage {
  count: number;
  content: Record<string, unknown>[];
}

/**
 * Runs a search on an index. `restrict` is an extra engine filter the caller may not lift (which
 * documents the caller may see).
 */
export async function searchIndex(
  deps: UserOrgDeps,
  alias: string,
  request: SearchRequest,
  profile: SearchProfile,
  op: Operation,
  restrict?: Record<string, unknown>,
): Promise<SearchPage> {
  const parsed = parseSearchRequest({ ...request, filters: request.filters ?? {} });
  if (!parsed.ok) throw parsed.reason === 'missing' ? fail.missing(op, parsed.param) : uosError(op, 'dataFormatError', [parsed.param]);
  let engine;
  try {
    engine = toEngineSearch(parsed.value, profile, { lookupHash: (type, value) => deps.store.unique.identifierKey(type, value) });
  } catch (error) {
    if (error instanceof FilterError) throw uosError(op, 'dataFormatError', [error.field]);
    throw error;
  }
  const body: SearchBody = { ...engine, query: restrict ? { bool: { filter: [engine.query, restrict] } } : engine.query };
  const result = await deps.search.search<Record<string, unknown>>(alias, body);
  return { count: result.total, content: result.hits.map((h) => h.source) };
}
