import { describe, expect, it } from 'vitest';
import { parseBulkCsv, parseCsv } from '../src/enrolments/bulk-csv.ts';
import { bulkBatchProblem, completionPercentage, completionStatus, decideEnrol, decideUnenrol, isCompleted, type BatchRules, type EnrolmentState } from '../src/enrolments/decide.ts';
import { enrolmentAuditEvent } from '../src/enrolments/events.ts';
import { Memo } from '../src/enrolments/memo.ts';
import { activeEnrolments, byLastAccess, enrolmentView, fieldList, pickBatchFields } from '../src/enrolments/view.ts';
import type { EnrolmentRecord } from '../src/enrolments/store.ts';

const TODAY = '2025-06-15';
const open: BatchRules = { enrollmentType: 'open', status: 1, endDate: '2025-07-01', enrollmentEndDate: '2025-06-20' };
const invite: BatchRules = { ...open, enrollmentType: 'invite-only' };
const active: EnrolmentState = { active: true, status: 1, progress: 2 };
const inactive: EnrolmentState = { active: false, status: 1, progress: 2 };

describe('decideEnrol', () => {
  it.each([
    ['no batch', null, null, 'self', { kind: 'refuse', error: 'invalidCourseBatchId' }],
    ['unknown enrolment type', { ...open, enrollmentType: 'closed' }, null, 'self', { kind: 'refuse', error: 'enrolmentType' }],
    ['first enrolment', open, null, 'self', { kind: 'insert' }],
    ['enrolment type is case-insensitive', { ...open, enrollmentType: 'Open' }, null, 'self', { kind: 'insert' }],
    ['enrolled again after unenrolling', open, inactive, 'self', { kind: 'reactivate' }],
    ['already enrolled: one enrolment', open, active, 'self', { kind: 'unchanged' }],
    ['already enrolled, even once the batch ended', { ...open, status: 2 }, active, 'self', { kind: 'unchanged' }],
    ['batch completed', { ...open, status: 2 }, null, 'self', { kind: 'refuse', error: 'batchCompleted' }],
    ['batch ended yesterday', { ...open, endDate: '2025-06-14', enrollmentEndDate: null }, null, 'self', { kind: 'refuse', error: 'batchCompleted' }],
    ['batch ends today: still open', { ...open, endDate: TODAY, enrollmentEndDate: null }, null, 'self', { kind: 'insert' }],
    ['enrolment closed yesterday', { ...open, enrollmentEndDate: '2025-06-14' }, null, 'self', { kind: 'refuse', error: 'enrolmentEnded' }],
    ['enrolment closes today: still open', { ...open, enrollmentEndDate: TODAY }, null, 'self', { kind: 'insert' }],
    ['no end dates', { ...open, endDate: null, enrollmentEndDate: null }, null, 'self', { kind: 'insert' }],
    ['invite-only, by the user', invite, null, 'self', { kind: 'refuse', error: 'inviteOnly' }],
    ['invite-only, re-enrolling by the user', invite, inactive, 'self', { kind: 'refuse', error: 'inviteOnly' }],
    ['invite-only, by staff', invite, null, 'staff', { kind: 'insert' }],
    ['invite-only, staff after the enrolment end', { ...invite, enrollmentEndDate: '2025-06-01' }, null, 'staff', { kind: 'refuse', error: 'enrolmentEnded' }],
  ] as const)('%s', (_name, batch, enrolment, mode, expected) => {
    expect(decideEnrol(batch, enrolment, TODAY, mode)).toEqual(expected);
  });
});

describe('decideUnenrol', () => {
  it.each([
    ['no batch', null, active, 10, { kind: 'refuse', error: 'invalidCourseBatchId' }],
    ['enrolled, in progress', open, active, 10, { kind: 'deactivate' }],
    ['invite-only batches may be left', invite, active, 10, { kind: 'deactivate' }],
    ['after the enrolment end date', { ...open, enrollmentEndDate: '2025-06-01' }, active, 10, { kind: 'deactivate' }],
    ['never enrolled', open, null, 10, { kind: 'refuse', error: 'notEnrolled' }],
    ['unenrolled already', open, inactive, 10, { kind: 'refuse', error: 'notEnrolled' }],
    ['completed every leaf', open, { active: true, status: 1, progress: 10 }, 10, { kind: 'refuse', error: 'batchCompleted' }],
    ['stored as completed, structure unknown', open, { active: true, status: 2, progress: 3 }, 0, { kind: 'refuse', error: 'batchCompleted' }],
    ['batch over', { ...open, status: 2 }, active, 10, { kind: 'refuse', error: 'batchCompleted' }],
  ] as const)('%s', (_name, batch, enrolment, leaves, expected) => {
    expect(decideUnenrol(batch, enrolment, TODAY, leaves)).toEqual(expected);
  });
});

