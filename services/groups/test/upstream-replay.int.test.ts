/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- upstream's examples are untyped JSON that the assertions walk */
/**
 * Replays upstream's groups request/response examples (../shared/reference/upstream-api/groups/)
 * with the Postman placeholders filled in: each operation's main request and every recorded
 * response variant must succeed with the same envelope id/ver and result shape, and every error
 * example with a request (or the 401 examples, sent without a token) must give upstream's `err`
 * code. HTTP statuses are upstream's except where this service answers the right one instead
 * (DEVIATIONS); upstream's numeric responseCode is not copied (the common envelope's names are).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createGroup, startFixture, type Fixture } from './helpers.ts';

const DIR = resolve(import.meta.dirname, '../../../../shared/reference/upstream-api/groups');

/** Where this service answers a different status or code than upstream, and why. */
const DEVIATIONS: Record<string, { status: number; err?: string }> = {
  // An unknown group is 404 here (upstream: 400).
  GS_RED07: { status: 404 },
  GS_UDT07: { status: 404 },
  // Someone else's memberships: the caller is known but not allowed, 403 (upstream: 401).
  GS_MBRSHP_UDT01: { status: 403 },
  // A membership without `visited` is an invalid request here (upstream's test expects a 500).
  GS_MBRSHP_UDT03: { status: 400, err: 'GS_MBRSHP_UDT02' },
};

interface Example {
  request?: unknown;
  summary?: string;
  http_status?: number;
  err?: string | null;
  gateway_path?: string;
  response?: any;
}
interface Operation {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  request: unknown;
  response_example?: any;
  expected_success_assertions?: Record<string, unknown>;
  error_examples?: Example[];
  request_variants?: Example[];
}

const operations: [string, Operation][] = readdirSync(DIR)
  .filter((n) => n.endsWith('.json'))
  .map((n) => [n.replace(/\.json$/, ''), JSON.parse(readFileSync(resolve(DIR, n), 'utf8')) as Operation]);

let f: Fixture;
let vars: Record<string, string>;
let token: string;

function fill(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
  if (Array.isArray(value)) return value.map(fill);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
  return value;
}

beforeAll(async () => {
  f = await startFixture(import.meta.url);
  const me = await f.user();
  token = me.token;
  vars = { user_id: me.id, invalid_user_id: (await f.user()).id, invalid_group_id: 'a3d4f0e2-0000-4000-8000-000000000000', group_name: 'Literature group', group_description: 'Reading together' };
});

afterAll(async () => {
  await f?.close();
});

/** A fresh group of the caller for each request (delete examples remove it). */
async function send(op: Operation, request: unknown, withToken = true, path = op.path) {
  vars.group_id = await createGroup(f, token, { description: vars.group_description });
  const body = op.method === 'GET' ? undefined : fill(request);
  return call(f, op.method, fill(path) as string, { ...(withToken ? { token } : {}), ...(body !== undefined ? { body } : {}) });
}

describe('upstream groups examples', () => {
  it('covers the five upstream operation files', () => {
    expect(operations.map(([n]) => n).sort()).toEqual(['group_create', 'group_list', 'group_membership_update', 'group_read', 'group_update']);
  });

  for (const [name, op] of operations) {
    it(`${name}: the main request and recorded variants succeed with upstream's shape`, async () => {
      const variants: Example[] = [{ request: op.request, response: op.response_example }, ...(op.request_variants ?? []).filter((v) => v.response)];
      for (const variant of variants) {
        // A read example taken with `fields` names them in its summary.
        const fields = /fields=([\w,]+)/.exec(variant.summary ?? '')?.[1];
        const res = await send(op, variant.request, true, fields ? `${op.path}?fields=${fields}` : op.path);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ id: op.expected_success_assertions?.id ?? res.body.id, ver: 'v1', responseCode: 'OK', params: { status: 'SUCCESS', err: null } });
        const expected = variant.response?.result ?? {};
        for (const key of Object.keys(expected)) if (key !== 'responseCode') expect(Object.keys(res.body.result), `${name} result.${key}`).toContain(key);
        const wanted = op.expected_success_assertions?.['result.response'];
        if (wanted !== undefined) expect(res.body.result.response).toBe(wanted);
      }
    });

    for (const [i, example] of (op.error_examples ?? []).entries()) {
      // Examples of a database failure carry no request to replay.
      if (!example.err || (example.request == null && example.http_status !== 401)) continue;
      it(`${name}: error example ${i} answers ${example.err}`, async () => {
        const deviation = DEVIATIONS[example.err!];
        const unauthenticated = example.http_status === 401 && example.err === 'GS_UNAUTHORIZED';
        const path = example.gateway_path?.includes('{{invalid_group_id}}') ? op.path.replace('{{group_id}}', '{{invalid_group_id}}') : op.path;
        const res = await send(op, example.request ?? op.request, !unauthenticated, path);
        expect(res.status, JSON.stringify(res.body)).toBe(deviation?.status ?? example.http_status);
        expect(res.body.params).toMatchObject({ status: 'FAILED', err: deviation?.err ?? example.err });
        expect(res.body.result).toEqual({});
      });
    }
  }
});
