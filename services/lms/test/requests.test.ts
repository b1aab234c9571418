/** Pure request handling: batch search bodies, certificate templates, validation errors, batch ids. */
import { describe, expect, it } from 'vitest';
import { newBatchId } from '../src/batches/create.ts';
import { toBatchSearch } from '../src/batches/search.ts';
import { templateView, templatesView, toStoredTemplate, type TemplateRequest } from '../src/certificates/templates.ts';
import { courseOrCollectionReading, lmsValidation } from '../src/errors.ts';

describe('toBatchSearch', () => {
  it('turns filters into term, terms, range and absence clauses', () => {
    const body = toBatchSearch({
      filters: { collectionId: 'do_1', batchId: ['b1', 'b2'], startDate: { '>=': '2024-01-01', '<': '2024-02-01' }, enrollmentEndDate: null, status: 1, objectType: 'CourseBatch' },
    });
    expect(body).toEqual({
      from: 0,
      size: 100,
      track_total_hits: true,
      query: {
        bool: {
          filter: [{ term: { collectionId: 'do_1' } }, { terms: { batchId: ['b1', 'b2'] } }, { range: { startDate: { gte: '2024-01-01', lt: '2024-02-01' } } }, { term: { status: 1 } }],
          must_not: [{ exists: { field: 'enrollmentEndDate' } }],
        },
      },
    });
  });

  it('pages, sorts, selects fields and matches text', () => {
    const body = toBatchSearch({ filters: { id: 'b1' }, query: ' java  ', limit: 5, offset: 10, sort_by: { createdDate: 'DESC', identifier: 'asc' }, fields: ['name', 'identifier'] });
    expect(body).toMatchObject({
      from: 10,
      size: 5,
      sort: [{ createdDate: { order: 'desc', unmapped_type: 'keyword' } }, { identifier: { order: 'asc', unmapped_type: 'keyword' } }],
      _source: ['name', 'identifier'],
    });
    expect((body.query as { bool: { filter: object[] } }).bool.filter).toContainEqual({ multi_match: { query: 'java', fields: ['name.text', 'description.text'], operator: 'and' } });
  });

  it('keeps the page inside the engines\' window', () => {
    expect(toBatchSearch({ filters: {}, limit: 1000, offset: 9_500 })).toMatchObject({ from: 9_500, size: 500 });
    expect(toBatchSearch({ filters: {}, limit: null, offset: null, query: null, sort_by: null, fields: null })).toMatchObject({ from: 0, size: 100 });
  });
});

describe('certificate templates', () => {
  const request: TemplateRequest = {
    identifier: 't1',
    criteria: { enrollment: { status: '2' }, assessment: { score: { '>=': 50 } } },
    issuer: { name: 'Academy', publicKey: [7] },
    signatoryList: [{ name: 'N', id: 'I', designation: 'D', image: 'https://x/y.png' }],
    notifyTemplate: { subject: 'Done' },
  };

  it('stores objects as JSON text and numbers the completion status', () => {
    expect(toStoredTemplate(request)).toEqual({
      identifier: 't1',
      name: 't1',
      url: '',
      criteria: '{"enrollment":{"status":2},"assessment":{"score":{">=":50}}}',
      issuer: '{"name":"Academy","publicKey":[7]}',
      signatoryList: '[{"name":"N","id":"I","designation":"D","image":"https://x/y.png"}]',
      notifyTemplate: '{"subject":"Done"}',
    });
  });

  it('shows stored templates parsed, and unreadable fields as stored', () => {
    const view = templateView(toStoredTemplate({ ...request, name: 'Merit', url: 'https://x/t.svg' }));
    expect(view).toMatchObject({ name: 'Merit', url: 'https://x/t.svg', criteria: { enrollment: { status: 2 } }, issuer: { name: 'Academy' } });
    expect(templatesView({ t: { identifier: 't', criteria: '{broken' } })).toEqual({ t: { identifier: 't', criteria: '{broken' } });
  });
});

describe('lms validation errors', () => {
  const map = lmsValidation(courseOrCollectionReading);
  it("uses upstream's keys and wording", () => {
    expect(map({ kind: 'missing', field: 'courseId', path: 'request.courseId' })).toEqual({ err: 'MANDATORY_PARAMETER_MISSING', errmsg: 'Mandatory parameter courseId/collectionId is missing.' });
    expect(map({ kind: 'missing', field: 'courseId', path: 'request.batch.courseId' })).toEqual({ err: 'MANDATORY_PARAMETER_MISSING', errmsg: 'Mandatory parameter courseId is missing.' });
    expect(map({ kind: 'enum', field: 'enrollmentType', path: 'request.enrollmentType', value: 'join', expected: 'open, invite-only' })).toEqual({
      err: 'INVALID_PARAMETER_VALUE',
      errmsg: 'Invalid value join for parameter enrollmentType. Please provide a valid value.',
    });
    expect(map({ kind: 'format', field: 'endDate', path: 'request.endDate', value: '1/2/2024' })).toEqual({ err: 'DATE_FORMAT_ERRROR', errmsg: 'Date format error.' });
    expect(map({ kind: 'format', field: 'batchId', path: 'request.batchId', value: 'a b' })).toEqual({ err: 'DATA_FORMAT_ERROR', errmsg: 'Invalid format for given batchId.' });
    expect(map({ kind: 'unknown', field: 'participants', path: 'request.participants' })).toEqual({ err: 'INVALID_REQUEST_PARAMETER', errmsg: 'Invalid parameter participants in request.' });
  });
});

describe('batch ids', () => {
  it('are digits in time order, as upstream makes them', () => {
    const a = newBatchId(new Date(1_700_000_000_000), 7);
    const b = newBatchId(new Date(1_700_000_000_001), 9_999);
    expect(a).toBe('0117000000000000007');
    expect(b).toBe('0117000000000019999');
    expect(a < b).toBe(true);
  });
});