describe('completion', () => {
  it.each([
    [0, 10, 0, 0],
    [1, 10, 1, 10],
    [3, 7, 1, 42],
    [10, 10, 2, 100],
    [12, 10, 2, 100],
    [1, 0, 2, 100],
  ])('%i of %i leaves: status %i, %i%%', (progress, leaves, status, percent) => {
    expect(completionStatus(progress, leaves)).toBe(status);
    expect(completionPercentage(progress, leaves)).toBe(percent);
  });

  it('reads completion from the leaves when known, else from the stored status', () => {
    expect(isCompleted({ active: true, status: 2, progress: 1 }, 5)).toBe(false);
    expect(isCompleted({ active: true, status: 1, progress: 5 }, 5)).toBe(true);
    expect(isCompleted({ active: true, status: 2, progress: 0 }, 0)).toBe(true);
  });
});

describe('bulkBatchProblem', () => {
  it.each([
    [null, 'invalidCourseBatchId'],
    [{ ...open, createdFor: ['o1'] }, 'enrolmentType'],
    [{ ...invite, createdFor: [] }, 'createdForNull'],
    [{ ...invite, createdFor: ['o1'] }, null],
  ] as const)('%j -> %s', (batch, expected) => {
    expect(bulkBatchProblem(batch)).toBe(expected);
  });
});

describe('bulk CSV', () => {
  it('reads quoted cells, doubled quotes, CRLF and blank lines', () => {
    expect(parseCsv('a,"b,c"\r\n\r\n"d""e",f\n')).toEqual([
      ['a', 'b,c'],
      ['d"e', 'f'],
    ]);
    expect(parseCsv('a,"b')).toBeNull();
  });

  it.each([
    ['', { ok: false, error: 'emptyCsv', args: [] }],
    ['batchId,userIds\n', { ok: false, error: 'noDataRows', args: [] }],
    ['batchId,users\nb1,u1', { ok: false, error: 'invalidColumns', args: ['users', 'batchId, userIds'] }],
    ['batchId\nb1', { ok: false, error: 'invalidColumns', args: ['userIds', 'batchId, userIds'] }],
    ['batchId,"userIds\nb1,u1', { ok: false, error: 'invalidCsv', args: [] }],
    ['BatchId, userIds\nb1,"u1, u2,u1"\n,u3', { ok: true, rows: [{ batchId: 'b1', userIds: ['u1', 'u2'] }, { batchId: '', userIds: ['u3'] }] }],
    ['userIds,batchId\n"u1,u2",b1', { ok: true, rows: [{ batchId: 'b1', userIds: ['u1', 'u2'] }] }],
    ['batchId,userIds\nb1,"u1,u2,u3"\nb2,"u4"', { ok: false, error: 'dataSizeExceeded', args: ['3 user ids'] }],
  ] as const)('%j', (csv, expected) => {
    expect(parseBulkCsv(csv, 3)).toEqual(expected);
  });
});

describe('enrolment audit event', () => {
  it("is upstream's AUDIT event of enrol, counted per batch and course", () => {
    expect(enrolmentAuditEvent({ change: 'enrol', userId: 'u1', courseId: 'c1', batchId: 'b1', actorId: 'u1', channel: 'ch', ets: 7, mid: 'm' })).toEqual({
      eid: 'AUDIT',
      ets: 7,
      ver: '3.0',
      mid: 'LMS.m',
      actor: { id: 'u1', type: 'User' },
      context: {
        channel: 'ch',
        pdata: { id: 'org.sunbird.lms', pid: 'lms-service', ver: '1.0' },
        env: 'CourseBatch',
        cdata: [
          { id: 'c1', type: 'Course' },
          { id: 'b1', type: 'CourseBatch' },
        ],
        rollup: {},
      },
      object: { id: 'u1', type: 'User', rollup: { l1: 'c1' } },
      edata: { state: 'Create', type: 'enrol', props: ['userId', 'courseId', 'batchId', 'enrolledDate', 'active'] },
    });
  });

  it('updates for re-enrolment and unenrolment', () => {
    const again = enrolmentAuditEvent({ change: 'reenrol', userId: 'u1', courseId: 'c1', batchId: 'b1', actorId: 'a' }) as { edata: { state: string; type: string }; actor: { id: string } };
    const left = enrolmentAuditEvent({ change: 'unenrol', userId: 'u1', courseId: 'c1', batchId: 'b1', actorId: 'u1' }) as { edata: { state: string; type: string } };
    expect(again.edata).toMatchObject({ state: 'Update', type: 'enrol' });
    expect(again.actor.id).toBe('a');
    expect(left.edata).toMatchObject({ state: 'Update', type: 'unenrol' });
  });
});

