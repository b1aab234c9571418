/* eslint-disable @typescript-eslint/no-explicit-any -- dead-letter messages are untyped JSON that the assertions walk */
/**
 * Course structures on real servers: POST /v1/course/hierarchy/register (who may, validation,
 * package versions, channel ownership, the Redis cache) and the consumer of the content platform's
 * post-publish events on real Kafka, with unusable events landing in the dead-letter topic and every
 * offset committed after its write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CassandraConnector } from '@lern/kit';
import { COLLECTION, call, eventually, hierarchy, uid, type Fixture, startFixture } from './helpers.ts';

let f: Fixture;
let rootOrg: string;
let otherRoot: string;
let admin: { id: string; token: string };
let otherAdmin: { id: string; token: string };

beforeAll(async () => {
  f = await startFixture(import.meta.url, { consumeCourseStructures: true, consumerReconnectDelayMs: 500 });
  rootOrg = await f.seedOrg();
  otherRoot = await f.seedOrg();
  admin = await f.caller('ORG_ADMIN', [rootOrg]);
  otherAdmin = await f.caller('ORG_ADMIN', [otherRoot]);
});

afterAll(async () => {
  await f?.close();
});

const register = (token: string | undefined, request: Record<string, unknown>) => call(f, 'POST', '/v1/course/hierarchy/register', { token, body: { request } });
type Row = Awaited<ReturnType<CassandraConnector['execute']>>['rows'][number];
const stored = async (courseId: string): Promise<Row | undefined> =>
  (await f.db.execute(`SELECT * FROM ${f.db.table('sunbird_courses', 'course_structure')} WHERE courseid = ?`, [courseId])).first() ?? undefined;

describe('hierarchy registration', () => {
  it('stores leaf nodes, unit leaf nodes and ancestors', async () => {
    const courseId = uid('do');
    const res = await register(admin.token, { channel: rootOrg, hierarchy: hierarchy(courseId), pkgVersion: 2 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toEqual({ response: 'SUCCESS', courseId, leafNodes: 4, units: 2, applied: true });
    const row = (await stored(courseId))!;
    expect([...(row.get('leafnodes') as string[])].sort()).toEqual([`${courseId}_u1_c1`, `${courseId}_u1_c2`, `${courseId}_u2_c1`, `${courseId}_u2_c2`]);
    expect([...(row.get('unit_leafnodes') as Record<string, string[]>)[`${courseId}_u2`]!].sort()).toEqual([`${courseId}_u2_c1`, `${courseId}_u2_c2`]);
    expect((row.get('ancestors') as Record<string, string[]>)[`${courseId}_u1_c2`]).toEqual([`${courseId}_u1`, courseId]);
    expect([row.get('channel'), row.get('status'), row.get('pkgversion'), row.get('source'), row.get('updated_by')]).toEqual([rootOrg, 'Live', 2, 'api', admin.id]);
  });

  it('keeps a newer package version and drops the cached copy on a change', async () => {
    const courseId = uid('do');
    expect((await register(admin.token, { channel: rootOrg, hierarchy: hierarchy(courseId, 1, 3), pkgVersion: 3 })).body.result.applied).toBe(true);
    const older = await register(admin.token, { channel: rootOrg, hierarchy: hierarchy(courseId, 1, 1), pkgVersion: 2 });
    expect([older.status, older.body.result.applied]).toEqual([200, false]);
    expect((await stored(courseId))!.get('leafnodes')).toHaveLength(3);
    // A batch creation reads (and caches) the structure; a new version replaces the cached copy.
    await call(f, 'POST', '/v1/course/batch/create', {
      token: admin.token,
      body: { request: { courseId, name: 'B', enrollmentType: 'open', startDate: new Date().toISOString().slice(0, 10), createdFor: [rootOrg] } },
    });
    const key = `${f.names.redisPrefix}course-structure:${courseId}`;
    expect(await f.redis.client.exists(key)).toBe(1);
    expect((await register(admin.token, { channel: rootOrg, hierarchy: hierarchy(courseId, 2, 1), pkgVersion: 4 })).body.result.applied).toBe(true);
    expect(await f.redis.client.exists(key)).toBe(0);
    expect((await stored(courseId))!.get('leafnodes')).toHaveLength(2);
  });

  it('is for administrators of the owning channel', async () => {
    const courseId = uid('do');
    const body = { channel: rootOrg, hierarchy: hierarchy(courseId) };
    expect((await register(undefined, body)).status).toBe(401);
    const creator = await f.caller('CONTENT_CREATOR', [rootOrg]);
    expect((await register(creator.token, body)).status).toBe(403);
    expect((await register(otherAdmin.token, body)).status).toBe(403);
    expect((await register(admin.token, body)).status).toBe(200);
    // Another channel's administrator may not take the course over; a system administrator may.
    expect((await register(otherAdmin.token, { ...body, channel: otherRoot })).status).toBe(403);
    const sysadmin = await f.caller('SYSTEM_ADMINISTRATION', ['*'], null);
    expect((await register(sysadmin.token, { ...body, channel: otherRoot })).status).toBe(200);
  });

  it('refuses malformed hierarchies', async () => {
    let deep: Record<string, unknown> = { identifier: 'leaf' };
    for (let i = 0; i < 8; i++) deep = { identifier: `n${i}`, mimeType: COLLECTION, children: [deep] };
    const cases: [Record<string, unknown>, string][] = [
      [{ channel: rootOrg, hierarchy: { mimeType: COLLECTION } }, 'MANDATORY_PARAMETER_MISSING'],
      [{ channel: rootOrg, hierarchy: { identifier: 'do_x', mimeType: 'video/mp4' } }, 'INVALID_PARAMETER_VALUE'],
      [{ channel: rootOrg, hierarchy: { identifier: 'do x' } }, 'DATA_FORMAT_ERROR'],
      [{ channel: rootOrg, hierarchy: deep }, 'INVALID_REQUEST_PARAMETER'],
      [{ channel: 'org_missing', hierarchy: hierarchy(uid('do')) }, 'INVALID_ORG_ID'],
      [{ hierarchy: hierarchy(uid('do')) }, 'MANDATORY_PARAMETER_MISSING'],
    ];
    for (const [request, err] of cases) {
      const res = await register(admin.token, request);
      expect({ request: JSON.stringify(request).slice(0, 80), status: res.status, err: res.body.params.err }).toEqual({ request: JSON.stringify(request).slice(0, 80), status: 400, err });
    }
  });
});

describe('post-publish consumer', () => {
  const event = (courseId: string, edata: Record<string, unknown> = {}) => ({
    eid: 'BE_JOB_REQUEST',
    ets: Date.now(),
    mid: `LP.${Date.now()}.${uid('m')}`,
    actor: { id: 'Post Publish Processor', type: 'System' },
    context: { pdata: { ver: '1.0', id: 'org.sunbird.platform' }, channel: rootOrg, env: 'test' },
    object: { ver: '1', id: courseId },
    edata: { action: 'post-publish-process', iteration: 1, identifier: courseId, mimeType: COLLECTION, contentType: 'Course', pkgVersion: 1, status: 'Live', name: 'Published', hierarchy: hierarchy(courseId), ...edata },
  });
  const publish = (key: string, value: string | object) => f.kafka.send('content.postpublish.request', [{ key, value }]);

  it('learns published courses and dead-letters what it cannot use', async () => {
    const good = uid('do');
    const later = uid('do');
    await publish('poison', 'not json {');
    await publish('video', event(uid('do'), { mimeType: 'video/mp4', hierarchy: undefined }));
    await publish('nohier', event(uid('do'), { hierarchy: undefined }));
    await publish('bad', event('do_bad', { hierarchy: { identifier: 'do_bad', children: [{ mimeType: 'video/mp4' }] } }));
    await publish(good, event(good));
    await publish(later, event(later, { pkgVersion: 2 }));

    const row = await eventually(() => stored(later), 60_000);
    expect([...(row.get('leafnodes') as string[])]).toHaveLength(4);
    expect([row.get('source'), row.get('channel'), row.get('name'), row.get('pkgversion')]).toEqual(['content-platform', rootOrg, 'Published', 2]);
    expect(await stored(good)).toBeDefined();

    const dlq: { key: string | null; value: Record<string, any> }[] = [];
    const reader = f.kafka.kafka.consumer({ groupId: uid('dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topic: f.kafka.topic('content.postpublish.request.failed'), fromBeginning: true });
    await reader.run({
      eachMessage: ({ message }) => {
        dlq.push({ key: message.key?.toString() ?? null, value: JSON.parse(message.value!.toString()) as Record<string, any> });
        return Promise.resolve();
      },
    });
    await eventually(() => Promise.resolve(dlq.length >= 3 ? true : undefined), 60_000);
    await reader.disconnect();
    const byKey: Record<string, Record<string, any>> = Object.fromEntries(dlq.map((m) => [m.key ?? '', m.value]));
    expect(Object.keys(byKey).sort()).toEqual(['bad', 'nohier', 'poison']);
    expect(byKey.poison!).toMatchObject({ event: 'not json {', jobName: 'lms-course-structure', failInfo: { errorCode: 'ERR_EVENT_FORMAT', partition: 0 } });
    expect(byKey.nohier!).toMatchObject({ eid: 'BE_JOB_REQUEST', failInfo: { errorCode: 'ERR_HIERARCHY_MISSING' } });
    expect(byKey.bad!.failInfo.errorCode).toBe('ERR_HIERARCHY_INVALID');
    expect(String(byKey.bad!.failInfo.error)).toMatch(/identifier/);

    // Every offset is committed once handled: the group is at the end of the topic.
    const admin = await f.kafka.admin();
    const topic = f.kafka.topic('content.postpublish.request');
    const end = (await admin.fetchTopicOffsets(topic))[0]!.high;
    const committed = await eventually(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: f.kafka.topic('lms.course-structure'), topics: [topic] });
      const at = offsets?.partitions[0]?.offset;
      return at === end ? at : undefined;
    });
    expect(Number(committed)).toBeGreaterThanOrEqual(6);
  });
});
