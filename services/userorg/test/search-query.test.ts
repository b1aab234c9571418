import { describe, expect, it } from 'vitest';
import { lookupKey } from '../src/pii.ts';
import { DEFAULT_LIMIT, FilterError, LOCATION_SEARCH_PROFILE, MAX_WINDOW, USER_SEARCH_PROFILE, parseSearchRequest, toEngineSearch } from '../src/search-query.ts';

const translate = (request: unknown) => {
  const parsed = parseSearchRequest(request);
  if (!parsed.ok) throw new Error(`${parsed.param} ${parsed.reason}`);
  return toEngineSearch(parsed.value, USER_SEARCH_PROFILE);
};

describe('parseSearchRequest', () => {
  it.each([
    [undefined, 'request', 'missing'],
    [{}, 'filters', 'missing'],
    [{ filters: [] }, 'filters', 'invalid'],
    [{ filters: { 'bad key!': 1 } }, 'filters', 'invalid'],
    [{ filters: {}, limit: -1 }, 'limit', 'invalid'],
    [{ filters: {}, limit: 'ten' }, 'limit', 'invalid'],
    [{ filters: {}, offset: 1.5 }, 'offset', 'invalid'],
    [{ filters: {}, sort_by: { firstName: 'up' } }, 'sort_by', 'invalid'],
    [{ filters: {}, fields: 'firstName' }, 'fields', 'invalid'],
    [{ filters: {}, query: 3 }, 'query', 'invalid'],
  ])('%j -> %s %s', (request, param, reason) => {
    expect(parseSearchRequest(request)).toEqual({ ok: false, param, reason });
  });

  it('accepts numeric strings for limit and offset', () => {
    expect(parseSearchRequest({ filters: {}, limit: '5', offset: '10' })).toEqual({ ok: true, value: { filters: {}, limit: 5, offset: 10 } });
  });
});

describe('toEngineSearch', () => {
  it('defaults: all documents, first page, totals tracked, hashes hidden', () => {
    expect(translate({ filters: {} })).toEqual({
      from: 0,
      size: DEFAULT_LIMIT,
      query: { bool: { filter: [], must: [], must_not: [] } },
      track_total_hits: true,
      _source: { excludes: ['emailHash', 'phoneHash'] },
    });
  });

  it.each([
    ['scalar', { firstName: 'Ravi' }, [{ term: { firstName: 'Ravi' } }]],
    ['list', { status: [0, 1] }, [{ terms: { status: [0, 1] } }]],
    ['alias', { userId: 'u1' }, [{ term: { id: 'u1' } }]],
    ['range', { createdDate: { '>=': '2024-01-01', '<': '2025-01-01' } }, [{ range: { createdDate: { gte: '2024-01-01', lt: '2025-01-01' } } }]],
    ['prefix', { userName: { startsWith: 'RaV' } }, [{ prefix: { userName: 'rav' } }]],
    ['suffix', { userName: { endsWith: 'X*' } }, [{ wildcard: { userName: '*x' } }]],
    ['nested object', { roles: { role: 'ORG_ADMIN' } }, [{ term: { 'roles.role': 'ORG_ADMIN' } }]],
    ['dotted path', { 'roles.role': ['BOOK_REVIEWER'] }, [{ terms: { 'roles.role': ['BOOK_REVIEWER'] } }]],
    ['null', { managedBy: null }, [{ bool: { must_not: [{ exists: { field: 'managedBy' } }] } }]],
    ['hashed email', { email: 'Someone@Example.com' }, [{ term: { emailHash: lookupKey('email', 'someone@example.com') } }]],
    ['hashed phones', { phone: ['9876543210'] }, [{ terms: { phoneHash: [lookupKey('phone', '9876543210')] } }]],
  ])('filter %s', (_name, filters, expected) => {
    expect((translate({ filters }).query as { bool: { filter: unknown[] } }).bool.filter).toEqual(expected);
  });

  it('free-text query over name sub-fields, paging, sort and fields', () => {
    const body = translate({ filters: {}, query: 'ravi k', limit: 5, offset: 10, sort_by: { createdDate: 'DESC' }, fields: ['firstName', 'userId'] });
    expect(body.from).toBe(10);
    expect(body.size).toBe(5);
    expect((body.query as { bool: { must: unknown[] } }).bool.must).toEqual([
      { multi_match: { query: 'ravi k', type: 'bool_prefix', fields: ['firstName.text', 'lastName.text', 'userName.text'], operator: 'and' } },
    ]);
    expect(body.sort).toEqual([{ createdDate: { order: 'desc', unmapped_type: 'keyword' } }]);
    expect(body._source).toEqual({ includes: ['firstName', 'id'], excludes: ['emailHash', 'phoneHash'] });
  });

  it('caps the window at what the engines serve', () => {
    const body = translate({ filters: {}, limit: 50_000, offset: 9_990 });
    expect(body.from + body.size).toBe(MAX_WINDOW);
  });

  it('exists and not_exists', () => {
    const body = translate({ filters: {}, exists: ['email'], not_exists: ['managedBy'] });
    expect((body.query as { bool: { filter: unknown[]; must_not: unknown[] } }).bool).toMatchObject({
      filter: [{ exists: { field: 'email' } }],
      must_not: [{ exists: { field: 'managedBy' } }],
    });
  });

  it.each([[{ firstName: [{ a: 1 }] }], [{ firstName: { '~': 1 } }], [{ email: { startsWith: 'a' } }]])('rejects %j', (filters) => {
    expect(() => translate({ filters })).toThrow(FilterError);
  });

  it('location profile maps identifier to id', () => {
    expect(toEngineSearch({ filters: { identifier: 'x' } }, LOCATION_SEARCH_PROFILE).query).toEqual({
      bool: { filter: [{ term: { id: 'x' } }], must: [], must_not: [] },
    });
  });
});
