/**
 * Operations on real servers: DELETE /v1/cache/clear/:mapName, POST /v1/data/sync for batches and
 * `lern reindex lms` rebuilding the `course-batch` documents from Cassandra; system administrators
 * only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX, reindexCommand } from '../src/index.ts';
import { call, registerCourse, uid, type Fixture, startFixture } from './helpers.ts';
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

const exists = async (batchId: string) => (await f.search.get(INDEX.batch, batchId)) !== null;

describe('data sync', () => {
  it('rebuilds the batch documents of the given courses, or of all', async () => {
    const otherCourse = await registerCourse(f, w.admin.token, w.rootOrg);
    const a1 = await createBatch(f, w.creator, batchRequest(w));
    const a2 = await createBatch(f, w.creator, batchRequest(w));
    const b1 = await createBatch(f, w.creator, batchRequest(w, { courseId: otherCourse }));
    for (const id of [a1, a2, b1]) await f.search.delete(INDEX.batch, id, { refresh: true });

    const sync = (token: string | undefined, request: Record<string, unknown>) => call(f, 'POST', '/v1/data/sync', { token, body: { request } });
    const some = await sync(w.sysadmin.token, { objectType: 'batch', objectIds: [w.courseId] });
    expect(some.status, JSON.stringify(some.body)).toBe(200);
    expect(some.body.result.response).toBe('SUCCESS');
    expect(some.body.result.count).toBeGreaterThanOrEqual(2);
    expect([await exists(a1), await exists(a2), await exists(b1)]).toEqual([true, true, false]);
    const doc = await f.search.get<Record<string, unknown>>(INDEX.batch, a1);
    expect(doc).toMatchObject({ batchId: a1, courseId: w.courseId, createdBy: w.creator.id });

    const all = await sync(w.sysadmin.token, { objectType: 'batch' });
    expect(all.body.result.count).toBeGreaterThanOrEqual(3);
    expect(await exists(b1)).toBe(true);

    expect((await sync(w.admin.token, { objectType: 'batch' })).status).toBe(403);
    expect((await sync(undefined, { objectType: 'batch' })).status).toBe(401);
    expect((await sync(w.sysadmin.token, { objectType: 'user' })).body.params.err).toBe('INVALID_PARAMETER_VALUE');
    expect((await sync(w.sysadmin.token, {})).body.params.errmsg).toBe('Mandatory parameter objectType is missing.');
  });

  it('`lern reindex lms` does the same from the command line', async () => {
    const id = await createBatch(f, w.creator, batchRequest(w));
    await f.search.delete(INDEX.batch, id, { refresh: true });
    expect(await reindexCommand(['batch'], f.env)).toBe(0);
    await f.search.refresh(INDEX.batch);
    expect(await exists(id)).toBe(true);
    expect(await reindexCommand(['users'], f.env)).toBe(2);
  });
});

describe('cache clear', () => {
  it('clears one cache map or all of them', async () => {
    // A batch creation caches the course structure.
    await createBatch(f, w.creator, batchRequest(w));
    const prefix = f.names.redisPrefix;
    const structureKey = `${prefix}course-structure:${w.courseId}`;
    const otherKey = `${prefix}user-enrolments:${uid('u')}`;
    await f.redis.client.set(otherKey, '{}');
    expect(await f.redis.client.exists(structureKey)).toBe(1);

    const clear = (token: string | undefined, map: string) => call(f, 'DELETE', `/v1/cache/clear/${map}`, { token });
    expect((await clear(w.admin.token, 'course-structure')).status).toBe(403);
    expect((await clear(undefined, 'all')).status).toBe(401);
    expect((await clear(w.sysadmin.token, 'pageMap')).body.params.err).toBe('INVALID_PARAMETER_VALUE');

    const one = await clear(w.sysadmin.token, 'course-structure');
    expect(one.status).toBe(200);
    expect(one.body.id).toBe('api.cache.clear');
    expect(one.body.result.response).toBe('SUCCESS');
    expect(one.body.result.cleared).toBeGreaterThanOrEqual(1);
    expect([await f.redis.client.exists(structureKey), await f.redis.client.exists(otherKey)]).toEqual([0, 1]);
    const all = await clear(w.sysadmin.token, 'all');
    expect(all.body.result.cleared).toBeGreaterThanOrEqual(1);
    expect(await f.redis.client.exists(otherKey)).toBe(0);
  });
});

describe('OpenAPI document', () => {
  it('documents every part A route with its statuses', async () => {
    const res = await f.app.inject({ method: 'GET', url: '/documentation/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, Record<string, { responses: Record<string, unknown>; description?: string }>> }>();
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path]![method]!.responses).sort();
    expect(statuses('/v1/course/batch/create', 'post')).toEqual(['200', '400', '401', '403', '413', '415', '500', '503']);
    expect(statuses('/v1/course/batch/read/{batchId}', 'get')).toEqual(expect.arrayContaining(['200', '400', '401', '404', '500', '503']));
    expect(statuses('/v1/course/batch/search', 'post')).toEqual(['200', '400', '413', '415', '500', '503']);
    for (const [path, method] of [
      ['/v1/course/batch/update', 'patch'],
      ['/v1/batch/participants/list', 'post'],
      ['/v1/course/batch/cert/template/add', 'patch'],
      ['/v1/course/batch/cert/template/remove', 'patch'],
      ['/v1/course/hierarchy/register', 'post'],
      ['/v1/cache/clear/{mapName}', 'delete'],
      ['/v1/data/sync', 'post'],
    ]) {
      expect(statuses(path!, method!)).toContain('403');
    }
    expect(doc.paths['/v1/course/hierarchy/register']!.post!.description).toMatch(/Not an upstream lms-service route/);
  });
});

