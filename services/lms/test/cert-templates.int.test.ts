/**
 * PATCH /v1/course/batch/cert/template/add and /remove on real servers: templates with completion
 * and score criteria stored on the batch and shown parsed, re-indexed with the batch; validation,
 * unknown batch or course, and who may change them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX } from '../src/index.ts';
import { call, uid, type Fixture, startFixture } from './helpers.ts';
import { batchRequest, createBatch, seedWorld, type World } from './world.ts';

let f: Fixture;
let w: World;
let batchId: string;

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  w = await seedWorld(f);
  batchId = await createBatch(f, w.creator, batchRequest(w, { mentors: [w.mentor.id] }));
});

afterAll(async () => {
  await f?.close();
});

const signatory = { name: 'CEO', id: 'ceo', designation: 'CEO', image: 'https://example.org/sign.png' };
const template = (identifier: string, criteria: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  identifier,
  criteria,
  issuer: { name: 'Academy', url: 'https://example.org', publicKey: [7, 8] },
  signatoryList: [signatory],
  ...extra,
});
const add = (token: string | undefined, batch: Record<string, unknown>) => call(f, 'PATCH', '/v1/course/batch/cert/template/add', { token, body: { request: { batch } } });
const remove = (token: string | undefined, batch: Record<string, unknown>) => call(f, 'PATCH', '/v1/course/batch/cert/template/remove', { token, body: { request: { batch } } });
const templatesOf = async (id: string) =>
  (await call(f, 'GET', `/v1/course/batch/read/${id}`, { token: w.member.token })).body.result.response.cert_templates as Record<string, Record<string, unknown>>;

describe('certificate templates', () => {
  it('adds completion and score templates, shown parsed and indexed', async () => {
    const completion = template('tmpl_completion', { enrollment: { status: '2' } }, { name: 'Completion', notifyTemplate: { subject: 'Well done' } });
    const res = await add(w.creator.token, { courseId: w.courseId, batchId, template: completion });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe('api.course.batch.cert.template.add');
    expect(res.body.result).toEqual({ response: 'SUCCESS' });
    const merit = template('tmpl_merit', { assessment: { score: { '>=': 60 } }, enrollment: { status: 2 }, user: { rootOrgId: w.rootOrg } });
    expect((await add(w.mentor.token, { courseId: w.courseId, batchId, template: merit })).status).toBe(200);

    const templates = await templatesOf(batchId);
    expect(templates.tmpl_completion).toEqual({
      identifier: 'tmpl_completion',
      name: 'Completion',
      url: '',
      criteria: { enrollment: { status: 2 } },
      issuer: { name: 'Academy', url: 'https://example.org', publicKey: [7, 8] },
      signatoryList: [signatory],
      notifyTemplate: { subject: 'Well done' },
    });
    expect(templates.tmpl_merit!.criteria).toEqual({ assessment: { score: { '>=': 60 } }, enrollment: { status: 2 }, user: { rootOrgId: w.rootOrg } });
    const doc = await f.search.get<{ cert_templates: Record<string, unknown> }>(INDEX.batch, batchId);
    expect(Object.keys(doc!.cert_templates).sort()).toEqual(['tmpl_completion', 'tmpl_merit']);
    const stored = (await f.db.execute(`SELECT cert_templates FROM ${f.db.table('sunbird_courses', 'course_batch')} WHERE courseid = ? AND batchid = ?`, [w.courseId, batchId])).first();
    expect((stored.get('cert_templates') as Record<string, Record<string, string>>).tmpl_completion!.criteria).toBe('{"enrollment":{"status":2}}');
  });

  it('replaces a template of the same id and removes templates', async () => {
    expect((await add(w.creator.token, { courseId: w.courseId, batchId, template: template('tmpl_merit', { assessment: { score: { eq: 100 } } }) })).status).toBe(200);
    expect((await templatesOf(batchId)).tmpl_merit!.criteria).toEqual({ assessment: { score: { eq: 100 } } });
    const res = await remove(w.creator.token, { courseId: w.courseId, batchId, template: { identifier: 'tmpl_merit' } });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('api.course.batch.cert.template.remove');
    expect(Object.keys(await templatesOf(batchId))).toEqual(['tmpl_completion']);
    // Removing what is not there changes nothing.
    expect((await remove(w.creator.token, { courseId: w.courseId, batchId, template: { identifier: 'tmpl_none' } })).status).toBe(200);
    const doc = await f.search.get<{ cert_templates: Record<string, unknown> }>(INDEX.batch, batchId);
    expect(Object.keys(doc!.cert_templates)).toEqual(['tmpl_completion']);
  });

  it('answers with upstream err codes', async () => {
    const good = template('tmpl_x', { enrollment: { status: 2 } });
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ batchId, template: good }, 400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter courseId is missing.'],
      [{ courseId: w.courseId, template: good }, 400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter batchId is missing.'],
      [{ courseId: w.courseId, batchId }, 400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter template is missing.'],
      [{ courseId: w.courseId, batchId, template: { ...good, identifier: undefined } }, 400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter identifier is missing.'],
      [{ courseId: w.courseId, batchId, template: { ...good, criteria: undefined } }, 400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter criteria is missing.'],
      [{ courseId: w.courseId, batchId, template: { ...good, issuer: undefined } }, 400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter issuer is missing.'],
      [{ courseId: w.courseId, batchId, template: { ...good, criteria: {} } }, 400, 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter Enrollment or Status is missing.'],
      [{ courseId: w.courseId, batchId, template: { ...good, criteria: { enrollment: { status: 5 } } } }, 400, 'INVALID_PARAMETER_VALUE', 'Invalid value 5 for parameter status. Please provide a valid value.'],
      [{ courseId: w.courseId, batchId, template: { ...good, signatoryList: [{ ...signatory, image: '' }] } }, 400, 'ERROR_MANDATORY_PARAMETER_EMPTY', 'Mandatory parameter image is empty.'],
      [{ courseId: w.courseId, batchId: 'unknown', template: good }, 400, 'INVALID_COURSE_BATCH_ID', 'No such batchId exists'],
      [{ courseId: uid('do'), batchId, template: good }, 400, 'INVALID_COURSE_BATCH_ID', 'batchId is not linked with courseId'],
    ];
    for (const [batch, status, err, errmsg] of cases) {
      const res = await add(w.creator.token, batch);
      expect({ batch, status: res.status, err: res.body.params.err, errmsg: res.body.params.errmsg }).toEqual({ batch, status, err, errmsg });
    }
  });

  it('is for those who manage the batch', async () => {
    const body = { courseId: w.courseId, batchId, template: template('tmpl_y', { enrollment: { status: 2 } }) };
    expect((await add(undefined, body)).status).toBe(401);
    expect((await add(w.member.token, body)).status).toBe(403);
    expect((await add(w.otherCreator.token, body)).status).toBe(403);
    expect((await remove(w.otherCreator.token, { courseId: w.courseId, batchId, template: { identifier: 'tmpl_completion' } })).status).toBe(403);
    expect((await add(w.sysadmin.token, body)).status).toBe(200);
  });
});
