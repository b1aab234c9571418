/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- responses and messages are untyped JSON that the assertions walk */
/**
 * Progress against the real servers: content state updates recorded per batch and user with
 * upstream's rules and codes, the progress instruction on `coursebatch.job.request` in upstream's
 * shape, refused contents on `contentstate.invalid`, assessment attempts on `telemetry.assess`, the
 * enrolment recomputation request, reads with assessment scores, and upstream's examples replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore } from '../src/batches/store.ts';
import { call, day, eventually, uid } from './helpers.ts';
import { startLearnerFixture, type LearnerFixture } from './learner-fixture.ts';
import { fill, upstream } from './replay.ts';
import { batchRequest, createBatch, seedWorld, type Actor, type World } from './world.ts';

let f: LearnerFixture;
let w: World;
let batchId: string;
let learner: Actor;
let leaves: string[];

const update = (token: string | undefined, request: Record<string, unknown>) => call(f, 'PATCH', '/v1/content/state/update', { token, body: { request } });
const read = (token: string | undefined, request: Record<string, unknown>) => call(f, 'POST', '/v1/content/state/read', { token, body: { request } });
const state = (contentId: string, status: number, extra: Record<string, unknown> = {}) => ({ contentId, batchId, courseId: w.courseId, status, ...extra });
const consumption = async (userId: string, contentId: string) =>
  (await f.db.execute(`SELECT status, progress, last_access_time FROM ${f.db.table('sunbird_courses', 'user_content_consumption')} WHERE userid = ? AND collectionid = ? AND contextid = ? AND contentid = ?`, [userId, w.courseId, batchId, contentId])).first();

async function enrolled(): Promise<Actor> {
  const u = await f.caller(null, [], w.rootOrg);
  const res = await call(f, 'POST', '/v1/course/enroll', { token: u.token, body: { request: { courseId: w.courseId, batchId } } });
  expect(res.status).toBe(200);
  return u;
}

beforeAll(async () => {
  f = await startLearnerFixture(import.meta.url, { topics: ['coursebatch.job.request', 'contentstate.invalid', 'telemetry.assess', 'batch.enrolment.sync.request'] });
  w = await seedWorld(f);
  batchId = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), createdFor: [w.rootOrg] }));
  leaves = [1, 2].flatMap((u) => [1, 2].map((c) => `${w.courseId}_u${u}_c${c}`));
  learner = await enrolled();
});
afterAll(async () => {
  await f?.close();
});

describe('content state update', () => {
  it('records the state and publishes the progress instruction in upstream shape', async () => {
    const res = await update(learner.token, { userId: learner.id, contents: [state(leaves[0]!, 1, { lastAccessTime: '2025-01-02 10:00:00:000+0000', progress: 30 }), state(leaves[1]!, 2)] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.content.state.update', responseCode: 'OK', result: { [leaves[0]!]: 'SUCCESS', [leaves[1]!]: 'SUCCESS' } });
    expect((await consumption(learner.id, leaves[0]!))?.get('progress')).toBe(30);
    expect((await consumption(learner.id, leaves[1]!))?.get('progress')).toBe(100);

    const message = await eventually(() => Promise.resolve(f.messages('coursebatch.job.request', (m) => m.key === learner.id)[0]));
    expect(message.value).toEqual({
      eid: 'BE_JOB_REQUEST',
      ets: expect.any(Number),
      mid: expect.stringMatching(/^LP\.\d+\.[0-9a-f-]{36}$/),
      actor: { id: 'Course Batch Updater', type: 'System' },
      context: { pdata: { id: 'org.sunbird.platform', ver: '1.0' } },
      object: { id: `${batchId}_${learner.id}`, type: 'CourseBatchEnrolment' },
      edata: {
        userId: learner.id,
        batchId,
        courseId: w.courseId,
        contents: [
          { contentId: leaves[0], status: 1 },
          { contentId: leaves[1], status: 2 },
        ],
        action: 'batch-enrolment-update',
        iteration: 1,
      },
    });
    const enrolment = (await f.db.execute(`SELECT lastreadcontentid FROM ${f.db.table('sunbird_courses', 'user_enrolments')} WHERE userid = ? AND courseid = ? AND batchid = ?`, [learner.id, w.courseId, batchId])).first();
    expect(leaves.slice(0, 2)).toContain(enrolment?.get('lastreadcontentid'));
  });

  it('never moves a state back, and a retried update is answered the same', async () => {
    const body = { contents: [state(leaves[1]!, 1, { progress: 10 })] };
    const first = await update(learner.token, body);
    const again = await update(learner.token, body);
    expect(first.body.result).toEqual({ [leaves[1]!]: 'SUCCESS' });
    expect(again.body.result).toEqual(first.body.result);
    const row = await consumption(learner.id, leaves[1]!);
    expect([row?.get('status'), row?.get('progress')]).toEqual([2, 100]);
  });

  it('sends unknown contents, unenrolled users and other users to contentstate.invalid without recording them', async () => {
    const stranger = await f.caller(null, [], w.rootOrg);
    const res = await update(learner.token, { contents: [state('do_not_in_course', 2), state(leaves[2]!, 1, { userId: w.member.id }), state(leaves[3]!, 1)] });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual({ [leaves[3]!]: 'SUCCESS' });
    expect(await consumption(learner.id, 'do_not_in_course')).toBeNull();
    expect(await consumption(w.member.id, leaves[2]!)).toBeNull();
    const invalid = await eventually(() => Promise.resolve(f.messages('contentstate.invalid', (m) => m.value.validUserIds?.includes(learner.id))[0]));
    expect(invalid.value).toMatchObject({ validUserIds: [learner.id], ets: expect.any(Number) });
    expect(invalid.value.invalidContents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contentId: 'do_not_in_course', userId: learner.id, reason: 'unknown-content' }),
        expect.objectContaining({ contentId: leaves[2], userId: w.member.id, reason: 'other-user' }),
      ]),
    );

    const notEnrolled = await update(stranger.token, { contents: [state(leaves[0]!, 2)] });
    expect(notEnrolled.body.result).toEqual({});
    expect(await consumption(stranger.id, leaves[0]!)).toBeNull();
    const refused = await eventually(() => Promise.resolve(f.messages('contentstate.invalid', (m) => m.value.validUserIds?.includes(stranger.id))[0]));
    expect(refused.value.invalidContents[0]).toMatchObject({ contentId: leaves[0], reason: 'not-enrolled' });
  });

  it('lists batches that do not exist or are not running', async () => {
    const store = new BatchStore(f.db, 'UTC');
    const ended = uid('ended');
    const { query, params } = store.insert({
      courseId: w.courseId, batchId: ended, name: 'Ended', description: null, enrollmentType: 'open', startDate: day(-30), endDate: day(-1), enrollmentEndDate: null,
      createdFor: [w.rootOrg], mentors: [], status: 1, createdBy: w.creator.id, createdDate: new Date(), updatedDate: null, tandc: null, certTemplates: {},
    });
    await f.db.execute(query, params);
    const res = await update(learner.token, { contents: [{ ...state(leaves[0]!, 2), batchId: 'no_such_batch' }, { ...state(leaves[0]!, 2), batchId: ended }] });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual({ BATCH_NOT_EXISTS: ['no_such_batch'], NOT_A_ON_GOING_BATCH: [ended] });
  });

  it.each([
    ['a content without contentId', { contents: [{ batchId: 'b', courseId: 'c', status: 1 }] }, 'CONTENT_ID_REQUIRED_ERROR'],
    ['a content with a null contentId', { contents: [{ contentId: null, batchId: 'b', courseId: 'c', status: 1 }] }, 'CONTENT_ID_REQUIRED_ERROR'],
    ['a content without status', { contents: [{ contentId: 'x', batchId: 'b', courseId: 'c' }] }, 'CONTENT_STATUS_MISSING_ERROR'],
    ['a status out of range', { contents: [{ contentId: 'x', batchId: 'b', courseId: 'c', status: 3 }] }, 'INVALID_PROGRESS_STATUS'],
    ['a content without course', { contents: [{ contentId: 'x', batchId: 'b', status: 1 }] }, 'COURSE_ID_REQUIRED_ERROR'],
    ['a content without batch', { contents: [{ contentId: 'x', courseId: 'c', status: 1 }] }, 'COURSE_BATCH_ID_MISSING'],
    ['a malformed access time', { contents: [{ contentId: 'x', batchId: 'b', courseId: 'c', status: 1, lastAccessTime: '2020-11-23T12:58:35Z' }] }, 'DATE_FORMAT_ERRROR'],
    ['nothing to record and no course', {}, 'COURSE_ID_REQUIRED_ERROR'],
    ['an attempt without attemptId', { assessments: [{ assessmentTs: 1, batchId: 'b', courseId: 'c', contentId: 'x', userId: 'u', events: [] }] }, 'ATTEMPT_ID_REQUIRED_ERROR'],
    ['an attempt without events', { assessments: [{ assessmentTs: 1, batchId: 'b', courseId: 'c', contentId: 'x', userId: 'u', attemptId: 'a' }] }, 'EVENTS_DATA_MISSING'],
    ['too many contents', { contents: Array.from({ length: 101 }, (_, i) => ({ contentId: `x${i}`, batchId: 'b', courseId: 'c', status: 1 })) }, 'INVALID_PARAMETER_VALUE'],
  ])('refuses %s (400, upstream code)', async (_name, request, err) => {
    const res = await update(learner.token, request);
    expect(res.status).toBe(400);
    expect(res.body.params.err).toBe(err);
  });

  it('refuses callers without a token (401) and updates for another user (403)', async () => {
    expect((await update(undefined, { contents: [state(leaves[0]!, 1)] })).status).toBe(401);
    expect((await update(learner.token, { userId: w.member.id, contents: [state(leaves[0]!, 1)] })).status).toBe(403);
  });

  it('publishes assessment attempts for the user and completes their content', async () => {
    const u = await enrolled();
    const attempt = {
      contentId: leaves[3],
      batchId,
      courseId: w.courseId,
      userId: u.id,
      attemptId: 'attempt-1',
      assessmentTs: '1567591211000',
      events: [{ eid: 'ASSESS', ets: 1567591211000, actor: { id: 'anyone', type: 'User' }, edata: { score: 1 } }],
    };
    const res = await update(u.token, { assessments: [attempt] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toEqual({ [leaves[3]!]: 'SUCCESS', [batchId]: 'SUCCESS' });
    const message = await eventually(() => Promise.resolve(f.messages('telemetry.assess', (m) => m.key === u.id)[0]));
    expect(message.value).toEqual({ ...attempt, userId: u.id, events: [{ ...attempt.events[0], actor: { id: u.id, type: 'User' } }] });
    expect((await consumption(u.id, leaves[3]!))?.get('status')).toBe(2);
    const tooBig = await update(u.token, { assessments: [{ ...attempt, events: Array.from({ length: 200 }, () => ({ eid: 'ASSESS', edata: { text: 'x'.repeat(300) } })) }] });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.params.err).toBe('ERROR_MAX_SIZE_EXCEEDED');
  });

  it('asks for a recomputation when given neither contents nor assessments', async () => {
    const res = await update(learner.token, { courseId: w.courseId, batchId });
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual({ response: 'SUCCESS' });
    const message = await eventually(() => Promise.resolve(f.messages('batch.enrolment.sync.request', (m) => m.key === learner.id)[0]));
    expect(message.value).toMatchObject({ eid: 'BE_JOB_REQUEST', edata: { action: 'user-enrolment-sync', iteration: 1, batchId, userId: learner.id, courseId: w.courseId } });
    const none = await update(learner.token, { courseId: w.courseId, batchId: 'no_batch' });
    expect(none.status).toBe(400);
    expect(none.body.params.err).toBe('INVALID_REQUESTED_DATA');
  });

  it("drops the user's cached course list", async () => {
    const cached = async () => f.redis.client.get(`${learner.id}:user-enrolments`);
    await call(f, 'GET', `/v1/user/courses/list/${learner.id}`, { token: learner.token });
    await eventually(async () => ((await cached()) !== null ? true : undefined));
    await update(learner.token, { contents: [state(leaves[0]!, 1)] });
    await eventually(async () => ((await cached()) === null ? true : undefined));
  });
});

describe('content state read', () => {
  it("reads the user's states, some contents only, and the scored attempts on request", async () => {
    const all = await read(learner.token, { userId: learner.id, courseId: w.courseId, batchId });
    expect(all.status).toBe(200);
    expect(all.body.id).toBe('api.content.state.read');
    const list = all.body.result.contentList as any[];
    expect(list.map((c) => c.contentId).sort()).toEqual([leaves[0], leaves[1], leaves[3]].sort());
    expect(list.find((c) => c.contentId === leaves[1])).toMatchObject({ status: 2, progress: 100, courseId: w.courseId, collectionId: w.courseId, batchId });
    expect(list.find((c) => c.contentId === leaves[0]).lastAccessTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3}\+0000$/);

    await f.db.execute(
      `INSERT INTO ${f.db.table('sunbird_courses', 'assessment_aggregator')} (collection_id, context_id, user_id, content_id, attempt_id, last_attempted_on, total_max_score, total_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [w.courseId, `cb:${batchId}`, learner.id, leaves[1], 'att-1', new Date(Date.UTC(2025, 0, 2)), 10, 7],
    );
    const scored = await read(learner.token, { collectionId: w.courseId, batchId, contentIds: [leaves[1]], fields: ['progress', 'score'] });
    expect(scored.body.result.contentList).toHaveLength(1);
    expect(scored.body.result.contentList[0].score).toEqual([{ attemptId: 'att-1', lastAttemptedOn: '2025-01-02 00:00:00:000+0000', totalMaxScore: 10, totalScore: 7 }]);
  });

  it('validates, and reads only for the caller', async () => {
    const missing = await read(learner.token, { batchId });
    expect(missing.status).toBe(400);
    expect(missing.body.params).toMatchObject({ err: 'MANDATORY_PARAMETER_MISSING', errmsg: 'Mandatory parameter courseId is missing.' });
    expect((await read(learner.token, { courseId: w.courseId })).body.params.err).toBe('MANDATORY_PARAMETER_MISSING');
    expect((await read(learner.token, { userId: w.member.id, courseId: w.courseId, batchId })).status).toBe(403);
    expect((await read(undefined, { courseId: w.courseId, batchId })).status).toBe(401);
    expect((await read(learner.token, { courseId: w.courseId, batchId: 'none' })).body.result.contentList).toEqual([]);
  });
});

describe("upstream's examples", () => {
  const vars = () => ({ course_id: w.courseId, batch_id: batchId, user_id: learner.id, content_id: leaves[2]!, attemptId: 'replayed-attempt' });

  it.each(['content_state_update', 'content_state_read'])('%s: the documented requests succeed with the documented envelope', async (name) => {
    const op = upstream(name);
    for (const request of [op.request, ...(op.request_variants ?? []).map((v) => v.request)]) {
      const res = await call(f, op.method, op.path, { token: learner.token, body: fill(request, vars()) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: op.response_example.id, ver: op.response_example.ver, responseCode: 'OK' });
      for (const key of Object.keys(op.response_example.result)) {
        if (name === 'content_state_read') expect(res.body.result).toHaveProperty(key);
      }
      if (name === 'content_state_update') expect(res.body.result[leaves[2]!]).toBe('SUCCESS');
    }
  });

  it.each(['content_state_update', 'content_state_read'])('%s: the documented bad requests are refused with 400', async (name) => {
    const op = upstream(name);
    for (const example of op.error_examples.filter((e) => e.request !== null && e.http_status !== null)) {
      const res = await call(f, op.method, op.path, { token: learner.token, body: example.request });
      expect(res.status, JSON.stringify(example.request)).toBe(example.http_status);
    }
  });
});
