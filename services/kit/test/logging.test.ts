import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, defineService, loadConfig, loggerOptions, serializeRequest, type LernApp } from '@lern/kit';

const EMAIL = 'a.person@example.org';
const PHONE = '9876543210';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret-token.signature';
const lines: Record<string, unknown>[] = [];
let app: LernApp;

beforeAll(async () => {
  const service = defineService({
    name: 'logging',
    connectors: [],
    register(a) {
      a.get('/v1/user/exists/:key/:value', (request) => {
        // Code that logs headers itself still does not leak credentials.
        request.log.info({ headers: request.headers }, 'headers seen');
        return { exists: false };
      });
    },
  });
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  app = await createApp({ service, config: loadConfig({}), logger: loggerOptions('info', stream) });
  await app.ready();
});
afterAll(async () => app.close());

const linesOf = (requestId: string): Record<string, unknown>[] => lines.filter((l) => l.reqId === requestId);

describe('request logs', () => {
  it('name the route pattern, never the URL or query with an email in it', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/v1/user/exists/email/${EMAIL}?phone=${PHONE}`,
      headers: { 'x-request-id': 'req-email-1', 'x-authenticated-user-token': TOKEN },
    });
    expect(res.statusCode).toBe(200);
    const logged = linesOf('req-email-1');
    const text = JSON.stringify(logged);
    expect(text).not.toContain('a.person');
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(TOKEN);
    const incoming = logged.find((l) => l.msg === 'incoming request');
    expect(incoming?.req).toEqual({ method: 'GET', route: '/v1/user/exists/:key/:value', requestId: 'req-email-1' });
    const completed = logged.find((l) => l.msg === 'request completed');
    expect(completed?.res).toEqual({ method: 'GET', route: '/v1/user/exists/:key/:value', requestId: 'req-email-1', statusCode: 200 });
    const headers = logged.find((l) => l.msg === 'headers seen')?.headers as Record<string, unknown>;
    expect(headers['x-authenticated-user-token']).toBe('[Redacted]');
  });

  it('an unmatched path is logged without its URL', async () => {
    const res = await app.inject({ method: 'GET', url: `/v1/user/get/email/${EMAIL}/extra`, headers: { 'x-request-id': 'req-email-2' } });
    expect(res.statusCode).toBe(404);
    const logged = linesOf('req-email-2');
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain('a.person');
    expect(logged.find((l) => l.msg === 'request completed')?.res).toEqual({ method: 'GET', requestId: 'req-email-2', statusCode: 404 });
  });

  it('a raw node request is described by its method only', () => {
    expect(serializeRequest({ method: 'POST', url: `/v1/user/exists/email/${EMAIL}` } as Parameters<typeof serializeRequest>[0])).toEqual({ method: 'POST' });
  });
});
