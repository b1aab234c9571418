import { describe, expect, it } from 'vitest';
import { groupByBatch, isRunning, lastPerContent, latestRead, mergeConsumption, parseSunbirdTime, splitContents, type ConsumptionState } from '../src/progress/decide.ts';
import { assessmentMessage, enrolmentSyncRequest, invalidStateMessage, progressInstruction } from '../src/progress/events.ts';
import { stateView } from '../src/progress/read.ts';
import { certificateObjectId, issueCertificateEvent } from '../src/certificates/issue-events.ts';

const NOW = new Date('2025-06-15T10:00:00Z');
const T1 = new Date('2025-06-01T00:00:00Z');
const T2 = new Date('2025-06-10T00:00:00Z');

const stored = (over: Partial<ConsumptionState>): ConsumptionState => ({
  contentId: 'do_1',
  status: 1,
  progress: 40,
  viewCount: 3,
  completedCount: null,
  lastAccessTime: T1,
  lastCompletedTime: null,
  lastUpdatedTime: T1,
  progressDetails: null,
  ...over,
});

describe('mergeConsumption', () => {
  it.each([
    ['first state, in progress: keeps the progress sent', { contentId: 'do_1', status: 1, progress: 30, lastAccessTime: T2 }, null, { status: 1, progress: 30, lastAccessTime: T2, lastCompletedTime: null }],
    ['first state without times: now', { contentId: 'do_1', status: 0 }, null, { status: 0, progress: 0, lastAccessTime: NOW, lastCompletedTime: null }],
    ['first state, completed', { contentId: 'do_1', status: 2, lastCompletedTime: T2 }, null, { status: 2, progress: 100, lastCompletedTime: T2 }],
    ['completed without a time: now', { contentId: 'do_1', status: 2 }, null, { status: 2, progress: 100, lastCompletedTime: NOW }],
    ['progress never goes down', { contentId: 'do_1', status: 1, progress: 10 }, stored({}), { status: 1, progress: 40 }],
    ['progress goes up', { contentId: 'do_1', status: 1, progress: 70 }, stored({}), { status: 1, progress: 70 }],
    ['status never goes back', { contentId: 'do_1', status: 0, progress: 0 }, stored({ status: 2, progress: 100, lastCompletedTime: T1 }), { status: 2, progress: 100, lastCompletedTime: T1 }],
    ['completion: progress 100, later completion time', { contentId: 'do_1', status: 2, lastCompletedTime: T2 }, stored({ status: 2, progress: 100, lastCompletedTime: T1 }), { status: 2, progress: 100, lastCompletedTime: T2 }],
    ['completion keeps the later stored time', { contentId: 'do_1', status: 2, lastCompletedTime: T1 }, stored({ status: 2, progress: 100, lastCompletedTime: T2 }), { lastCompletedTime: T2 }],
    ['access time: the later one', { contentId: 'do_1', status: 1, lastAccessTime: T2 }, stored({ lastAccessTime: T1 }), { lastAccessTime: T2 }],
    ['access time: an older one does not win', { contentId: 'do_1', status: 1, lastAccessTime: T1 }, stored({ lastAccessTime: T2 }), { lastAccessTime: T2 }],
    ['counts and details: sent ones win, stored ones stay', { contentId: 'do_1', status: 1, completedCount: 2 }, stored({ progressDetails: '{"a":1}' }), { viewCount: 3, completedCount: 2, progressDetails: '{"a":1}' }],
  ] as const)('%s', (_name, input, existing, expected) => {
    const merged = mergeConsumption(input, existing, NOW);
    expect(merged).toMatchObject({ contentId: 'do_1', lastUpdatedTime: NOW, ...expected });
  });

  it('latestRead picks the content accessed last', () => {
    expect(latestRead([stored({ contentId: 'a', lastAccessTime: T1 }), stored({ contentId: 'b', lastAccessTime: T2 }), stored({ contentId: 'c', lastAccessTime: null })])?.contentId).toBe('b');
    expect(latestRead([])).toBeNull();
  });
});

describe('batch and content checks', () => {
  it.each([
    ['started', { status: 1, startDate: '2025-06-01', endDate: null }, true],
    ['not started, start date reached', { status: 0, startDate: '2025-06-15', endDate: null }, true],
    ['not started, starts tomorrow', { status: 0, startDate: '2025-06-16', endDate: null }, false],
    ['completed', { status: 2, startDate: '2025-06-01', endDate: null }, false],
    ['ended yesterday', { status: 1, startDate: '2025-06-01', endDate: '2025-06-14' }, false],
    ['ends today', { status: 1, startDate: '2025-06-01', endDate: '2025-06-15' }, true],
  ] as const)('isRunning: %s', (_name, batch, expected) => {
    expect(isRunning(batch, '2025-06-15')).toBe(expected);
  });

  it('splits contents: other users, not enrolled, not a leaf', () => {
    const items = [{ contentId: 'a' }, { contentId: 'x' }, { contentId: 'b', userId: 'other' }, { contentId: 'b', userId: 'me' }];
    expect(splitContents(items, { userIds: ['me'], enrolled: true, leaves: new Set(['a', 'b']) })).toEqual({
      valid: [{ contentId: 'a' }, { contentId: 'b', userId: 'me' }],
      invalid: [
        { item: { contentId: 'x' }, reason: 'unknown-content' },
        { item: { contentId: 'b', userId: 'other' }, reason: 'other-user' },
      ],
    });
    expect(splitContents([{ contentId: 'a' }], { userIds: ['me'], enrolled: false, leaves: new Set(['a']) }).invalid[0]?.reason).toBe('not-enrolled');
    expect(splitContents([{ contentId: 'a' }], { userIds: ['me'], enrolled: true, leaves: null }).invalid[0]?.reason).toBe('unknown-content');
  });

  it('groups by batch and course, keeps the last state per content', () => {
    const groups = groupByBatch([
      { batchId: 'b1', courseId: 'c', contentId: 'a', n: 1 },
      { batchId: 'b2', courseId: 'c', contentId: 'a', n: 2 },
      { batchId: 'b1', courseId: 'c', contentId: 'a', n: 3 },
    ]);
    expect(groups.map((g) => [g.batchId, g.items.map((i) => i.n)])).toEqual([
      ['b1', [1, 3]],
      ['b2', [2]],
    ]);
    expect(lastPerContent(groups[0]!.items)).toEqual([{ batchId: 'b1', courseId: 'c', contentId: 'a', n: 3 }]);
  });

  it.each([
    ['2020-11-23 12:58:35:179+0000', '2020-11-23T12:58:35.179Z'],
    ['2020-11-23 18:28:35:179+0530', '2020-11-23T12:58:35.179Z'],
    ['2020-11-23 07:58:35:179-0500', '2020-11-23T12:58:35.179Z'],
    ['2020-11-23T12:58:35Z', null],
    [null, null],
  ])('parseSunbirdTime(%s)', (text, iso) => {
    expect(parseSunbirdTime(text)?.toISOString() ?? null).toBe(iso);
  });
});

