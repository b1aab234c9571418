/** OTP against real servers: generate (SMS through the provider endpoint, email through SMTP), verify, attempts, rate limit, hashed storage. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, receivedMail, startFixture, uniqueEmail, type Fixture } from './helpers.ts';

let f: Fixture;
let n = 0;
const phone = () => `90000${String(Date.now() % 100000).padStart(5, '0')}${n++}`;

async function generate(key: string, type: 'phone' | 'email' = 'phone') {
  return call(f, 'POST', '/private/v1/notification/otp/generate', { internal: true, body: { request: { key, type, template: 'Code $otp valid $otpExpiryInMinutes min', subject: 'Your code' } } });
}

function smsCode(key: string): string {
  const sent = f.sms.calls.filter((c) => c.body.sms[0].to[0] === key).at(-1);
  return /Code (\d+) valid 10 min/.exec(sent?.body.sms[0].message as string)![1]!;
}

const verify = (key: string, value: string) => call(f, 'POST', '/v1/notification/otp/verify', { body: { request: { key, value } } });

beforeAll(async () => {
  f = await startFixture(import.meta.url);
});

afterAll(async () => {
  await f?.close();
});

describe('otp', () => {
  it('sends a code by SMS that verifies once, stored only as a keyed hash', async () => {
    const key = phone();
    const res = await generate(key);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const code = smsCode(key);
    expect(code).toMatch(/^\d{6}$/);
    const stored = await f.db.execute(`SELECT code_hash FROM ${f.db.table('sunbird_notifications', 'otp_code')} WHERE key = ?`, [key]);
    expect(stored.first()?.get('code_hash')).toMatch(/^[0-9a-f]{64}$/);
    expect(String(stored.first()?.get('code_hash'))).not.toContain(code);
    const ok = await verify(key, code);
    expect(ok.status).toBe(200);
    expect(ok.body.result).toEqual({ response: 'SUCCESS', message: 'SUCCESS' });
    const again = await verify(key, code);
    expect(again.status).toBe(400);
    expect(again.body.params.err).toBe('ERROR_INVALID_OTP');
  });

  it('sends a code by email through the SMTP server', async () => {
    const key = uniqueEmail();
    expect((await generate(key, 'email')).status).toBe(200);
    const mail = await receivedMail(f, key);
    expect(mail).toContain('Subject: Your code');
    const code = /Code (\d{6}) valid/.exec(mail)![1]!;
    expect((await verify(key, code)).status).toBe(200);
  });

  it('voids a code after the allowed wrong attempts', async () => {
    const key = phone();
    await generate(key);
    const code = smsCode(key);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 3; i++) expect((await verify(key, wrong)).status).toBe(400);
    const blocked = await verify(key, code);
    expect(blocked.status).toBe(429);
    expect(blocked.body.params.err).toBe('ERROR_OTP_ATTEMPT_EXCEEDED');
  });

  it('rate-limits generation per key', async () => {
    const key = phone();
    for (let i = 0; i < 3; i++) expect((await generate(key)).status).toBe(200);
    const res = await generate(key);
    expect(res.status).toBe(429);
    expect(res.body.params.err).toBe('ERROR_RATE_LIMIT_EXCEEDED');
  });

  it('validates, and keeps generate off the public port', async () => {
    expect((await call(f, 'POST', '/private/v1/notification/otp/generate', { body: { request: { key: phone(), type: 'phone' } } })).status).toBe(404);
    const bad = await call(f, 'POST', '/v1/notification/otp/verify', { body: { request: { key: phone(), value: '12ab' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.params.err).toBe('INVALID_REQUESTED_DATA');
    const missing = await call(f, 'POST', '/v1/notification/otp/verify', { body: { request: { key: phone() } } });
    expect(missing.body.params.errmsg).toBe('Mandatory parameter value is missing');
  });
});
