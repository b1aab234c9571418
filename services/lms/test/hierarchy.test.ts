/** Course structures from hierarchy documents and the post-publish events that carry them (pure). */
import { describe, expect, it } from 'vitest';
import { deadLetterMessage, decodePostPublishEvent } from '../src/courses/events.ts';
import { COLLECTION_MIME_TYPE as COLLECTION, MAX_DEPTH, MAX_NODES, parseHierarchy, replacesStored } from '../src/courses/hierarchy.ts';

const unit = (identifier: string, children: unknown[]) => ({ identifier, mimeType: COLLECTION, children });
const content = (identifier: string, mimeType = 'video/mp4') => ({ identifier, mimeType });

describe('parseHierarchy', () => {
  it('finds leaf nodes, unit leaf nodes and ancestors, nearest unit first', () => {
    const tree = unit('do_c', [unit('u1', [content('a'), unit('u1.1', [content('b'), content('c', 'application/pdf')])]), unit('u2', [content('b')]), content('d')]);
    const parsed = parseHierarchy(tree, { name: 'C', channel: 'ch', status: 'Live', pkgVersion: 3 });
    expect(parsed).toEqual({
      ok: true,
      value: {
        courseId: 'do_c',
        name: 'C',
        channel: 'ch',
        status: 'Live',
        pkgVersion: 3,
        leafNodes: ['a', 'b', 'c', 'd'],
        unitLeafNodes: { u1: ['a', 'b', 'c'], 'u1.1': ['b', 'c'], u2: ['b'] },
        // b appears twice: both lines merged, each unit once.
        ancestors: { a: ['u1', 'do_c'], b: ['u1.1', 'u1', 'do_c', 'u2'], c: ['u1.1', 'u1', 'do_c'], d: ['do_c'] },
      },
    });
  });

  it('takes nodes with children and no mimeType for units, and an empty course', () => {
    const parsed = parseHierarchy({ identifier: 'do_c', name: 'Root name', children: [{ identifier: 'u', children: [{ identifier: 'x' }] }, { identifier: 'empty', children: [] }] });
    expect(parsed.ok && parsed.value).toMatchObject({ name: 'Root name', leafNodes: ['x'], unitLeafNodes: { u: ['x'], empty: [] }, ancestors: { x: ['u', 'do_c'] } });
    expect(parseHierarchy({ identifier: 'do_empty', mimeType: COLLECTION })).toMatchObject({ ok: true, value: { leafNodes: [], unitLeafNodes: {}, ancestors: {} } });
  });

  const deep = (levels: number): object => (levels === 1 ? content('leaf') : unit(`n${levels}`, [deep(levels - 1)]));
  const table: [string, unknown, RegExp][] = [
    ['not an object', 'x', /not an object/],
    ['a content, not a collection', content('do_v'), /not a collection/],
    ['no identifier', { mimeType: COLLECTION }, /hierarchy.identifier/],
    ['a bad child identifier', unit('do_c', [{ identifier: 'a b' }]), /children\[0\].identifier/],
    ['a child that is not an object', unit('do_c', [null]), /children\[0\] is not an object/],
    ['children that are not a list', { identifier: 'do_c', mimeType: COLLECTION, children: 'x' }, /children is not a list/],
    ['too deep', deep(MAX_DEPTH + 1), /deeper than/],
    ['too many nodes', unit('do_c', Array.from({ length: MAX_NODES }, (_, i) => content(`c${i}`))), /more than/],
  ];
  for (const [name, tree, error] of table) {
    it(`refuses ${name}`, () => {
      const parsed = parseHierarchy(tree);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    });
  }

  it('accepts the deepest allowed tree', () => {
    expect(parseHierarchy(deep(MAX_DEPTH)).ok).toBe(true);
  });

  it('lets only a newer or equal package version replace a stored one', () => {
    const table: [number | null, number | null, boolean][] = [
      [null, 1, true],
      [1, null, true],
      [2, 3, true],
      [3, 3, true],
      [3, 2, false],
    ];
    for (const [stored, incoming, want] of table) expect(replacesStored({ pkgVersion: stored }, { pkgVersion: incoming })).toBe(want);
    expect(replacesStored(null, { pkgVersion: 1 })).toBe(true);
  });
});

