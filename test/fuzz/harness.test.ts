/**
 * The fuzz harness against small fastify apps on loopback (no Lern servers): a broken one, where
 * each of the four checks must fire on the route built to trip it, and a sound one, where nothing
 * may. Also the pure parts: curl lines, the config file, grouping of failures.
 */
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import swagger from '@fastify/swagger';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSchemathesis } from './python-env.ts';
import { buildReport, curlFor, formatReport, groupFailures, shellQuote, type FuzzFailure } from './report.ts';
import { configToml, runArguments, runSchemathesis } from './schemathesis.ts';
import { settingsFromEnv } from './targets.ts';

const TOKEN = 'token-for-the-self-test';
const nameBody = { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 20 } } } as const;
const fastifyError = { type: 'object', properties: { statusCode: { type: 'integer' }, code: { type: 'string' }, error: { type: 'string' }, message: { type: 'string' } } } as const;
const idResult = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;

/** Typed loosely on purpose: the broken routes answer with statuses their schema does not declare. */
const documented = (schema: FastifySchema): FastifySchema => schema;

async function listen(build: (app: FastifyInstance) => void): Promise<{ app: FastifyInstance; schemaUrl: string }> {
  const app = Fastify();
  await app.register(swagger, { openapi: { info: { title: 'self-test', version: '1' } } });
  build(app);
  app.get('/documentation/json', { schema: { hide: true } }, () => app.swagger());
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, schemaUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/documentation/json` };
}

/** Each route breaks the contract one way. */
function brokenRoutes(app: FastifyInstance): void {
  // Answers 418, which the document does not declare.
  app.post('/teapot', { schema: documented({ body: nameBody, response: { 200: idResult, 400: fastifyError } }) }, (_req, reply) => reply.code(418).send({ teapot: true }));
  // Fails on every request.
  app.get('/crash', { schema: documented({ response: { 200: idResult } }) }, (_req, reply) => reply.code(500).send({ boom: true }));
  // Declares a string id and sends a number.
  app.get('/wrong-shape', { schema: { response: { 200: idResult } } }, (_req, reply) => reply.header('content-type', 'application/json').send('{"id":5}'));
  // Declares any name valid, then refuses it (with a documented 400).
  app.post('/picky', { schema: { body: nameBody, response: { 200: idResult, 400: fastifyError } } }, (_req, reply) =>
    reply.code(400).send({ statusCode: 400, code: 'PICKY', error: 'Bad Request', message: 'no' }),
  );
}

/** Keeps its document: validation errors and unsupported bodies are declared. */
function soundRoutes(app: FastifyInstance): void {
  const errors = { 400: fastifyError, 413: fastifyError, 415: fastifyError };
  app.post('/things', { schema: { body: nameBody, response: { 200: idResult, ...errors } } }, (req) => ({ id: (req.body as { name: string }).name }));
  app.get('/things/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', maxLength: 10 } } }, response: { 200: idResult, 400: fastifyError } } }, (req) => ({
    id: (req.params as { id: string }).id,
  }));
}

describe('against small fastify apps', () => {
  const apps: FastifyInstance[] = [];
  let reports: string;
  /** A report folder per run, removed with the rest (runs that find something keep theirs otherwise). */
  const reportDir = (name: string): string => {
    const dir = join(reports, name);
    mkdirSync(dir);
    return dir;
  };

  beforeAll(async () => {
    reports = mkdtempSync(join(tmpdir(), 'lern-fuzz-selftest-'));
    // The first run installs schemathesis into the cache.
    await ensureSchemathesis();
  }, 600_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    if (reports) rmSync(reports, { recursive: true, force: true });
  });

  it('reports each broken contract under its check, with a curl line', async () => {
    const { app, schemaUrl } = await listen(brokenRoutes);
    apps.push(app);
    const { report } = await runSchemathesis({ schemaUrl, headers: { 'x-authenticated-user-token': TOKEN }, examples: 5, seed: 1, reportDir: reportDir('broken') });
    const found = (operation: string, check: string): FuzzFailure | undefined => report.failures.find((f) => f.operation === operation && f.check === check);
    expect(report.operationsTested).toBe(4);
    expect(report.errors).toEqual([]);
    expect(found('POST /teapot', 'status_code_conformance')?.status, formatReport(report)).toBe(418);
    expect(found('GET /crash', 'not_a_server_error')?.status).toBe(500);
    expect(found('GET /wrong-shape', 'response_schema_conformance')?.status).toBe(200);
    expect(found('POST /picky', 'positive_data_acceptance')?.status).toBe(400);
    // A documented 400 for an invalid body is no failure of any kind.
    expect(report.failures.filter((f) => f.operation === 'POST /picky' && f.check !== 'positive_data_acceptance')).toEqual([]);
    const teapot = found('POST /teapot', 'status_code_conformance')!;
    expect(teapot.curl).toMatch(/^curl -g -sS -X POST /);
    expect(teapot.curl).toContain('"x-authenticated-user-token: $TOKEN"');
    expect(teapot.curl).toContain(`${schemaUrl.replace('/documentation/json', '')}/teapot`);
    expect(Object.keys(report.byCheck).sort()).toEqual(['not_a_server_error', 'positive_data_acceptance', 'response_schema_conformance', 'status_code_conformance']);
  }, 300_000);

  it('reports an operation it could not test as an error, naming the operation', async () => {
    const { app, schemaUrl } = await listen((a) => {
      a.get('/slow', { schema: { response: { 200: idResult } } }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        return { id: 'late' };
      });
    });
    apps.push(app);
    const { report } = await runSchemathesis({ schemaUrl, examples: 1, requestTimeoutSec: 1, reportDir: reportDir('slow') });
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors[0]).toMatch(/^GET \/slow: ReadTimeout: /);
  }, 300_000);

  it('finds nothing in an app that keeps its document', async () => {
    const { app, schemaUrl } = await listen(soundRoutes);
    apps.push(app);
    const { report } = await runSchemathesis({ schemaUrl, examples: 5, seed: 1, reportDir: reportDir('sound') });
    expect(report.operationsTested).toBe(2);
    expect(report.failures, formatReport(report)).toEqual([]);
    expect(report.errors).toEqual([]);
  }, 300_000);
});

describe('pure parts', () => {
  it('quotes shell words exactly', () => {
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shellQuote('a\u0000b\n')).toBe(`$'a\\x00b\\x0a'`);
    expect(shellQuote('é')).toBe(`$'\\xc3\\xa9'`);
    expect(shellQuote(`\\'`)).toBe(`'\\'\\'''`);
  });

  it('turns a recorded request into curl, the masked token read from $TOKEN', () => {
    const curl = curlFor({
      method: 'POST',
      uri: 'http://127.0.0.1:1/v1/user/search?x=[1]',
      headers: { 'x-authenticated-user-token': ['[Filtered]'], 'Content-Type': ['application/json'] },
      body: { $base64: Buffer.from('{"request":{}}').toString('base64') },
    });
    expect(curl).toBe(
      `curl -g -sS -X POST -H "x-authenticated-user-token: $TOKEN" -H 'Content-Type: application/json' --data-binary '{"request":{}}' 'http://127.0.0.1:1/v1/user/search?x=[1]'`,
    );
  });

  it('groups failing cases by operation, check and outcome, keeping the smallest request', () => {
    const base = { operation: 'POST /a', check: 'status_code_conformance', title: 'ST103 Undocumented status code' };
    const request = (body: string) => ({ method: 'POST', uri: 'http://h/a', body });
    const groups = groupFailures([
      { ...base, message: 'Received: 400\nDocumented: 200', status: 400, request: request('{"long":"xxxxxxxx"}') },
      { ...base, message: 'Received: 400\nDocumented: 200', status: 400, request: request('{}') },
      { ...base, message: 'Received: 415\nDocumented: 200', status: 415, request: request('x') },
    ]);
    expect(groups.map((g) => [g.status, g.cases])).toEqual([
      [400, 2],
      [415, 1],
    ]);
    expect(groups[0]!.curl).toContain(`--data-binary '{}'`);
  });

  it('builds totals from the run report and details from the event stream', () => {
    const run = JSON.stringify({ complete: true, operations: { selected: 2, tested: 2 }, test_cases: { generated: 9 }, errors: [{ title: 'Network Error', count: 1 }] });
    const failing = (caseId: string, status: number) => ({
      ScenarioFinished: {
        status: 'failure',
        recorder: {
          label: 'GET /a',
          checks: { [caseId]: [{ name: 'not_a_server_error', status: 'success' }, { name: 'status_code_conformance', status: 'failure', failure_info: { failure: { code: 'ST103', title: 'Undocumented status code', operation: 'GET /a', message: `Received: ${status}\nDocumented: 200` } } }] },
          interactions: { [caseId]: { request: { method: 'GET', uri: 'http://h/a' }, response: { status_code: status, content: { $base64: Buffer.from('{"x":1}').toString('base64') } } } },
        },
      },
    });
    const events = [
      failing('c1', 404),
      failing('c2', 404),
      { NonFatalError: { value: { type: 'ReadTimeout', message: 'Read timed out.' }, phase: 'fuzzing', label: 'POST /b' } },
    ].map((e) => JSON.stringify(e));
    const report = buildReport(run, events.join('\n'));
    expect(report).toMatchObject({ operationsTotal: 2, operationsTested: 2, testCases: 9, complete: true });
    expect(report.errors).toEqual(['POST /b: ReadTimeout: Read timed out. (fuzzing phase)']);
    expect(report.byCheck).toEqual({ status_code_conformance: { distinct: 1, operations: 1, cases: 2 } });
    expect(report.failures[0]).toMatchObject({ title: 'ST103 Undocumented status code', status: 404, responseExcerpt: '{"x":1}', curl: `curl -g -sS -X GET 'http://h/a'` });
  });

  it('writes headers and the acceptance statuses into the config, and bounds generation on the command line', () => {
    const config = configToml({ 'x-authenticated-user-token': 'a"b' });
    expect(config).toContain('headers = { "x-authenticated-user-token" = "a\\"b" }');
    expect(config).toContain('[checks.positive_data_acceptance]\nexpected-statuses = ["2xx", "403", "404", "409", "429", "5xx"]');
    const args = runArguments({ schemaUrl: 'http://h/documentation/json', examples: 7, seed: 42 }, '/tmp/r');
    expect(args.slice(0, 4)).toEqual(['--config-file', '/tmp/r/schemathesis.toml', 'run', 'http://h/documentation/json']);
    expect(args.join(' ')).toContain('--max-examples 7 --seed 42');
    expect(args.join(' ')).toContain('--checks not_a_server_error,status_code_conformance,response_schema_conformance,positive_data_acceptance');
    expect(args).not.toContain('a"b');
  });

  it('reads LERN_FUZZ_* settings and refuses nonsense', () => {
    expect(settingsFromEnv({}, { examples: 5 })).toEqual({ examples: 5, seed: 1, workers: 1 });
    expect(settingsFromEnv({ LERN_FUZZ_EXAMPLES: '200', LERN_FUZZ_SEED: '7', LERN_FUZZ_PATHS: '^/v1/user' }, { examples: 5 })).toEqual({
      examples: 200,
      seed: 7,
      workers: 1,
      includePathRegex: '^/v1/user',
    });
    expect(() => settingsFromEnv({ LERN_FUZZ_EXAMPLES: 'lots' }, { examples: 5 })).toThrow(/LERN_FUZZ_EXAMPLES/);
  });
});
