import { describe, expect, it } from 'vitest';
import { collectionMetrics, groupActivityAggregates, memberAggs } from '../src/aggregates/summarize.ts';
import type { ActivityAgg } from '../src/aggregates/store.ts';
import { decideSubmit, jobView, mayUseReports, requestIdOf, storedTag, type JobRequestRow } from '../src/reports/requests.ts';

const agg = (userId: string, completedCount: number, contextId = 'cb:b1', updated = 1000): ActivityAgg => ({
  userId,
  contextId,
  agg: { completedCount },
  aggregates: {},
  lastUpdated: { completedCount: new Date(updated) },
});

describe('collection summary', () => {
  it('counts active participants, starters and completers against the leaf count', () => {
    const metrics = collectionMetrics(['u1', 'u2', 'u3', 'u4'], [agg('u1', 0), agg('u2', 1), agg('u3', 3), agg('u4', 5), agg('gone', 5)], 3);
    expect(metrics).toEqual([
      { type: 'enrolment', count: 4 },
      { type: 'start', count: 3 },
      { type: 'complete', count: 2 },
    ]);
  });

  it('completes nobody while the course structure is unknown', () => {
    expect(collectionMetrics(['u1'], [agg('u1', 4)], 0)).toContainEqual({ type: 'complete', count: 0 });
    expect(collectionMetrics([], [], 3)).toContainEqual({ type: 'enrolment', count: 0 });
  });
});

describe('group activity aggregates', () => {
  const members = [
    { userId: 'u1', role: 'admin', status: 'active', createdBy: 'u1' },
    { userId: 'u2', role: 'member', status: 'active', createdBy: 'u1' },
    { userId: 'u3', role: 'member', status: 'active', createdBy: 'u1' },
  ];

  it("lists members with aggregates, each from the context updated last, and the activity's enrolment count", () => {
    const result = groupActivityAggregates(
      {
        groupId: 'g1',
        activityId: 'c1',
        activityType: 'Course',
        members,
        aggs: [agg('u1', 1, 'cb:b1', 1000), agg('u1', 4, 'cb:b2', 3000), { ...agg('u2', 2, 'cb:b1', 2000), aggregates: { score: 7.5 } }],
        names: new Map([['u1', 'Asha Rao']]),
      },
      99,
    );
    expect(result).toEqual({
      groupId: 'g1',
      activity: { id: 'c1', type: 'Course', agg: [{ metric: 'enrolmentCount', lastUpdatedOn: 3000, value: 2 }] },
      members: [
        { userId: 'u1', name: 'Asha Rao', role: 'admin', status: 'active', createdBy: 'u1', agg: [{ metric: 'completedCount', value: 4, lastUpdatedOn: 3000 }] },
        {
          userId: 'u2',
          name: null,
          role: 'member',
          status: 'active',
          createdBy: 'u1',
          agg: [
            { metric: 'completedCount', value: 2, lastUpdatedOn: 2000 },
            { metric: 'score', value: 7.5, lastUpdatedOn: null },
          ],
        },
      ],
    });
  });

  it('answers an activity nobody started with no members, updated now', () => {
    const result = groupActivityAggregates({ groupId: 'g1', activityId: 'c1', activityType: 'Course', members, aggs: [], names: new Map() }, 99);
    expect(result.activity.agg).toEqual([{ metric: 'enrolmentCount', lastUpdatedOn: 99, value: 0 }]);
    expect(result.members).toEqual([]);
    expect(memberAggs({ ...agg('u', 1), agg: {} })).toEqual([]);
  });
});

describe('report requests', () => {
  const key = { tag: 'c1_b1', dataset: 'progress-exhaust', requestedBy: 'u1', channel: 'ch1', datasetConfig: { batchId: 'b1' } };
  const day = new Date('2025-06-15T08:00:00Z');

  it('derives the request id from dataset, tag, requester, channel and day (and the config type)', () => {
    // MD5 of "progress-exhaust|c1_b1|u1|ch1|2025-06-15", upper-case hex.
    expect(requestIdOf(key, day)).toBe('E788A66DC828BE3657A5DCED66A96A37');
    expect(requestIdOf(key, new Date('2025-06-15T23:59:59Z'))).toBe(requestIdOf(key, day));
    expect(requestIdOf(key, new Date('2025-06-16T00:00:00Z'))).not.toBe(requestIdOf(key, day));
    expect(requestIdOf({ ...key, datasetConfig: { batchId: 'other' } }, day)).toBe(requestIdOf(key, day));
    expect(requestIdOf({ ...key, datasetConfig: { type: 'assessment' } }, day)).not.toBe(requestIdOf(key, day));
    for (const change of [{ tag: 'x' }, { dataset: 'x' }, { requestedBy: 'x' }, { channel: 'x' }]) expect(requestIdOf({ ...key, ...change }, day)).not.toBe(requestIdOf(key, day));
    expect(storedTag('c1_b1', 'ch1')).toBe('c1_b1:ch1');
  });

  it.each([
    [null, 'insert'],
    [{ status: 'SUBMITTED' }, 'existing'],
    [{ status: 'PROCESSING' }, 'existing'],
    [{ status: 'SUCCESS' }, 'existing'],
    [{ status: 'FAILED' }, 'resubmit'],
  ] as const)('decideSubmit(%j) = %s', (stored, expected) => {
    expect(decideSubmit(stored)).toBe(expected);
  });

  it('shows a request as upstream does', () => {
    const row: JobRequestRow = {
      tag: 'c1_b1:ch1',
      requestId: 'R',
      jobId: 'progress-exhaust',
      status: 'SUCCESS',
      requestData: { batchId: 'b1' },
      requestedBy: 'u1',
      requestedChannel: 'ch1',
      submittedAt: new Date(1000),
      downloadUrls: ['https://x/y.zip'],
      completedAt: new Date(5000),
      executionTime: 4,
      errMessage: null,
      iteration: 1,
    };
    expect(jobView(row, new Date(0))).toEqual({
      requestId: 'R',
      tag: 'c1_b1:ch1',
      dataset: 'progress-exhaust',
      requestedBy: 'u1',
      requestedChannel: 'ch1',
      status: 'SUCCESS',
      lastUpdated: 5000,
      datasetConfig: { batchId: 'b1' },
      attempts: 1,
      jobStats: { dtJobSubmitted: 1000, dtJobCompleted: 5000, executionTime: 4 },
      downloadUrls: ['https://x/y.zip'],
      expiresAt: 30 * 60_000,
      statusMessage: null,
    });
    expect(jobView({ ...row, status: 'SUBMITTED', completedAt: null }, new Date(0))).toMatchObject({ lastUpdated: 1000, downloadUrls: [], jobStats: { dtJobCompleted: null } });
  });

  it.each([
    [[{ role: 'ORG_ADMIN', orgIds: ['ch1'] }], true],
    [[{ role: 'REPORT_VIEWER', orgIds: ['ch1'] }], true],
    [[{ role: 'ORG_ADMIN', orgIds: ['other'] }], false],
    [[{ role: 'PUBLIC', orgIds: ['ch1'] }], false],
    [[{ role: 'SYSTEM_ADMINISTRATION', orgIds: ['*'] }], true],
    [[{ role: 'SYSTEM_ADMINISTRATION', orgIds: ['other'] }], false],
  ])('mayUseReports(%j)', (grants, expected) => {
    expect(mayUseReports(grants, 'ch1')).toBe(expected);
  });
});