describe('post-publish events', () => {
  const event = (edata: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      eid: 'BE_JOB_REQUEST',
      context: { channel: 'ctx-channel' },
      object: { id: 'do_c', ver: '1' },
      edata: { action: 'post-publish-process', identifier: 'do_c', mimeType: COLLECTION, pkgVersion: 2, status: 'Live', name: 'Course', hierarchy: unit('do_c', [content('a')]), ...edata },
      ...extra,
    });

  it('applies a published collection with its hierarchy', () => {
    const decision = decodePostPublishEvent(event({}));
    expect(decision).toMatchObject({ kind: 'apply', structure: { courseId: 'do_c', channel: 'ctx-channel', name: 'Course', status: 'Live', pkgVersion: 2, leafNodes: ['a'] } });
    expect(decodePostPublishEvent(event({ action: 'relation-cache-update', channel: 'edata-channel', pkgVersion: '4' }))).toMatchObject({ kind: 'apply', structure: { channel: 'edata-channel', pkgVersion: 4 } });
    expect(decodePostPublishEvent(event({ identifier: undefined }))).toMatchObject({ kind: 'apply', structure: { courseId: 'do_c' } });
    expect(decodePostPublishEvent(event({ pkgVersion: undefined }))).toMatchObject({ kind: 'apply', structure: { pkgVersion: null } });
  });

  it('skips other actions and contents', () => {
    expect(decodePostPublishEvent(event({ action: 'publish' }))).toEqual({ kind: 'skip', reason: 'action publish' });
    expect(decodePostPublishEvent(event({ action: undefined }))).toEqual({ kind: 'skip', reason: 'action (none)' });
    expect(decodePostPublishEvent(event({ mimeType: 'video/mp4' }))).toEqual({ kind: 'skip', reason: 'mimeType video/mp4' });
  });

  it('finds the events it cannot use', () => {
    const table: [string | null, string][] = [
      [null, 'ERR_EVENT_FORMAT'],
      ['not json', 'ERR_EVENT_FORMAT'],
      ['[1,2]', 'ERR_EVENT_FORMAT'],
      [JSON.stringify({ eid: 'BE_JOB_REQUEST' }), 'ERR_EVENT_FORMAT'],
      [event({ identifier: undefined }, { object: {} }), 'ERR_EVENT_FORMAT'],
      [event({ hierarchy: undefined }), 'ERR_HIERARCHY_MISSING'],
      [event({ hierarchy: { identifier: 'do_c', children: [{}] } }), 'ERR_HIERARCHY_INVALID'],
      [event({ hierarchy: unit('do_other', []) }), 'ERR_HIERARCHY_INVALID'],
    ];
    for (const [raw, code] of table) expect(decodePostPublishEvent(raw)).toMatchObject({ kind: 'invalid', errorCode: code });
  });

  it('builds dead-letter messages as upstream jobs write failed events', () => {
    const source = { topic: 'dev.content.postpublish.request', partition: 0, offset: '7' };
    const at = new Date('2024-01-02T03:04:05.000Z');
    const failure = { errorCode: 'ERR_HIERARCHY_MISSING', error: 'edata.hierarchy is missing for do_c' };
    const failInfo = { ...failure, ...source, failedAt: '2024-01-02T03:04:05.000Z' };
    expect(deadLetterMessage('{"eid":"BE_JOB_REQUEST","edata":{}}', failure, source, at)).toEqual({ eid: 'BE_JOB_REQUEST', edata: {}, jobName: 'lms-course-structure', failInfo });
    expect(deadLetterMessage('oops', failure, source, at)).toEqual({ event: 'oops', jobName: 'lms-course-structure', failInfo });
    expect(deadLetterMessage(null, failure, source, at)).toEqual({ event: null, jobName: 'lms-course-structure', failInfo });
  });
});
