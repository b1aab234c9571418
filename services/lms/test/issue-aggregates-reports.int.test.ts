/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- responses and messages are untyped JSON that the assertions walk */
/**
 * Certificate issue (instructions on `issue.certificate.request`), the collection summary and group
 * activity aggregates (read from seeded `user_activity_agg` rows, as the aggregate job writes them),
 * and report job requests in PostgreSQL, against the real servers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore } from '../src/batches/store.ts';
import { certificateObjectId } from '../src/certificates/issue-events.ts';
import { call, day, eventually, uid } from './helpers.ts';
import { startLearnerFixture, type LearnerFixture } from './learner-fixture.ts';
import { batchRequest, createBatch, seedWorld, type Actor, type World } from './world.ts';

let f: LearnerFixture;
let w: World;
let batchId: string;
let bare: string;
let learners: Actor[];

const issue = (token: string | undefined, request: Record<string, unknown>, query = '') => call(f, 'POST', `/v1/course/batch/cert/issue${query}`, { token, body: { request } });
const seedAgg = (userId: string, completedCount: number) =>
  f.db.execute(
    `INSERT INTO ${f.db.table('sunbird_courses', 'user_activity_agg')} (activity_type, activity_id, user_id, context_id, agg, agg_last_updated) VALUES ('Course', ?, ?, ?, ?, ?)`,
    [w.courseId, userId, `cb:${batchId}`, { completedCount }, { completedCount: new Date(Date.UTC(2025, 0, 1 + completedCount)) }],
  );

beforeAll(async () => {
  f = await startLearnerFixture(import.meta.url, { topics: ['issue.certificate.request'] });
  w = await seedWorld(f);
  batchId = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), createdFor: [w.rootOrg] }));
  bare = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), createdFor: [w.rootOrg] }));
  const store = new BatchStore(f.db, 'UTC');
  const { query, params } = store.addTemplate(w.courseId, batchId, 'tmpl_1', { identifier: 'tmpl_1', name: 'Completion', url: 'https://x/t.svg', criteria: '{"enrollment":{"status":2}}' }, new Date());
  await f.db.execute(query, params);
  learners = [];
  for (let i = 0; i < 3; i++) {
    const u = await f.caller(null, [], w.rootOrg);
    expect((await call(f, 'POST', '/v1/course/enroll', { token: u.token, body: { request: { courseId: w.courseId, batchId } } })).status).toBe(200);
    learners.push(u);
  }
  // One leaves: not a participant any more.
  await call(f, 'POST', '/v1/course/unenroll', { token: learners[2]!.token, body: { request: { courseId: w.courseId, batchId } } });
});
afterAll(async () => {
  await f?.close();
});

describe('certificate issue', () => {
  it("publishes one upstream-shaped instruction per active participant, keyed by the batch", async () => {
    const res = await issue(w.creator.token, { courseId: w.courseId, batchId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: 'api.course.batch.cert.issue',
      result: { result: { status: `Certificates issue action for Course Batch Id ${batchId} submitted Successfully!`, batchId, courseId: w.courseId, collectionId: w.courseId, userCount: 2 } },
    });
    const messages = await eventually(() => {
      const got = f.messages('issue.certificate.request', (m) => m.key === batchId);
      return Promise.resolve(got.length >= 2 ? got : undefined);
    });
    expect(messages.map((m) => m.value.edata.userIds[0]).sort()).toEqual([learners[0]!.id, learners[1]!.id].sort());
    expect(messages[0]!.value).toMatchObject({
      eid: 'BE_JOB_REQUEST',
      actor: { id: 'Course Certificate Generator', type: 'System' },
      object: { id: certificateObjectId(batchId, w.courseId), type: 'CourseCertificateGeneration' },
      edata: { batchId, courseId: w.courseId, action: 'issue-certificate', iteration: 1 },
    });
    expect(messages[0]!.value.edata).not.toHaveProperty('reIssue');
  });

  it('issues again to listed users on request', async () => {
    const res = await issue(w.admin.token, { collectionId: w.courseId, batchId, userIds: [learners[0]!.id] }, '?reIssue=true');
    expect(res.status).toBe(200);
    expect(res.body.result.result.userCount).toBe(1);
    const again = await eventually(() => Promise.resolve(f.messages('issue.certificate.request', (m) => m.value.edata.reIssue === true)[0]));
    expect(again.value.edata.userIds).toEqual([learners[0]!.id]);
  });

  it("answers upstream's refusals", async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ courseId: w.courseId, batchId: 'no_batch' }, 400, 'No such batchId exists'],
      [{ courseId: 'do_other', batchId }, 400, 'batchId is not linked with courseId'],
      [{ courseId: w.courseId, batchId: bare }, 400, `No certificate templates associated with ${bare}`],
    ];
    for (const [request, status, errmsg] of cases) {
      const res = await issue(w.creator.token, request);
      expect(res.status).toBe(status);
      expect(res.body.params.errmsg).toBe(errmsg);
    }
    expect((await issue(w.member.token, { courseId: w.courseId, batchId })).status).toBe(403);
    expect((await issue(w.otherCreator.token, { courseId: w.courseId, batchId })).status).toBe(403);
    expect((await issue(undefined, { courseId: w.courseId, batchId })).status).toBe(401);
    const missing = await issue(w.creator.token, { batchId });
    expect(missing.status).toBe(400);
    expect(missing.body.params.errmsg).toBe('Mandatory parameter courseId/collectionId is missing.');
    expect((await issue(w.creator.token, { courseId: w.courseId, batchId, userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`) })).status).toBe(400);
  });
});

describe('collection summary', () => {
  it('counts participants, starters and completers from the activity aggregates', async () => {
    await seedAgg(learners[0]!.id, 4);
    await seedAgg(learners[1]!.id, 1);
    await seedAgg(learners[2]!.id, 4); // unenrolled: not counted
    const res = await call(f, 'POST', '/v1/collection/summary', { token: w.mentor.token, body: { request: { filters: { collectionId: w.courseId, batchId } } } });
    // A mentor of the organisation who is not the batch's mentor does not manage it.
    expect(res.status).toBe(403);
    const ok = await call(f, 'POST', '/v1/collection/summary', { token: w.creator.token, body: { request: { filters: { collectionId: w.courseId, batchId }, granularity: 'ALL' } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.id).toBe('api.collection.summary');
    expect(ok.body.result).toMatchObject({
      collectionId: w.courseId,
      batchId,
      lastUpdatedOn: expect.any(Number),
      metrics: [
        { type: 'enrolment', count: 2 },
        { type: 'start', count: 2 },
        { type: 'complete', count: 1 },
      ],
    });
    expect(await f.redis.client.get(`bmetrics:${batchId}:ALL`)).not.toBeNull();
  });

  it('validates and refuses unknown batches', async () => {
    const missing = await call(f, 'POST', '/v1/collection/summary', { token: w.creator.token, body: { request: { filters: { batchId } } } });
    expect(missing.status).toBe(400);
    expect(missing.body.params.errmsg).toBe('Mandatory parameter courseId/collectionId is missing.');
    const unknown = await call(f, 'POST', '/v1/collection/summary', { token: w.creator.token, body: { request: { filters: { collectionId: w.courseId, batchId: 'nope' } } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.params.err).toBe('INVALID_COURSE_BATCH_ID');
    expect((await call(f, 'POST', '/v1/collection/summary', { token: w.creator.token, body: { request: { filters: { collectionId: w.courseId, batchId }, granularity: '7DAY' } } })).status).toBe(400);
    expect((await call(f, 'POST', '/v1/collection/summary', { body: { request: { filters: { collectionId: w.courseId, batchId } } } })).status).toBe(401);
  });
});

describe('group activity aggregates', () => {
  const groupId = uid('grp');
  const agg = (token: string | undefined, request: Record<string, unknown>) => call(f, 'POST', '/v1/group/activity/agg', { token, body: { request } });

  it('answers 404 while the groups tables do not exist', async () => {
    const res = await agg(learners[0]!.token, { groupId, activityId: w.courseId, activityType: 'Course' });
    expect(res.status).toBe(404);
  });

  it("shows members' progress to the group's members", async () => {
    const ks = f.db.keyspace('sunbird_groups');
    await f.db.execute(`CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
    await f.db.execute(
      `CREATE TABLE IF NOT EXISTS ${ks}.group_member (groupid text, userid text, createdby text, createdon timestamp, removedby text, removedon timestamp, role text, status text, updatedby text, updatedon timestamp, visited boolean, PRIMARY KEY (groupid, userid))`,
    );
    const members: [string, string, string][] = [
      [learners[0]!.id, 'admin', 'active'],
      [learners[1]!.id, 'member', 'active'],
      [learners[2]!.id, 'member', 'inactive'],
      [w.member.id, 'member', 'active'],
    ];
    for (const [userId, role, status] of members) {
      await f.db.execute(`INSERT INTO ${ks}.group_member (groupid, userid, role, status, createdby) VALUES (?, ?, ?, ?, ?)`, [groupId, userId, role, status, learners[0]!.id]);
    }
    const res = await agg(w.member.token, { groupId, activityId: w.courseId, activityType: 'Course' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.groupId).toBe(groupId);
    expect(res.body.result.activity).toEqual({ id: w.courseId, type: 'Course', agg: [{ metric: 'enrolmentCount', lastUpdatedOn: Date.UTC(2025, 0, 5), value: 2 }] });
    const byUser = Object.fromEntries((res.body.result.members as any[]).map((m) => [m.userId, m]));
    expect(Object.keys(byUser).sort()).toEqual([learners[0]!.id, learners[1]!.id].sort());
    expect(byUser[learners[0]!.id]).toEqual({ userId: learners[0]!.id, name: 'Test', role: 'admin', status: 'active', createdBy: learners[0]!.id, agg: [{ metric: 'completedCount', value: 4, lastUpdatedOn: Date.UTC(2025, 0, 5) }] });
  });

  it('refuses non-members, unknown groups and incomplete requests', async () => {
    expect((await agg(w.otherCreator.token, { groupId, activityId: w.courseId, activityType: 'Course' })).status).toBe(403);
    expect((await agg(learners[2]!.token, { groupId, activityId: w.courseId, activityType: 'Course' })).status).toBe(403);
    expect((await agg(w.sysadmin.token, { groupId, activityId: w.courseId, activityType: 'Course' })).status).toBe(200);
    expect((await agg(w.member.token, { groupId: 'no_group', activityId: w.courseId, activityType: 'Course' })).status).toBe(404);
    for (const [request, err] of [
      [{ activityId: 'a', activityType: 'Course' }, 'GROUP_ID_MISSING'],
      [{ groupId, activityType: 'Course' }, 'ACTIVITY_ID_MISSING'],
      [{ groupId, activityId: 'a' }, 'ACTIVITY_TYPE_MISSING'],
    ] as const) {
      const res = await agg(w.member.token, request);
      expect(res.status).toBe(400);
      expect(res.body.params.err).toBe(err);
    }
    expect((await agg(undefined, { groupId, activityId: w.courseId, activityType: 'Course' })).status).toBe(401);
  });
});

describe('report job requests', () => {
  const headers = (channel: string) => ({ 'x-channel-id': channel });
  const submit = (token: string | undefined, request: Record<string, unknown>, channel: string | null) =>
    call(f, 'POST', '/v1/jobrequest/submit', { token, body: { request }, ...(channel ? { headers: headers(channel) } : {}) });
  const tag = uid('tag');

  it('stores a request, and the same request again is the stored one', async () => {
    const request = { tag, dataset: 'progress-exhaust', datasetConfig: { batchId }, encryptionKey: 'zip-password' };
    const first = await submit(w.admin.token, request, w.rootOrg);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.result).toMatchObject({
      requestId: expect.stringMatching(/^[0-9A-F]{32}$/),
      tag: `${tag}:${w.rootOrg}`,
      dataset: 'progress-exhaust',
      requestedBy: w.admin.id,
      requestedChannel: w.rootOrg,
      status: 'SUBMITTED',
      datasetConfig: { batchId },
      attempts: 0,
      downloadUrls: [],
    });
    const again = await submit(w.admin.token, request, w.rootOrg);
    expect(again.body.result.requestId).toBe(first.body.result.requestId);
    expect(again.body.result.lastUpdated).toBe(first.body.result.lastUpdated);
    const rows = await f.pg.query<{ encryption_key: string }>('SELECT encryption_key FROM job_request WHERE tag = $1', [`${tag}:${w.rootOrg}`]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.encryption_key).toMatch(/^v1:/);
    expect(rows.rows[0]!.encryption_key).not.toContain('zip-password');

    const other = await submit(w.admin.token, { ...request, dataset: 'response-exhaust' }, w.rootOrg);
    expect(other.body.result.requestId).not.toBe(first.body.result.requestId);
    const list = await call(f, 'GET', `/v1/jobrequest/list/${tag}`, { token: w.admin.token, headers: headers(w.rootOrg) });
    expect(list.status).toBe(200);
    expect(list.body.result.count).toBe(2);
    expect(list.body.result.jobs.map((j: any) => j.dataset).sort()).toEqual(['progress-exhaust', 'response-exhaust']);
    expect((await call(f, 'GET', `/v1/jobrequest/list/${tag}?limit=1`, { token: w.admin.token, headers: headers(w.rootOrg) })).body.result.count).toBe(1);
  });

  it('submits a failed request again under the same id', async () => {
    const request = { tag, dataset: 'userinfo-exhaust', datasetConfig: { batchId } };
    const first = await submit(w.admin.token, request, w.rootOrg);
    await f.pg.query("UPDATE job_request SET status = 'FAILED', err_message = 'boom' WHERE request_id = $1", [first.body.result.requestId]);
    expect((await submit(w.admin.token, request, w.rootOrg)).body.result).toMatchObject({ requestId: first.body.result.requestId, status: 'SUBMITTED', statusMessage: null });
  });

  it('refuses callers without a report role in the channel, and incomplete requests', async () => {
    const request = { tag, dataset: 'progress-exhaust', datasetConfig: {} };
    expect((await submit(w.member.token, request, w.rootOrg)).status).toBe(403);
    expect((await submit(w.admin.token, request, w.otherRoot)).status).toBe(403);
    expect((await submit(w.admin.token, { ...request, requestedBy: w.member.id }, w.rootOrg)).status).toBe(403);
    expect((await submit(undefined, request, w.rootOrg)).status).toBe(401);
    expect((await submit(w.sysadmin.token, request, w.otherRoot)).status).toBe(200);
    const noChannel = await submit(w.admin.token, request, null);
    expect(noChannel.status).toBe(400);
    expect(noChannel.body.params.err).toBe('MANDATORY_PARAMETER_MISSING');
    for (const [body, field] of [
      [{ dataset: 'd', datasetConfig: {} }, 'tag'],
      [{ tag, datasetConfig: {} }, 'dataset'],
      [{ tag, dataset: 'd' }, 'datasetConfig'],
    ] as const) {
      const res = await submit(w.admin.token, body, w.rootOrg);
      expect(res.status).toBe(400);
      expect(res.body.params.errmsg).toBe(`Mandatory parameter ${field} is missing.`);
    }
    expect((await call(f, 'GET', `/v1/jobrequest/list/${tag}`, { token: w.member.token, headers: headers(w.rootOrg) })).status).toBe(403);
    expect((await call(f, 'GET', `/v1/jobrequest/list/nothing_here`, { token: w.admin.token, headers: headers(w.rootOrg) })).body.result).toEqual({ count: 0, jobs: [] });
  });
});