describe('progress messages', () => {
  it("is upstream's batch-enrolment-update instruction", () => {
    expect(progressInstruction({ userId: 'u1', batchId: 'b1', courseId: 'c1', contents: [stored({ contentId: 'do_1', status: 2 })] }, { ets: 5, uuid: 'x' })).toEqual({
      eid: 'BE_JOB_REQUEST',
      ets: 5,
      mid: 'LP.5.x',
      actor: { id: 'Course Batch Updater', type: 'System' },
      context: { pdata: { id: 'org.sunbird.platform', ver: '1.0' } },
      object: { id: 'b1_u1', type: 'CourseBatchEnrolment' },
      edata: { userId: 'u1', batchId: 'b1', courseId: 'c1', contents: [{ contentId: 'do_1', status: 2 }], action: 'batch-enrolment-update', iteration: 1 },
    });
  });

  it('asks for an enrolment recomputation', () => {
    expect(enrolmentSyncRequest({ userId: 'u1', batchId: 'b1', courseId: 'c1' }, { ets: 5, uuid: 'x' })).toMatchObject({
      object: { id: 'b1_u1', type: 'CourseBatchEnrolment' },
      edata: { action: 'user-enrolment-sync', iteration: 1, batchId: 'b1', userId: 'u1', courseId: 'c1' },
    });
  });

  it('publishes an assessment for the user, with the events acted by them', () => {
    const message = assessmentMessage({ attemptId: 'a1', userId: 'someone', events: [{ eid: 'ASSESS', actor: { id: 'x', type: 'User' } }, { eid: 'ASSESS', actor: {} }, { eid: 'ASSESS' }] }, 'u1');
    expect(message).toEqual({ attemptId: 'a1', userId: 'u1', events: [{ eid: 'ASSESS', actor: { id: 'u1', type: 'User' } }, { eid: 'ASSESS', actor: {} }, { eid: 'ASSESS' }] });
  });

  it('names what was not recorded', () => {
    expect(invalidStateMessage({ validUserIds: ['u1'], invalidContents: [{ contentId: 'x', reason: 'unknown-content' }], invalidAssessments: [] }, 9)).toEqual({
      validUserIds: ['u1'],
      invalidContents: [{ contentId: 'x', reason: 'unknown-content' }],
      ets: 9,
    });
  });

  it("is upstream's issue-certificate instruction, one user each", () => {
    // SHA-256 of "b1_c1", as upstream's OneWayHashing.encryptVal.
    expect(certificateObjectId('b1', 'c1')).toBe('52b0228ab656495dafbdc3394f5e9366ac320b94f3603c57f4742a925e2c384a');
    expect(issueCertificateEvent({ batchId: 'b1', courseId: 'c1', userId: 'u1', reIssue: true }, { ets: 5, uuid: 'x' })).toEqual({
      eid: 'BE_JOB_REQUEST',
      ets: 5,
      mid: 'LP.5.x',
      actor: { id: 'Course Certificate Generator', type: 'System' },
      context: { pdata: { id: 'org.sunbird.platform', ver: '1.0' } },
      object: { id: certificateObjectId('b1', 'c1'), type: 'CourseCertificateGeneration' },
      edata: { userIds: ['u1'], batchId: 'b1', courseId: 'c1', action: 'issue-certificate', iteration: 1, reIssue: true },
    });
    expect((issueCertificateEvent({ batchId: 'b1', courseId: 'c1', userId: 'u1', reIssue: false }) as { edata: object }).edata).not.toHaveProperty('reIssue');
  });
});

describe('content state view', () => {
  it('shows times as Sunbird text and details parsed', () => {
    const view = stateView(
      { ...stored({ lastAccessTime: new Date(Date.UTC(2020, 10, 23, 12, 58, 35, 179)), progressDetails: '{"page":3}' }), userId: 'u', courseId: 'c', batchId: 'b', dateTime: null, completionPercentage: null },
      'UTC',
    );
    expect(view).toMatchObject({ contentId: 'do_1', courseId: 'c', collectionId: 'c', batchId: 'b', lastAccessTime: '2020-11-23 12:58:35:179+0000', progressdetails: { page: 3 } });
  });
});
