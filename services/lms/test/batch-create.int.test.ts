/**
 * POST /v1/course/batch/create and GET /v1/course/batch/read/:batchId on real Cassandra,
 * Elasticsearch and Redis: success and what is stored and indexed, validation with upstream's err
 * codes, the date rules, unknown course / organisation / mentors, and who may create.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX } from '../src/index.ts';
import { call, day, registerCourse, uid, type Fixture, startFixture } from './helpers.ts';
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

const create = (token: string | undefined, body: unknown) => call(f, 'POST', '/v1/course/batch/create', { token, body });

describe('batch create', () => {
  it('creates a batch: stored, indexed, readable with upstream fields', async () => {
    const body = batchRequest(w, { description: 'Learn', createdFor: [w.subOrg], mentors: [w.mentor.id], enrollmentEndDate: day(20), tandc: true });
    const res = await create(w.creator.token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe('api.course.batch.create');
    expect(res.body.result.response).toBe('SUCCESS');
    const batchId = res.body.result.batchId as string;
    expect(batchId).toMatch(/^01\d{17}$/);

    const read = await call(f, 'GET', `/v1/course/batch/read/${batchId}`, { token: w.member.token });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe('api.course.batch.read');
    const batch = read.body.result.response;
    expect(batch).toMatchObject({
      identifier: batchId,
      id: batchId,
      batchId,
      courseId: w.courseId,
      collectionId: w.courseId,
      name: body.request.name,
      description: 'Learn',
      enrollmentType: 'open',
      startDate: day(1),
      endDate: day(30),
      enrollmentEndDate: day(20),
      createdFor: [w.subOrg],
      mentors: [w.mentor.id],
      status: 0,
      createdBy: w.creator.id,
      updatedDate: null,
      tandc: true,
      cert_templates: {},
      certTemplates: {},
    });
    expect(batch.createdDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3}\+0000$/);

    const row = (await f.db.execute(`SELECT start_date, end_date, createdby FROM ${f.db.table('sunbird_courses', 'course_batch')} WHERE courseid = ? AND batchid = ?`, [w.courseId, batchId])).first();
    expect((row.get('start_date') as Date).toISOString()).toBe(`${day(1)}T00:00:00.000Z`);
    expect((row.get('end_date') as Date).toISOString()).toBe(`${day(30)}T23:59:59.999Z`);
    const doc = await f.search.get<Record<string, unknown>>(INDEX.batch, batchId);
    expect(doc).toMatchObject({ batchId, courseId: w.courseId, name: body.request.name, status: 0 });
  });

  it('takes collectionId for courseId; a batch starting today has started', async () => {
    const batchId = await createBatch(f, w.creator, { request: { collectionId: w.courseId, name: 'Today', enrollmentType: 'invite-only', startDate: day(0) } });
    const read = await call(f, 'GET', `/v1/course/batch/read/${batchId}`, { token: w.member.token });
    expect(read.body.result.response).toMatchObject({ courseId: w.courseId, enrollmentType: 'invite-only', status: 1, endDate: null, createdFor: [], mentors: [] });
  });

  it('answers with upstream err codes for invalid requests', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ enrollmentType: undefined }, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter enrollmentType is missing.'],
      [{ courseId: undefined }, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter courseId/collectionId is missing.'],
      [{ name: undefined }, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter name is missing.'],
      [{ startDate: undefined }, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter startDate is missing.'],
      [{ enrollmentType: 'join' }, 'INVALID_PARAMETER_VALUE', 'Invalid value join for parameter enrollmentType. Please provide a valid value.'],
      [{ startDate: '05/09/2023' }, 'DATE_FORMAT_ERRROR', 'Date format error.'],
      [{ endDate: '2023-02-30' }, 'DATE_FORMAT_ERRROR', 'Date format error.'],
      [{ participants: [] }, 'INVALID_REQUEST_PARAMETER', 'Invalid parameter participants in request.'],
      [{ mentors: 'x' }, 'DATA_TYPE_ERROR', 'Data type of mentors should be array.'],
      [{ createdFor: ['bad id!'] }, 'DATA_FORMAT_ERROR', 'Invalid format for given createdFor.'],
    ];
    for (const [change, err, errmsg] of cases) {
      const body = batchRequest(w, change);
      for (const [k, v] of Object.entries(change)) if (v === undefined) delete body.request[k];
      const res = await create(w.creator.token, body);
      expect({ change, status: res.status, err: res.body.params.err, errmsg: res.body.params.errmsg }).toEqual({ change, status: 400, err, errmsg });
      expect(res.body.responseCode).toBe('CLIENT_ERROR');
    }
  });

  it('enforces limits on names and lists', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect((await create(w.creator.token, batchRequest(w, { mentors: tooMany }))).status).toBe(400);
    expect((await create(w.creator.token, batchRequest(w, { name: 'x'.repeat(501) }))).status).toBe(400);
  });

  it('applies the date rules', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ startDate: day(-1) }, 'COURSE_BATCH_START_DATE_INVALID'],
      [{ startDate: day(5), endDate: day(5) }, 'END_DATE_ERROR'],
      [{ startDate: day(5), endDate: day(3) }, 'END_DATE_ERROR'],
      [{ startDate: day(5), endDate: day(9), enrollmentEndDate: day(4) }, 'ENROLLMENT_END_DATE_START_ERROR'],
      [{ startDate: day(5), endDate: day(9), enrollmentEndDate: day(10) }, 'ENROLLMENT_END_DATE_END_ERROR'],
    ];
    for (const [change, err] of cases) {
      const res = await create(w.creator.token, batchRequest(w, change));
      expect({ change, status: res.status, err: res.body.params.err }).toEqual({ change, status: 400, err });
    }
    expect((await create(w.creator.token, batchRequest(w, { startDate: day(5), endDate: null, enrollmentEndDate: day(5) }))).status).toBe(200);
  });

  it('needs a known, published course, existing organisations and mentors of the creator\'s root organisation', async () => {
    expect((await create(w.creator.token, batchRequest(w, { courseId: uid('do') }))).body.params.err).toBe('INVALID_COURSE_ID');
    const draft = await registerCourse(f, w.admin.token, w.rootOrg, uid('do'), 'Draft');
    expect((await create(w.creator.token, batchRequest(w, { courseId: draft }))).body.params.err).toBe('INVALID_COURSE_ID');
    const unknownOrg = await create(w.creator.token, batchRequest(w, { createdFor: ['org_missing'] }));
    expect([unknownOrg.status, unknownOrg.body.params.err]).toEqual([400, 'INVALID_ORG_ID']);
    expect((await create(w.creator.token, batchRequest(w, { mentors: ['nobody'] }))).body.params.err).toBe('INVALID_USER_ID');
    const deleted = await f.seedUser({ rootOrgId: w.rootOrg, deleted: true });
    expect((await create(w.creator.token, batchRequest(w, { mentors: [deleted] }))).body.params.err).toBe('INVALID_USER_ID');
    const res = await create(w.creator.token, batchRequest(w, { mentors: [w.otherCreator.id] }));
    expect([res.body.params.err, res.body.params.errmsg]).toEqual(['USER_NOT_ASSOCIATED_TO_ROOT_ORG', `User (ID = ${w.otherCreator.id}) not associated to course batch creator root org.`]);
  });

  it('lets course staff and administrators of the organisations create, and nobody else', async () => {
    expect((await create(undefined, batchRequest(w))).status).toBe(401);
    const refused = await create(w.member.token, batchRequest(w));
    expect([refused.status, refused.body.params.err, refused.body.responseCode]).toEqual([403, 'FORBIDDEN', 'FORBIDDEN']);
    // Staff of another tenant may not create for R's organisations.
    expect((await create(w.otherCreator.token, batchRequest(w, { createdFor: [w.subOrg] }))).status).toBe(403);
    expect((await create(w.otherCreator.token, batchRequest(w, { createdFor: [w.rootOrg, w.otherRoot] }))).status).toBe(403);
    // ... but course staff anywhere may create a batch for no organisation, as upstream.
    expect((await create(w.otherCreator.token, batchRequest(w))).status).toBe(200);
    // Administrators of the organisation, and system administrators.
    expect((await create(w.admin.token, batchRequest(w, { createdFor: [w.subOrg] }))).status).toBe(200);
    const subAdmin = await f.caller('ORG_ADMIN', [w.subOrg], w.rootOrg);
    expect((await create(subAdmin.token, batchRequest(w, { createdFor: [w.subOrg] }))).status).toBe(200);
    expect((await create(subAdmin.token, batchRequest(w, { createdFor: [w.rootOrg] }))).status).toBe(403);
    expect((await create(w.sysadmin.token, batchRequest(w, { createdFor: [w.otherRoot] }))).status).toBe(200);
  });
});

describe('batch read', () => {
  it('answers 404 for an unknown batch, 400 for a malformed id, 401 without a token', async () => {
    const missing = await call(f, 'GET', '/v1/course/batch/read/0100000000000000000', { token: w.member.token });
    expect([missing.status, missing.body.responseCode, missing.body.params.err]).toEqual([404, 'RESOURCE_NOT_FOUND', 'INVALID_COURSE_BATCH_ID']);
    expect((await call(f, 'GET', '/v1/course/batch/read/bad%20id', { token: w.member.token })).status).toBe(400);
    expect((await call(f, 'GET', '/v1/course/batch/read/0100000000000000000')).status).toBe(401);
  });
});
