import { describe, expect, it } from 'vitest';
import { createPiiCipher, legacyLookupHash } from '../src/pii.ts';
import { DEFAULT_LIMIT, FilterError, LOCATION_SEARCH_PROFILE, MAX_WINDOW, USER_SEARCH_PROFILE, parseSearchRequest, toEngineSearch } from '../src/search-query.ts';

const cipher = createPiiCipher('cd'.repeat(32));

const translate = (request: unknown) => {
  const parsed = parseSearchRequest(request);
  if (!parsed.ok) throw new Error(`${parsed.param} ${parsed.reason}`);
  return toEngineSearch(parsed.value, USER_SEARCH_PROFILE, cipher);
};
const filterOf = (body: ReturnType<typeof translate>) => (body.query as { bool: { filter: unknown[]; must_not: unknown[] } }).bool;

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
    ['hashed email', { email: 'Someone@Example.com' }, [{ term: { emailHash: cipher.lookupHash('email', 'someone@example.com') } }]],
    ['hashed phones', { phone: ['9876543210'] }, [{ terms: { phoneHash: [cipher.lookupHash('phone', '9876543210')] } }]],
    ['users without email', { email: null }, [{ bool: { must_not: [{ exists: { field: 'emailHash' } }] } }]],
  ])('filter %s', (_name, filters, expected) => {
    expect(filterOf(translate({ filters })).filter).toEqual(expected);
  });

  it('hashes email and phone filters with the keyed hash, never the unkeyed one', () => {
    const [clause] = filterOf(translate({ filters: { phone: '9876543210' } })).filter as { term: { phoneHash: string } }[];
    expect(clause!.term.phoneHash).toBe(cipher.lookupHash('phone', '9876543210'));
    expect(clause!.term.phoneHash).not.toBe(legacyLookupHash('phone', '9876543210'));
  });

  it('a hashed filter without the hasher is a programming error, not an unkeyed search', () => {
    expect(() => toEngineSearch({ filters: { email: 'a@b.co' } }, USER_SEARCH_PROFILE)).toThrow(/needs the lookup hasher/);
    // Searches without hashed filters need no hasher (the service's internal look-ups).
    expect(filterOf(toEngineSearch({ filters: { managedBy: 'u1' } }, USER_SEARCH_PROFILE)).filter).toEqual([{ term: { managedBy: 'u1' } }]);
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

  it('names on the prototype are plain field names, not aliases or hashed filters', () => {
    expect(filterOf(translate({ filters: { constructor: 'x', toString: ['y'] } })).filter).toEqual([{ term: { constructor: 'x' } }, { terms: { toString: ['y'] } }]);
  });

  it('location profile maps identifier to id', () => {
    expect(toEngineSearch({ filters: { identifier: 'x' } }, LOCATION_SEARCH_PROFILE).query).toEqual({
      bool: { filter: [{ term: { id: 'x' } }], must: [], must_not: [] },
    });
  });
});

// A request never reaches the hash fields: to it they are fields the index lacks, which upstream
// passes to the engine, where they match no document (SearchHandlerActor has no field whitelist).
describe('hash fields are not searchable from a request', () => {
  const hash = cipher.lookupHash('phone', '9876543210');
  it.each([
    ['scalar', { phoneHash: hash }],
    ['list', { emailHash: [hash] }],
    ['prefix (would leak the hash a character at a time)', { phoneHash: { startsWith: 'a' } }],
    ['range', { phoneHash: { '>=': '8', '<': '9' } }],
    ['suffix', { emailHash: { endsWith: 'f' } }],
    ['sub-field', { 'phoneHash.keyword': hash }],
    ['nested object', { phoneHash: { keyword: hash } }],
  ])('filter %s matches nothing', (_name, filters) => {
    expect(filterOf(translate({ filters })).filter).toEqual([{ match_none: {} }]);
  });

  it('a null filter on a hash field matches everything, like a field no document has', () => {
    expect(filterOf(translate({ filters: { phoneHash: null, firstName: 'ravi' } })).filter).toEqual([{ term: { firstName: 'ravi' } }]);
  });

  it('keeps the other filters beside a hash-field filter', () => {
    expect(filterOf(translate({ filters: { firstName: 'ravi', emailHash: hash } })).filter).toEqual([{ term: { firstName: 'ravi' } }, { match_none: {} }]);
  });

  it('exists matches nothing and not_exists everything', () => {
    const body = translate({ filters: {}, exists: ['phoneHash', 'email'], not_exists: ['emailHash', 'managedBy'] });
    expect(filterOf(body)).toEqual({ filter: [{ match_none: {} }, { exists: { field: 'email' } }], must: [], must_not: [{ exists: { field: 'managedBy' } }] });
  });

  it('sort_by ignores them', () => {
    expect(translate({ filters: {}, sort_by: { phoneHash: 'asc' } }).sort).toBeUndefined();
    expect(translate({ filters: {}, sort_by: { emailHash: 'desc', createdDate: 'asc' } }).sort).toEqual([{ createdDate: { order: 'asc', unmapped_type: 'keyword' } }]);
  });

  it('fields never returns them', () => {
    expect(translate({ filters: {}, fields: ['phoneHash', 'id'] })._source).toEqual({ includes: ['phoneHash', 'id'], excludes: ['emailHash', 'phoneHash'] });
  });

  it('the email and phone filters still reach them, with the value hashed by the service', () => {
    expect(filterOf(translate({ filters: { email: 'a@b.co' } })).filter).toEqual([{ term: { emailHash: cipher.lookupHash('email', 'a@b.co') } }]);
  });
});
