/**
 * Enrolment against the real servers: self and staff enrolment and unenrolment with upstream's
 * rules and codes (dates, invite-only, completion, idempotent retries), bulk CSV uploads and the
 * enrolment audit events on Kafka. Course lists and upstream's examples: course-lists.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStore, type BatchRecord } from '../src/batches/store.ts';
import { call, day, eventually, uid } from './helpers.ts';
import { startLearnerFixture, type LearnerFixture } from './learner-fixture.ts';
import { batchRequest, createBatch, seedWorld, type Actor, type World } from './world.ts';

let f: LearnerFixture;
let w: World;
let openBatch: string;
let inviteBatch: string;
let learner: Actor;

const enrol = (token: string | undefined, request: Record<string, unknown>, url = '/v1/course/enroll') => call(f, 'POST', url, { token, body: { request } });
const enrolmentRow = async (userId: string, courseId: string, batchId: string) =>
  (await f.db.execute(`SELECT active, addedby, status, progress FROM ${f.db.table('sunbird_courses', 'user_enrolments')} WHERE userid = ? AND courseid = ? AND batchid = ?`, [userId, courseId, batchId])).first();

/** A batch stored directly (dates the API would refuse, e.g. in the past). */
async function seedBatch(over: Partial<BatchRecord>): Promise<string> {
  const store = new BatchStore(f.db, 'UTC');
  const batch: BatchRecord = {
    courseId: w.courseId,
    batchId: uid('sb'),
    name: 'Seeded',
    description: null,
    enrollmentType: 'open',
    startDate: day(-10),
    endDate: day(10),
    enrollmentEndDate: null,
    createdFor: [w.rootOrg],
    mentors: [],
    status: 1,
    createdBy: w.creator.id,
    createdDate: new Date(),
    updatedDate: null,
    tandc: null,
    certTemplates: {},
    ...over,
  };
  await store.claimId(batch.batchId, batch.courseId);
  const { query, params } = store.insert(batch);
  await f.db.execute(query, params);
  return batch.batchId;
}

beforeAll(async () => {
  f = await startLearnerFixture(import.meta.url, { topics: ['telemetry.audit'] });
  w = await seedWorld(f);
  openBatch = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), createdFor: [w.rootOrg] }));
  inviteBatch = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), enrollmentType: 'invite-only', createdFor: [w.rootOrg] }));
  learner = await f.caller(null, [], w.rootOrg);
});
afterAll(async () => {
  await f?.close();
});

