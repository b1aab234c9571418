/**
 * Pure parts of the consent/terms/declarations/managed/bulk routes: CSV reading, column rules,
 * superseded declarations, sorting of managed users, multipart fields, acceptance entries.
 */
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/bulk/csv.ts';
import { checkHeader, columnRules, rowRecord } from '../src/bulk/columns.ts';
import { requestFromForm } from '../src/bulk/plugin.ts';
import { supersededBy } from '../src/declarations/operations.ts';
import { sortViews } from '../src/users/managed-operations.ts';
import { acceptanceOf, tncTarget } from '../src/tnc/operations.ts';

describe('parseCsv', () => {
  it('reads quotes, escaped quotes, line breaks in quotes, CRLF and a byte-order mark', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n"multi\nline",\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', ''],
    ]);
  });

  it('skips lines whose cells are all empty and keeps a last line without a break', () => {
    expect(parseCsv('a,b\n,\n\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('')).toEqual([]);
  });
});

describe('column rules', () => {
  it('checks location headers: every column mandatory, case-sensitive', () => {
    const rules = columnRules('location', null);
    expect(checkHeader(['code', 'name', 'parentCode', 'parentId'], rules, 'P')).toEqual(['code', 'name', 'parentCode', 'parentId']);
    expect(() => checkHeader(['code', 'name', 'parentCode'], rules, 'P')).toThrow('Mandatory parameter parentId is missing.');
    expect(() => checkHeader(['Code', 'name', 'parentCode', 'parentId'], rules, 'P')).toThrow('Mandatory parameter code is missing.');
  });

  it('maps display names of a profile config without regard to case, and checks its mandatory fields', () => {
    const setting = JSON.stringify({ csv: { supportedColumns: { NAME: 'firstName', 'MOBILE PHONE': 'phone' }, mandatoryColumns: ['firstName'] } });
    const rules = columnRules('user', setting);
    expect(checkHeader(['name', ' Mobile Phone ', 'FIRSTNAME'], rules, 'P')).toEqual(['firstName', 'phone', 'firstName']);
    expect(() => checkHeader(['mobile phone'], rules, 'P')).toThrow('Mandatory parameter firstName is missing.');
    expect(() => checkHeader(['name', 'email'], rules, 'P')).toThrow(/^Invalid column: email\. Valid columns are: name, firstname, mobile phone, phone\.$/);
  });

  it('falls back to the fixed fields when the setting is missing or unreadable', () => {
    expect(columnRules('organisation', '{not json').allowed).toContain('orgName');
    expect(rowRecord(['a', 'b', 'c'], [' 1 ', '', 'x'])).toEqual({ a: '1', b: null, c: 'x' });
    expect(rowRecord(['a', 'b'], ['1'])).toEqual({ a: '1' });
  });
});

describe('supersededBy', () => {
  const existing = [
    { orgId: 'o1', persona: 'teacher' },
    { orgId: 'o2', persona: 'volunteer' },
    { orgId: 'o3', persona: 'teacher' },
  ];
  it('drops the same organisation with another persona first', () => {
    expect(supersededBy({ orgId: 'o1', persona: 'volunteer' }, existing)).toEqual([{ orgId: 'o1', persona: 'teacher' }]);
  });
  it('then the same persona in other organisations, then everything else', () => {
    expect(supersededBy({ orgId: 'o9', persona: 'teacher' }, existing)).toEqual([
      { orgId: 'o1', persona: 'teacher' },
      { orgId: 'o3', persona: 'teacher' },
    ]);
    expect(supersededBy({ orgId: 'o9', persona: 'parent' }, existing)).toEqual(existing);
    expect(supersededBy({ orgId: 'o2', persona: 'volunteer' }, [{ orgId: 'o2', persona: 'volunteer' }])).toEqual([]);
  });
});

describe('sortViews', () => {
  it('sorts by a dotted field, case-insensitively, missing values last', () => {
    const views = [{ id: '1', p: { n: 'b' } }, { id: '2' }, { id: '3', p: { n: 'A' } }];
    expect(sortViews(views, { field: 'p.n', order: 'asc' }).map((v) => v.id)).toEqual(['3', '1', '2']);
    expect(sortViews(views, { field: 'p.n', order: 'desc' }).map((v) => v.id)).toEqual(['1', '3', '2']);
  });
});

describe('requestFromForm', () => {
  it('takes the first file part as data and text fields as they are', () => {
    expect(requestFromForm({ type: 'state', upload: Buffer.from('a,b\n'), other: [Buffer.from('ignored')] })).toEqual({ request: { type: 'state', data: 'a,b\n' } });
    expect(requestFromForm({ data: 'x' })).toEqual({ request: { data: 'x' } });
  });
});

describe('terms acceptance helpers', () => {
  it('reads stored acceptance entries defensively', () => {
    expect(acceptanceOf(JSON.stringify({ version: 'v1', tncAcceptedOn: 't' }))).toEqual({ version: 'v1', tncAcceptedOn: 't' });
    expect(acceptanceOf('nope')).toBeNull();
    expect(acceptanceOf(undefined)).toBeNull();
  });
  it('targets the named user, else whom the caller acts for', () => {
    expect(tncTarget({ effectiveUserId: 'child' }, {})).toBe('child');
    expect(tncTarget({ effectiveUserId: 'me' }, { userId: 'other' })).toBe('other');
  });
});