const record = (over: Partial<EnrolmentRecord>): EnrolmentRecord => ({
  userId: 'u1',
  courseId: 'c1',
  batchId: 'b1',
  active: true,
  addedBy: 'u1',
  status: 0,
  progress: 0,
  completedOn: null,
  completionPercentage: null,
  contentStatus: {},
  dateTime: null,
  enrolledDate: null,
  oldEnrolledDate: null,
  issuedCertificates: [],
  certificates: [],
  lastContentAccessTime: null,
  lastReadContentId: null,
  lastReadContentStatus: null,
  ...over,
});

describe('course list', () => {
  it('keeps active enrolments, newest enrolment first, undated last, up to the limit', () => {
    const list = activeEnrolments(
      [
        record({ batchId: 'old', enrolledDate: new Date(1000) }),
        record({ batchId: 'gone', active: false, enrolledDate: new Date(5000) }),
        record({ batchId: 'undated' }),
        record({ batchId: 'new', enrolledDate: new Date(3000) }),
      ],
      3,
    );
    expect(list.map((r) => r.batchId)).toEqual(['new', 'old', 'undated']);
    expect(activeEnrolments(list, 1).map((r) => r.batchId)).toEqual(['new']);
  });

  it('computes completion from the course leaves and shows the course', () => {
    const view = enrolmentView(record({ progress: 1, enrolledDate: new Date(Date.UTC(2020, 6, 8, 7, 1, 36, 100)) }), { courseId: 'c1', name: 'Course', channel: 'ch', status: 'Live', leafNodes: ['a', 'b'] }, 'UTC');
    expect(view).toMatchObject({ status: 1, completionPercentage: 50, leafNodesCount: 2, courseName: 'Course', collectionId: 'c1', contentId: 'c1', enrolledDate: '2020-07-08 07:01:36:100+0000' });
    expect(view.content).toMatchObject({ identifier: 'c1', leafNodes: ['a', 'b'] });
    expect(enrolmentView(record({}), null, 'UTC')).toMatchObject({ courseName: null, leafNodesCount: 0, content: { identifier: 'c1' } });
  });

  it('orders by last access, never-accessed last in their order', () => {
    const views = [record({ batchId: 'x' }), record({ batchId: 'y', lastContentAccessTime: new Date(1) }), record({ batchId: 'z', lastContentAccessTime: new Date(9) })].map((r) =>
      enrolmentView(r, null, 'UTC'),
    );
    expect(byLastAccess(views).map((v) => v.batchId)).toEqual(['z', 'y', 'x']);
  });

  it('picks requested batch fields with the ids', () => {
    expect(fieldList(' name,, endDate ')).toEqual(['name', 'endDate']);
    expect(pickBatchFields({ batchId: 'b', identifier: 'b', name: 'N', endDate: null, mentors: [] }, ['name', 'endDate', 'nope'])).toEqual({ name: 'N', endDate: null, batchId: 'b', identifier: 'b' });
  });
});

describe('Memo', () => {
  it('keeps a value for its time to live, shares loads, forgets failures, and evicts the oldest past capacity', async () => {
    let clock = 0;
    const loads: string[] = [];
    let fail = false;
    const memo = new Memo(
      (key: string) => {
        loads.push(key);
        return fail ? Promise.reject(new Error('down')) : Promise.resolve(`${key}@${clock}`);
      },
      { ttlMs: 100, capacity: 2, now: () => clock },
    );
    expect(await Promise.all([memo.get('a'), memo.get('a')])).toEqual(['a@0', 'a@0']);
    clock = 99;
    expect(await memo.get('a')).toBe('a@0');
    clock = 100;
    expect(await memo.get('a')).toBe('a@100');
    expect(loads).toEqual(['a', 'a']);

    fail = true;
    await expect(memo.get('b')).rejects.toThrow('down');
    fail = false;
    expect(await memo.get('b')).toBe('b@100');
    await memo.get('c');
    await memo.get('a');
    expect(loads).toEqual(['a', 'a', 'b', 'b', 'c', 'a']);
  });
});