describe('self enrolment', () => {
  it('enrols the caller, answers SUCCESS and publishes one audit event', async () => {
    const res = await enrol(learner.token, { courseId: w.courseId, batchId: openBatch, userId: learner.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.course.enroll', responseCode: 'OK', result: { response: 'SUCCESS' } });
    const row = await enrolmentRow(learner.id, w.courseId, openBatch);
    expect(row?.get('active')).toBe(true);
    expect(row?.get('addedby')).toBe(learner.id);
    const audit = await eventually(() => Promise.resolve(f.messages('telemetry.audit', (m) => m.key === learner.id && m.value.context.cdata[1].id === openBatch)[0]));
    expect(audit.value).toMatchObject({ eid: 'AUDIT', actor: { id: learner.id }, object: { id: learner.id, rollup: { l1: w.courseId } }, edata: { state: 'Create', type: 'enrol' } });
  });

  it('is one enrolment when retried: same answer, no second event', async () => {
    const again = await enrol(learner.token, { collectionId: w.courseId, batchId: openBatch });
    expect(again.status).toBe(200);
    expect(again.body.result).toEqual({ response: 'SUCCESS' });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(f.messages('telemetry.audit', (m) => m.key === learner.id && m.value.context.cdata[1].id === openBatch)).toHaveLength(1);
  });

  it.each([
    ['courseId and collectionId missing', { batchId: 'b1' }, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter courseId/collectionId is missing.'],
    ['batchId missing', { courseId: 'c1' }, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter batchId is missing.'],
    ['batchId empty', { courseId: 'c1', batchId: '' }, 'ERROR_MANDATORY_PARAMETER_EMPTY', 'Mandatory parameter batchId is empty.'],
    ['batchId not a string', { courseId: 'c1', batchId: 5 }, 'DATA_TYPE_ERROR', undefined],
    ['unknown field', { courseId: 'c1', batchId: 'b1', extra: 1 }, 'INVALID_REQUEST_PARAMETER', 'Invalid parameter extra in request.'],
  ])('refuses a body with %s', async (_name, request, err, errmsg) => {
    const res = await enrol(learner.token, request);
    expect(res.status).toBe(400);
    expect(res.body.params.err).toBe(err);
    if (errmsg) expect(res.body.params.errmsg).toBe(errmsg);
  });

  it('refuses callers without a token (401) and enrolling someone else (403)', async () => {
    expect((await enrol(undefined, { courseId: w.courseId, batchId: openBatch })).status).toBe(401);
    const other = await enrol(learner.token, { courseId: w.courseId, batchId: openBatch, userId: w.member.id });
    expect(other.status).toBe(403);
    expect(await enrolmentRow(w.member.id, w.courseId, openBatch)).toBeNull();
  });

  it('answers an unknown batch, or a batch of another course, with INVALID_COURSE_BATCH_ID', async () => {
    for (const request of [{ courseId: w.courseId, batchId: 'no_such_batch' }, { courseId: 'do_other_course', batchId: openBatch }]) {
      const res = await enrol(learner.token, request);
      expect(res.status).toBe(400);
      expect(res.body.params).toMatchObject({ err: 'INVALID_COURSE_BATCH_ID', errmsg: 'Invalid course batch id ' });
    }
  });

  it('enforces the dates: enrolment end, batch end, completed batch', async () => {
    const closed = await seedBatch({ enrollmentEndDate: day(-1) });
    const ended = await seedBatch({ startDate: day(-20), endDate: day(-1) });
    const completed = await seedBatch({ status: 2 });
    const lastDay = await seedBatch({ enrollmentEndDate: day(0) });
    const cases: [string, string][] = [
      [closed, 'COURSE_BATCH_ENROLLMENT_DATE_ENDED'],
      [ended, 'COURSE_BATCH_ALREADY_COMPLETED'],
      [completed, 'COURSE_BATCH_ALREADY_COMPLETED'],
    ];
    for (const [batchId, err] of cases) {
      const res = await enrol(learner.token, { courseId: w.courseId, batchId });
      expect(res.status, batchId).toBe(400);
      expect(res.body.params.err).toBe(err);
      expect(await enrolmentRow(learner.id, w.courseId, batchId)).toBeNull();
    }
    expect((await enrol(learner.token, { courseId: w.courseId, batchId: lastDay })).status).toBe(200);
  });

  it('refuses enrolling oneself into an invite-only batch', async () => {
    const res = await enrol(learner.token, { courseId: w.courseId, batchId: inviteBatch });
    expect(res.status).toBe(403);
    expect(res.body.params.err).toBe('ENROLLMENT_TYPE_VALIDATION');
  });
});

describe('staff enrolment', () => {
  it('lets the batch creator and the root organisation administrator enrol into an invite-only batch', async () => {
    const a = await f.caller(null, [], w.rootOrg);
    const b = await f.caller(null, [], w.rootOrg);
    expect((await enrol(w.creator.token, { courseId: w.courseId, batchId: inviteBatch, userId: a.id }, '/v1/course/admin/enroll')).status).toBe(200);
    expect((await enrol(w.admin.token, { courseId: w.courseId, batchId: inviteBatch, userId: b.id }, '/v1/course/admin/enroll')).status).toBe(200);
    expect((await enrolmentRow(a.id, w.courseId, inviteBatch))?.get('addedby')).toBe(w.creator.id);
    const audit = await eventually(() => Promise.resolve(f.messages('telemetry.audit', (m) => m.key === a.id)[0]));
    expect(audit.value.actor.id).toBe(w.creator.id);
  });

  it('refuses callers who do not manage the batch (403)', async () => {
    for (const actor of [w.member, w.otherCreator, w.mentor]) {
      const res = await enrol(actor.token, { courseId: w.courseId, batchId: inviteBatch, userId: learner.id }, '/v1/course/admin/enroll');
      expect(res.status).toBe(403);
    }
    expect((await enrol(undefined, { courseId: w.courseId, batchId: inviteBatch, userId: learner.id }, '/v1/course/admin/enroll')).status).toBe(401);
  });

  it('refuses unknown users and users of another root organisation', async () => {
    const unknown = await enrol(w.admin.token, { courseId: w.courseId, batchId: inviteBatch, userId: 'no-such-user' }, '/v1/course/admin/enroll');
    expect(unknown.status).toBe(400);
    expect(unknown.body.params.err).toBe('INVALID_USER_ID');
    const outsider = await f.caller(null, [], w.otherRoot);
    const res = await enrol(w.admin.token, { courseId: w.courseId, batchId: inviteBatch, userId: outsider.id }, '/v1/course/admin/enroll');
    expect(res.status).toBe(400);
    expect(res.body.params).toMatchObject({ err: 'USER_NOT_ASSOCIATED_TO_ROOT_ORG', errmsg: `User (ID = ${outsider.id}) not associated to course batch creator root org.` });
    const missing = await enrol(w.admin.token, { courseId: w.courseId, batchId: inviteBatch }, '/v1/course/admin/enroll');
    expect(missing.body.params.err).toBe('MANDATORY_PARAMETER_MISSING');
  });

  it('unenrols by staff', async () => {
    const u = await f.caller(null, [], w.rootOrg);
    await enrol(w.admin.token, { courseId: w.courseId, batchId: inviteBatch, userId: u.id }, '/v1/course/admin/enroll');
    const res = await enrol(w.admin.token, { courseId: w.courseId, batchId: inviteBatch, userId: u.id }, '/v1/course/admin/unenroll');
    expect(res.status).toBe(200);
    expect((await enrolmentRow(u.id, w.courseId, inviteBatch))?.get('active')).toBe(false);
  });
});

describe('unenrolment', () => {
  it('unenrols, then answers USER_NOT_ENROLLED_COURSE, and enrols again', async () => {
    const u = await f.caller(null, [], w.rootOrg);
    await enrol(u.token, { courseId: w.courseId, batchId: openBatch });
    const res = await enrol(u.token, { courseId: w.courseId, batchId: openBatch }, '/v1/course/unenroll');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'api.course.unenroll', result: { response: 'SUCCESS' } });
    const again = await enrol(u.token, { courseId: w.courseId, batchId: openBatch }, '/v1/course/unenroll');
    expect(again.status).toBe(400);
    expect(again.body.params).toMatchObject({ err: 'USER_NOT_ENROLLED_COURSE', errmsg: 'User is not enrolled to given course batch.' });
    expect((await enrol(u.token, { courseId: w.courseId, batchId: openBatch })).status).toBe(200);
    expect((await enrolmentRow(u.id, w.courseId, openBatch))?.get('active')).toBe(true);
    await eventually(() =>
      Promise.resolve(f.messages('telemetry.audit', (m) => m.key === u.id).map((m) => `${m.value.edata.state}:${m.value.edata.type}`).join(',') === 'Create:enrol,Update:unenrol,Update:enrol' ? true : undefined),
    );
  });

  it('refuses unenrolment once the user completed the course', async () => {
    const u = await f.caller(null, [], w.rootOrg);
    await enrol(u.token, { courseId: w.courseId, batchId: openBatch });
    // The course registered by the world has 4 leaves; the aggregate job records progress.
    await f.db.execute(`UPDATE ${f.db.table('sunbird_courses', 'user_enrolments')} SET progress = 4, status = 2 WHERE userid = ? AND courseid = ? AND batchid = ?`, [u.id, w.courseId, openBatch]);
    const res = await enrol(u.token, { courseId: w.courseId, batchId: openBatch }, '/v1/course/unenroll');
    expect(res.status).toBe(400);
    expect(res.body.params.err).toBe('COURSE_BATCH_ALREADY_COMPLETED');
  });
});

describe('bulk enrolment', () => {
  it('enrols the CSV users into invite-only batches the caller manages, and reports each failure', async () => {
    const a = await f.caller(null, [], w.rootOrg);
    const b = await f.caller(null, [], w.rootOrg);
    const outsider = await f.caller(null, [], w.otherRoot);
    const data = `batchId,userIds\n${inviteBatch},"${a.id},${b.id},${outsider.id},ghost"\n${openBatch},"${a.id}"\nno_such_batch,"${a.id}"\n`;
    const res = await call(f, 'POST', '/v1/batch/bulk/enrollment', { token: w.creator.token, body: { request: { data } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.successResult).toEqual([{ [inviteBatch]: [{ [a.id]: 'SUCCESS' }, { [b.id]: 'SUCCESS' }] }]);
    expect(res.body.result.failureResult).toEqual([
      { [inviteBatch]: [{ [outsider.id]: `User (ID = ${outsider.id}) not associated to course batch creator root org.` }, { ghost: 'User Id does not exists in our records' }] },
      { batchId: openBatch, userIds: a.id, errorMsg: 'Enrollment type should be invite-only.' },
      { batchId: 'no_such_batch', userIds: a.id, errorMsg: 'Invalid course batch id ' },
    ]);
    expect((await enrolmentRow(b.id, w.courseId, inviteBatch))?.get('active')).toBe(true);

    const out = await call(f, 'POST', '/v1/batch/bulk/unenrollment', { token: w.creator.token, body: { request: { data: `batchId,userIds\n${inviteBatch},"${b.id},${outsider.id}"` } } });
    expect(out.body.result.successResult).toEqual([{ [inviteBatch]: [{ [b.id]: 'SUCCESS' }] }]);
    expect(out.body.result.failureResult).toEqual([{ [inviteBatch]: [{ [outsider.id]: 'User is not enrolled to given course batch.' }] }]);
  });

  it('reports batches the caller does not manage per row, and refuses unreadable CSVs', async () => {
    const res = await call(f, 'POST', '/v1/batch/bulk/enrollment', { token: w.otherCreator.token, body: { request: { data: `batchId,userIds\n${inviteBatch},"${learner.id}"` } } });
    expect(res.status).toBe(200);
    expect(res.body.result.failureResult[0]).toMatchObject({ batchId: inviteBatch, errorMsg: 'You are forbidden from accessing specified resource.' });
    for (const [data, err] of [
      ['batchId,users\nb,u', 'INVALID_COLUMNS'],
      ['batchId,userIds\n', 'ERROR_CSV_NO_DATA_ROWS'],
      [`batchId,userIds\nb,"${Array.from({ length: 501 }, (_, i) => `u${i}`).join(',')}"`, 'DATA_SIZE_EXCEEDED'],
    ]) {
      const bad = await call(f, 'POST', '/v1/batch/bulk/enrollment', { token: w.creator.token, body: { request: { data } } });
      expect(bad.status).toBe(400);
      expect(bad.body.params.err).toBe(err);
    }
    expect((await call(f, 'POST', '/v1/batch/bulk/enrollment', { body: { request: { data: 'x' } } })).status).toBe(401);
  });
});
