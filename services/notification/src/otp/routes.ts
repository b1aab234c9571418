/**
 * OTP routes. Generate is internal (User-Org's `/v1/otp/generate` calls it): it sends a code by SMS
 * or email, rate-limited per key. Verify is public, as upstream (sign-up flows have no token); a
 * code allows a few wrong attempts and is then void, so guessing is bounded.
 */
import { LernError, clientError, defineRoute, serviceUnavailable, type Route } from '@lern/kit';
import type { NotificationDeps } from '../context.ts';
import { plainValidation } from '../errors.ts';
import { SuccessResult } from '../schemas.ts';
import { deliverAll } from '../send/send.ts';
import { codeHash, mayGenerate, newCode, otpMessage, verifyOutcome } from './operations.ts';
import { GenerateBody, VerifyBody, VerifyResult } from './schemas.ts';
import type { OtpStore } from './store.ts';

function secretOf(deps: NotificationDeps): string {
  const secret = deps.options.otp.secret;
  if (!secret) throw serviceUnavailable('SERVICE_UNAVAILABLE', 'OTP is not configured (LERN_NOTIFICATION_OTP_SECRET)');
  return secret;
}

export function otpRoutes(deps: NotificationDeps, store: OtpStore): Route[] {
  const o = deps.options.otp;
  return [
    defineRoute({
      method: 'POST',
      url: '/private/v1/notification/otp/generate',
      policy: 'internal',
      errors: [429],
      validationError: plainValidation,
      schema: { body: GenerateBody, result: SuccessResult },
      summary: 'Generate a code for a phone number or email and send it (rate-limited per key)',
      tags: ['otp'],
      handler: async (req) => {
        const { key, type, template, subject } = req.body.request;
        const secret = secretOf(deps);
        const now = deps.now();
        const recent = await store.recentGenerations(key, new Date(now.getTime() - o.windowMinutes * 60_000));
        if (!mayGenerate(recent, o.maxPerWindow)) {
          throw new LernError('TOO_MANY_REQUESTS', 'ERROR_RATE_LIMIT_EXCEEDED', `Your per ${o.windowMinutes} minutes rate limit has exceeded. You can retry after some time.`);
        }
        const code = newCode(o.length);
        await store.put(key, codeHash(secret, key, code), now, o.expiryMinutes * 60, o.windowMinutes * 60);
        const message = otpMessage(code, o.expiryMinutes, template);
        await deliverAll(deps, [{ mode: type, deliveryType: 'otp', config: subject ? { subject } : {}, ids: [key], template: { data: message } }], req.requestId);
        return { response: 'SUCCESS' as const };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/notification/otp/verify',
      policy: 'public',
      errors: [429],
      validationError: plainValidation,
      schema: { body: VerifyBody, result: VerifyResult },
      summary: 'Verify a code; a few wrong attempts void it',
      tags: ['otp'],
      handler: async (req) => {
        const { key, value } = req.body.request;
        const stored = await store.get(key);
        const outcome = verifyOutcome(stored, codeHash(secretOf(deps), key, value), o.maxAttempts);
        if (outcome.result === 'verified') {
          await store.remove(key);
          return { response: 'SUCCESS' as const, message: 'SUCCESS' as const };
        }
        if (outcome.result === 'void' || !stored) {
          if (stored) throw new LernError('TOO_MANY_REQUESTS', 'ERROR_OTP_ATTEMPT_EXCEEDED', 'Too many wrong attempts: generate a new code.');
          throw clientError('ERROR_INVALID_OTP', 'Invalid OTP.');
        }
        await store.countAttempt(key, stored.attempts + 1, stored.ttl);
        throw clientError('ERROR_INVALID_OTP', 'Invalid OTP.');
      },
    }),
  ];
}
