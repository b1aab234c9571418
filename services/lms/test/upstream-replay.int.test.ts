/* eslint-disable @typescript-eslint/no-explicit-any -- upstream examples are untyped JSON that the assertions walk */
/**
 * Replays upstream's lms request/response examples (../shared/reference/upstream-api/lms/) for the
 * batch and certificate template operations, Postman placeholders filled in: success examples must
 * give HTTP 200 with upstream's envelope id and version and every field upstream's response shows;
 * error examples that carry a request must give upstream's HTTP status and, where upstream names one,
 * its `err` code and message. Two examples differ on purpose (DEVIATIONS); examples without a
 * request (2020-era API docs) and variants with dates now in the past cannot be replayed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, day, type Fixture, startFixture } from './helpers.ts';
import { batchRequest, createBatch, seedWorld, type World } from './world.ts';

const DIR = resolve(import.meta.dirname, '../../../../shared/reference/upstream-api/lms');
const OPERATIONS = ['batch_create', 'batch_read', 'batch_search', 'cert_template_add'] as const;

/** Who calls each operation (upstream's gateway consumer -> our roles). */
const CALLER: Record<(typeof OPERATIONS)[number], 'creator' | 'member' | 'none'> = {
  batch_create: 'creator',
  batch_read: 'member',
  batch_search: 'none',
  cert_template_add: 'creator',
};

/** Examples answered differently on purpose, with what this service answers instead. */
const DEVIATIONS: Record<string, { status: number; err: string | null; why: string }> = {
  'batch_search#0': { status: 400, err: 'MANDATORY_PARAMETER_MISSING', why: 'a search without filters is a client error, not upstream\'s 500' },
  'cert_template_add#3': { status: 200, err: null, why: 'no content platform to look template assets up: any identifier is accepted' },
};

interface Example {
  method?: string;
  request?: unknown;
  http_status?: number;
  responseCode?: string;
  err?: string | null;
  errmsg?: string | null;
}
interface OperationFile {
  method: string;
  path: string;
  request: unknown;
  response_example?: { result?: Record<string, any> };
  expected_success_assertions?: { id?: string; ver?: string };
  error_examples?: Example[];
  request_variants?: { request?: unknown; summary?: string; response?: { responseCode?: string } }[];
}

let f: Fixture;
let w: World;
let vars: Record<string, string>;
const tokens: Record<string, string | undefined> = {};

function fill(value: unknown): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{([\w-]+)\}\}$/.exec(value);
    if (whole) return vars[whole[1]!] ?? value;
    return value.replace(/\{\{([\w-]+)\}\}/g, (m, k: string) => vars[k] ?? m);
  }
  if (Array.isArray(value)) return value.map(fill);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
  return value;
}

const load = (name: string): OperationFile => JSON.parse(readFileSync(resolve(DIR, `${name}.json`), 'utf8')) as OperationFile;
const send = (op: OperationFile, key: string, method: string, request: unknown) =>
  call(f, method as 'GET', fill(op.path) as string, { token: tokens[CALLER[key as keyof typeof CALLER]], ...(request ? { body: fill(request) } : {}) });

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  w = await seedWorld(f);
  tokens.creator = w.creator.token;
  tokens.member = w.member.token;
  const batchId = await createBatch(f, w.creator, batchRequest(w));
  vars = {
    course_id: w.courseId,
    'course-id': w.courseId,
    batch_id: batchId,
    'batch-id': batchId,
    batch_name: 'Replayed batch',
    batch_description: 'From upstream examples',
    batch_start_date: day(1),
    batch_end_date: day(30),
    user_id: w.creator.id,
    asset_id: 'do_113788048780771328112',
  };
});

afterAll(async () => {
  await f?.close();
});

describe('upstream lms examples', () => {
  it('finds the examples', () => {
    expect(existsSync(DIR), `upstream examples expected in ${DIR} (the shared/ folder beside the checkout)`).toBe(true);
  });

  for (const key of OPERATIONS) {
    const op = load(key);
    // Variants from 2020 with literal dates describe batches that can no longer start: not replayable.
    const startsInPast = (r: unknown) => {
      const start = (r as { request?: { startDate?: unknown } } | null)?.request?.startDate;
      return typeof start === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(start) && start < day(0);
    };
    const variants = (op.request_variants ?? []).filter((v) => v.request && (v.response?.responseCode ?? 'OK') === 'OK').map((v) => v.request);
    const requests = [op.request, ...variants].filter((r) => !startsInPast(r));

    requests.forEach((request, i) => {
      it(`${key}: success ${i}`, async () => {
        const res = await send(op, key, op.method, request);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect([res.body.responseCode, res.body.params.status, res.body.params.err]).toEqual(['OK', 'SUCCESS', null]);
        expect([res.body.id, res.body.ver]).toEqual([op.expected_success_assertions?.id, op.expected_success_assertions?.ver]);
        const shown = op.response_example?.result?.response;
        if (key === 'batch_read') expect(Object.keys(res.body.result.response as object)).toEqual(expect.arrayContaining(Object.keys(shown as object)));
        if (key === 'batch_search' && i === 0) {
          for (const item of res.body.result.response.content as object[]) expect(Object.keys(item)).toEqual(expect.arrayContaining(Object.keys(shown.content[1] as object)));
        }
        if (typeof shown === 'string') expect(res.body.result.response).toBe(shown);
      });
    });

    (op.error_examples ?? []).forEach((ex, i) => {
      if (ex.request == null) return;
      const deviation = DEVIATIONS[`${key}#${i}`];
      it(`${key}: error ${i} (${ex.http_status} ${ex.err ?? ''})${deviation ? ` differs: ${deviation.why}` : ''}`, async () => {
        const res = await send(op, key, ex.method ?? op.method, ex.request);
        const want = deviation ?? { status: ex.http_status!, err: ex.err ?? null };
        expect(res.status, JSON.stringify(res.body)).toBe(want.status);
        if (want.status >= 400) expect(res.body.params.status).toBe('FAILED');
        if (want.err) expect(res.body.params.err).toBe(want.err);
        if (!deviation && ex.err) {
          expect(res.body.responseCode).toBe(ex.responseCode);
          if (ex.errmsg) expect(res.body.params.errmsg).toBe(ex.errmsg);
        }
      });
    });
  }
});
