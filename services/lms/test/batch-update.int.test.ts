/**
 * PATCH /v1/course/batch/update, POST /v1/course/batch/search and POST /v1/batch/participants/list
 * on real servers: who may change a batch, the update date rules, index-backed search with filters,
 * paging, sorting and limits, and participants read from the enrolments.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX } from '../src/index.ts';
import { call, day, uid, type Fixture, startFixture } from './helpers.ts';
import { batchRequest, createBatch, seedWorld, type World } from './world.ts';

let f: Fixture;
let w: World;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  w = await seedWorld(f);
});

afterAll(async () => {
  await f?.close();
});

const update = (token: string | undefined, request: Record<string, unknown>) => call(f, 'PATCH', '/v1/course/batch/update', { token, body: { request } });
const read = async (batchId: string) => (await call(f, 'GET', `/v1/course/batch/read/${batchId}`, { token: w.member.token })).body.result.response as Record<string, unknown>;
const search = (request: Record<string, unknown>, token?: string) => call(f, 'POST', '/v1/course/batch/search', { token, body: { request } });

/** Stores a batch straight into Cassandra (for states the API cannot reach, e.g. already ended). */
async function seedBatch(courseId: string, start: string, end: string, createdBy: string): Promise<string> {
  const batchId = `01${Date.now()}${Math.floor(Math.random() * 10_000)}`;
  await f.db.execute(`INSERT INTO ${f.db.table('sunbird_courses', 'batch_course')} (batchid, courseid) VALUES (?, ?)`, [batchId, courseId]);
  await f.db.execute(
    `INSERT INTO ${f.db.table('sunbird_courses', 'course_batch')} (courseid, batchid, name, enrollmenttype, start_date, end_date, status, createdby) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [courseId, batchId, 'Old', 'open', new Date(`${start}T00:00:00Z`), new Date(`${end}T23:59:59.999Z`), 1, createdBy],
  );
  return batchId;
}

describe('batch update', () => {
  it('updates the fields sent, keeps the others, re-indexes', async () => {
    const batchId = await createBatch(f, w.creator, batchRequest(w, { description: 'before', createdFor: [w.subOrg] }));
    const res = await update(w.creator.token, { courseId: w.courseId, id: batchId, startDate: day(2), name: 'Renamed', endDate: day(40), mentors: [w.mentor.id] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.response).toBe('SUCCESS');
    const batch = await read(batchId);
    expect(batch).toMatchObject({ name: 'Renamed', description: 'before', startDate: day(2), endDate: day(40), mentors: [w.mentor.id], createdFor: [w.subOrg], createdBy: w.creator.id });
    expect(batch.updatedDate).toMatch(/^\d{4}-\d{2}-\d{2} /);
    expect(await f.search.get(INDEX.batch, batchId)).toMatchObject({ name: 'Renamed', endDate: day(40) });
  });

  it('lets the creator, its mentors and administrators of its organisations change it, nobody else', async () => {
    const batchId = await createBatch(f, w.creator, batchRequest(w, { createdFor: [w.subOrg], mentors: [w.mentor.id] }));
    const change = (token?: string) => update(token, { courseId: w.courseId, id: batchId, startDate: day(1), description: uid('d') });
    expect((await change()).status).toBe(401);
    expect((await change(w.member.token)).status).toBe(403);
    expect((await change(w.otherCreator.token)).status).toBe(403);
    // Another content creator of the same tenant did not create it and does not mentor it.
    const colleague = await f.caller('CONTENT_CREATOR', [w.rootOrg]);
    expect((await change(colleague.token)).status).toBe(403);
    for (const allowed of [w.creator, w.mentor, w.admin, w.sysadmin]) expect((await change(allowed.token)).status).toBe(200);
    // Moving it into a tenant where the caller has no rights.
    expect((await update(w.creator.token, { courseId: w.courseId, id: batchId, startDate: day(1), createdFor: [w.subOrg, w.otherRoot] })).status).toBe(403);
    expect((await update(w.creator.token, { courseId: w.courseId, id: batchId, startDate: day(1), createdFor: ['org_missing'] })).body.params.err).toBe('INVALID_ORG_ID');
  });

  it('answers with upstream err codes', async () => {
    const batchId = await createBatch(f, w.creator, batchRequest(w, { startDate: day(1), endDate: day(10) }));
    const started = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), endDate: day(10) }));
    const ended = await seedBatch(w.courseId, day(-10), day(-2), w.creator.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ id: batchId, startDate: day(1), endDate: day(1) }, 'END_DATE_ERROR'],
      [{ id: batchId, startDate: day(20) }, 'INVALID_BATCH_END_DATE_ERROR'],
      [{ id: started, startDate: day(1) }, 'INVALID_BATCH_START_DATE_ERROR'],
      [{ id: batchId, startDate: day(-1) }, 'INVALID_BATCH_START_DATE_ERROR'],
      [{ id: batchId, startDate: day(1), enrollmentEndDate: day(11) }, 'ENROLLMENT_END_DATE_END_ERROR'],
      [{ id: ended, startDate: day(-10) }, 'COURSE_BATCH_END_DATE_ERROR'],
      [{ id: 'unknown', startDate: day(1) }, 'INVALID_COURSE_BATCH_ID'],
      [{ id: batchId, startDate: day(1), mentors: ['nobody'] }, 'INVALID_USER_ID'],
      [{ id: batchId, startDate: day(1), enrollmentType: 'closed' }, 'INVALID_PARAMETER_VALUE'],
      [{ id: batchId, startDate: '2024/01/01' }, 'DATE_FORMAT_ERRROR'],
      [{ startDate: day(1) }, 'MANDATORY_PARAMETER_MISSING'],
      [{ id: batchId }, 'MANDATORY_PARAMETER_MISSING'],
    ];
    for (const [change, err] of cases) {
      const res = await update(w.creator.token, { courseId: w.courseId, ...change });
      expect({ change, status: res.status, err: res.body.params.err }).toEqual({ change, status: 400, err });
    }
    const wrongCourse = await update(w.creator.token, { courseId: uid('do'), id: batchId, startDate: day(1) });
    expect(wrongCourse.body.params.err).toBe('INVALID_COURSE_BATCH_ID');
    const noCourse = await update(w.creator.token, { id: batchId, startDate: day(1) });
    expect(noCourse.body.params.errmsg).toBe('Mandatory parameter courseId/collectionId is missing.');
    // A started batch keeps its start date but may change the rest.
    expect((await update(w.creator.token, { courseId: w.courseId, id: started, startDate: day(0), endDate: day(12) })).status).toBe(200);
  });
});

describe('batch search', () => {
  let course: string;
  let ids: string[];
  beforeAll(async () => {
    course = w.courseId;
    ids = [];
    for (const [i, start] of [day(1), day(3), day(5)].entries()) {
      ids.push(await createBatch(f, w.creator, batchRequest(w, { name: `Searchable ${i} ${course}`, startDate: start, endDate: day(60), createdFor: i === 0 ? [w.subOrg] : [] })));
    }
  });

  it('is public and filters by course, batch ids, organisations and date ranges', async () => {
    const all = await search({ filters: { courseId: course, name: { '>=': 'searchable', '<': 'searchablf' } } });
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    expect(all.body.id).toBe('api.course.batch.search');
    expect(all.body.result.response.count).toBe(3);
    const byIds = await search({ filters: { collectionId: course, batchId: [ids[0], ids[2]] } });
    expect((byIds.body.result.response.content as { batchId: string }[]).map((b) => b.batchId).sort()).toEqual([ids[0], ids[2]].sort());
    const byOrg = await search({ filters: { createdFor: w.subOrg, identifier: ids[0] } });
    expect(byOrg.body.result.response.count).toBe(1);
    const range = await search({ filters: { batchId: ids, startDate: { '>=': day(2), '<=': day(5) } } });
    expect(range.body.result.response.count).toBe(2);
    const absent = await search({ filters: { batchId: ids, enrollmentEndDate: null, status: 0 } });
    expect(absent.body.result.response.count).toBe(3);
    expect((await search({ filters: { batchId: ids, noSuchField: 'x' } })).body.result.response.count).toBe(0);
  });

  it('pages, sorts, selects fields and searches text', async () => {
    const page = await search({ filters: { batchId: ids }, limit: 1, offset: 1, sort_by: { startDate: 'desc' }, fields: ['batchId', 'startDate'] });
    expect(page.body.result.response.count).toBe(3);
    expect(page.body.result.response.content).toEqual([{ batchId: ids[1], startDate: day(3) }]);
    const text = await search({ filters: { batchId: ids }, query: `searchable 2` });
    expect((text.body.result.response.content as { batchId: string }[]).map((b) => b.batchId)).toEqual([ids[2]]);
  });

  it('refuses a search without filters and pages over the limit', async () => {
    const none = await search({ limit: 2 });
    expect([none.status, none.body.params.err, none.body.params.errmsg]).toEqual([400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter filters is missing.']);
    expect((await search({ filters: {}, limit: 1001 })).body.params.err).toBe('INVALID_PARAMETER_VALUE');
    expect((await search({ filters: { 'bad field': 1 } })).status).toBe(400);
    expect((await search({ filters: {}, sort_by: { name: 'up' } })).status).toBe(400);
  });
});

describe('batch participants', () => {
  it("lists the batch's enrolled users (or those who left) for those who manage it", async () => {
    const batchId = await createBatch(f, w.creator, batchRequest(w, { mentors: [w.mentor.id] }));
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()].sort();
    const enrolments = f.db.table('sunbird_courses', 'user_enrolments');
    for (const [user, active] of [[a, true], [b, true], [c, false]] as const) {
      await f.db.execute(`INSERT INTO ${enrolments} (userid, courseid, batchid, active, status) VALUES (?, ?, ?, ?, ?)`, [user, w.courseId, batchId, active, 0]);
    }
    const list = (token: string | undefined, batch: Record<string, unknown>) => call(f, 'POST', '/v1/batch/participants/list', { token, body: { request: { batch } } });
    const res = await list(w.mentor.token, { batchId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.batch).toEqual({ count: 2, participants: [a, b] });
    expect((await list(w.creator.token, { batchId, active: false })).body.result.batch).toEqual({ count: 1, participants: [c] });
    expect((await list(w.member.token, { batchId })).status).toBe(403);
    expect((await list(undefined, { batchId })).status).toBe(401);
    expect((await list(w.creator.token, { batchId: 'unknown' })).body.params.err).toBe('INVALID_COURSE_BATCH_ID');
    const missing = await list(w.creator.token, {});
    expect([missing.status, missing.body.params.errmsg]).toEqual([400, 'Mandatory parameter batchId is missing.']);
  });
});
