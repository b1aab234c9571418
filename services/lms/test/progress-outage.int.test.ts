/**
 * Kafka unreachable (a loopback proxy in front of the real broker, cut by the suite): enrolments and
 * progress updates still succeed, promptly, their events wait in the outbox, and each reaches Kafka
 * once the broker is reachable again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, day, eventually } from './helpers.ts';
import { TEST_TIMING, startLearnerFixture, type LearnerFixture } from './learner-fixture.ts';
import { batchRequest, createBatch, seedWorld, type Actor, type World } from './world.ts';

let f: LearnerFixture;
let w: World;
let batchId: string;
let learner: Actor;

const pendingKafka = async (): Promise<string[]> => {
  const rs = await f.db.execute(`SELECT kind, target FROM ${f.db.table('sunbird_courses', 'lern_outbox')}`);
  return rs.rows.filter((r) => r.get('kind') === 'kafka').map((r) => r.get('target') as string);
};

beforeAll(async () => {
  f = await startLearnerFixture(import.meta.url, { topics: ['coursebatch.job.request', 'telemetry.audit'], viaProxy: true });
  w = await seedWorld(f);
  batchId = await createBatch(f, w.creator, batchRequest(w, { startDate: day(0), createdFor: [w.rootOrg] }));
  learner = await f.caller(null, [], w.rootOrg);
});
afterAll(async () => {
  await f?.close();
});

describe('Kafka outage', () => {
  it('keeps the enrolment and progress events and publishes each once Kafka is back', async () => {
    const content = `${w.courseId}_u1_c1`;
    await f.kafkaProxy!.cut('refuse');

    const started = performance.now();
    const enrolled = await call(f, 'POST', '/v1/course/enroll', { token: learner.token, body: { request: { courseId: w.courseId, batchId } } });
    const updated = await call(f, 'PATCH', '/v1/content/state/update', { token: learner.token, body: { request: { contents: [{ contentId: content, batchId, courseId: w.courseId, status: 2 }] } } });
    // Each request waited at most the outbox's request-path bound.
    expect(performance.now() - started).toBeLessThan(2 * (TEST_TIMING.requestDeliveryTimeoutMs! + 1_000));
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.result).toEqual({ [content]: 'SUCCESS' });

    // The changes are stored; their events wait in the outbox while the relay keeps failing.
    const row = (await f.db.execute(`SELECT status FROM ${f.db.table('sunbird_courses', 'user_content_consumption')} WHERE userid = ? AND collectionid = ? AND contextid = ? AND contentid = ?`, [learner.id, w.courseId, batchId, content])).first();
    expect(row?.get('status')).toBe(2);
    expect((await pendingKafka()).sort()).toEqual(['coursebatch.job.request', 'telemetry.audit']);
    await new Promise((r) => setTimeout(r, TEST_TIMING.relayGraceMs! + 1_000));
    expect(f.messages('coursebatch.job.request', (m) => m.key === learner.id)).toEqual([]);
    expect(f.messages('telemetry.audit', (m) => m.key === learner.id)).toEqual([]);

    await f.kafkaProxy!.restore();
    const instruction = await eventually(() => Promise.resolve(f.messages('coursebatch.job.request', (m) => m.key === learner.id)[0]), 60_000);
    expect(instruction.value).toMatchObject({
      eid: 'BE_JOB_REQUEST',
      object: { id: `${batchId}_${learner.id}`, type: 'CourseBatchEnrolment' },
      edata: { action: 'batch-enrolment-update', userId: learner.id, batchId, courseId: w.courseId, contents: [{ contentId: content, status: 2 }] },
    });
    await eventually(() => Promise.resolve(f.messages('telemetry.audit', (m) => m.key === learner.id)[0]), 60_000);
    await eventually(async () => ((await pendingKafka()).length === 0 ? true : undefined), 60_000);
    // Once each, and nothing more arrives.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(f.messages('coursebatch.job.request', (m) => m.key === learner.id)).toHaveLength(1);
    expect(f.messages('telemetry.audit', (m) => m.key === learner.id)).toHaveLength(1);
  });
});
