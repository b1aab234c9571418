/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- responses and messages are untyped JSON that the assertions walk */
/**
 * The course lists against the real servers (active enrolments with their course and progress,
 * cached under `<userId>:user-enrolments` and dropped on change; who may read whose list), and
 * upstream's enrolment and list examples replayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, day, eventually } from './helpers.ts';
import { startLearnerFixture, type LearnerFixture } from './learner-fixture.ts';
import { fill, upstream } from './replay.ts';
import { batchRequest, createBatch, seedWorld, type Actor, type World } from './world.ts';

let f: LearnerFixture;
let w: World;
let openBatch: string;
let learner: Actor;

const enrol = (token: string | undefined, request: Record<string, unknown>, url = '/v1/course/enroll') => call(f, 'POST', url, { token, body: { request } });

beforeAll(async () => {
  f = await startLearnerFixture(import.meta.url, { topics: [] });
  w = await seedWorld(f);
  openBatch = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), createdFor: [w.rootOrg] }));
  learner = await f.caller(null, [], w.rootOrg);
  expect((await enrol(learner.token, { courseId: w.courseId, batchId: openBatch })).status).toBe(200);
});
afterAll(async () => {
  await f?.close();
});

describe('course lists', () => {
  it("lists the caller's active enrolments with the course and its progress, and caches the list", async () => {
    const u = await f.caller(null, [], w.rootOrg);
    await enrol(u.token, { courseId: w.courseId, batchId: openBatch });
    const res = await call(f, 'GET', `/v1/user/courses/list/${u.id}?batchDetails=name,endDate`, { token: u.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe('api.user.courses.list');
    expect(res.body.result.courses).toHaveLength(1);
    expect(res.body.result.courses[0]).toMatchObject({
      userId: u.id,
      courseId: w.courseId,
      collectionId: w.courseId,
      batchId: openBatch,
      active: true,
      status: 0,
      progress: 0,
      completionPercentage: 0,
      leafNodesCount: 4,
      courseName: expect.any(String),
      content: { identifier: w.courseId, leafNodesCount: 4 },
      batch: { batchId: openBatch, identifier: openBatch, name: expect.any(String), endDate: day(30) },
    });
    await eventually(async () => ((await f.redis.client.get(`${u.id}:user-enrolments`))?.includes(openBatch) ? true : undefined));

    // A change drops the cached list.
    await enrol(u.token, { courseId: w.courseId, batchId: openBatch }, '/v1/course/unenroll');
    await eventually(async () => ((await f.redis.client.get(`${u.id}:user-enrolments`)) === null ? true : undefined));
    expect((await call(f, 'GET', `/v1/user/courses/list/${u.id}`, { token: u.token })).body.result.courses).toEqual([]);
  });

  it('serves the cached list unless cache=false', async () => {
    const u = await f.caller(null, [], w.rootOrg);
    await enrol(u.token, { courseId: w.courseId, batchId: openBatch });
    await call(f, 'GET', `/v1/user/courses/list/${u.id}`, { token: u.token });
    // Changed behind the service's back: the cache still answers, cache=false reads again.
    await f.db.execute(`UPDATE ${f.db.table('sunbird_courses', 'user_enrolments')} SET progress = 2 WHERE userid = ? AND courseid = ? AND batchid = ?`, [u.id, w.courseId, openBatch]);
    expect((await call(f, 'GET', `/v1/user/courses/list/${u.id}`, { token: u.token })).body.result.courses[0].progress).toBe(0);
    const fresh = await call(f, 'GET', `/v1/user/courses/list/${u.id}?cache=false`, { token: u.token });
    expect(fresh.body.result.courses[0]).toMatchObject({ progress: 2, status: 1, completionPercentage: 50 });
  });

  it('v2 filters by course; only the user (403 for others) and their root administrators (admin list) read a list', async () => {
    const v2 = await call(f, 'POST', '/v2/user/courses/list', { token: learner.token, body: { request: { courseIds: ['do_none'] } } });
    expect(v2.status).toBe(200);
    expect(v2.body.result.courses).toEqual([]);
    const mine = await call(f, 'POST', '/v2/user/courses/list', { token: learner.token, body: { request: {} } });
    expect(mine.body.result.courses.map((c: any) => c.batchId)).toContain(openBatch);
    expect((await call(f, 'GET', `/v1/user/courses/list/${w.member.id}`, { token: learner.token })).status).toBe(403);
    expect((await call(f, 'POST', '/v2/user/courses/list', { token: learner.token, body: { request: { userId: w.member.id } } })).status).toBe(403);
    expect((await call(f, 'GET', `/v1/user/courses/list/${learner.id}`)).status).toBe(401);

    const byAdmin = await call(f, 'POST', '/v2/user/courses/admin/list', { token: w.admin.token, body: { request: { userId: learner.id } } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.result.courses.map((c: any) => c.batchId)).toContain(openBatch);
    expect((await call(f, 'POST', '/v2/user/courses/admin/list', { token: w.otherCreator.token, body: { request: { userId: learner.id } } })).status).toBe(403);
    expect((await call(f, 'POST', '/v2/user/courses/admin/list', { token: w.creator.token, body: { request: { userId: learner.id } } })).status).toBe(403);
    const unknown = await call(f, 'POST', '/v2/user/courses/admin/list', { token: w.sysadmin.token, body: { request: { userId: 'nobody' } } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.params.err).toBe('USER_NOT_FOUND');
  });
});

describe("upstream's examples", () => {
  it('course_enroll and course_unenroll: the documented requests (and variants) succeed with the documented envelope', async () => {
    const u = await f.caller(null, [], w.rootOrg);
    const vars = { course_id: w.courseId, batch_id: openBatch, user_id: u.id };
    for (const name of ['course_enroll', 'course_unenroll']) {
      const op = upstream(name);
      for (const request of [op.request, ...(op.request_variants ?? []).map((v) => v.request)]) {
        // Each unenrolment needs an enrolment (and a repeated enrolment is the same one).
        if (name === 'course_unenroll') await enrol(u.token, { courseId: w.courseId, batchId: openBatch });
        const res = await call(f, op.method, op.path, { token: u.token, body: fill(request, vars) });
        expect(res.status, `${name} ${JSON.stringify(res.body)}`).toBe(200);
        expect(res.body).toMatchObject({ id: op.response_example.id, ver: op.response_example.ver, responseCode: 'OK', result: op.response_example.result });
      }
      for (const example of op.error_examples.filter((e) => e.request !== null && e.http_status !== null)) {
        const res = await call(f, op.method, op.path, { token: u.token, body: example.request });
        expect(res.status, JSON.stringify(example.request)).toBe(example.http_status);
      }
    }
  });

  it("user_courses_list: the documented list has every field of upstream's course", async () => {
    const u = await f.caller(null, [], w.rootOrg);
    await enrol(u.token, { courseId: w.courseId, batchId: openBatch });
    const op = upstream('user_courses_list');
    // Upstream lists the caller's courses whatever the path names; here the path names the caller.
    for (const path of [fill(op.path, { user_id: u.id }), ...(op.request_variants ?? []).map((v) => v.path!.replace('/userId', `/${u.id}`))]) {
      const res = await call(f, op.method, path, { token: u.token });
      expect(res.status, path).toBe(200);
      expect(res.body).toMatchObject({ id: op.response_example.id, ver: op.response_example.ver, responseCode: 'OK' });
      const [course] = res.body.result.courses as any[];
      for (const key of Object.keys(op.response_example.result.courses[0])) expect(course, key).toHaveProperty(key);
    }
  });
});
