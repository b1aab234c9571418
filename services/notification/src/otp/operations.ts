/** OTP decisions, pure: codes, their keyed hashes, and the verify and rate-limit outcomes. */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export interface OtpOptions {
  /** HMAC key of stored codes; OTP routes answer 503 without one. */
  secret: string | null;
  length: number;
  expiryMinutes: number;
  /** Wrong codes tolerated before the code is void. */
  maxAttempts: number;
  /** Codes one key may be sent per window. */
  maxPerWindow: number;
  windowMinutes: number;
}

/** A random numeric code of `length` digits (leading zeros allowed). */
export function newCode(length: number): string {
  return Array.from({ length }, () => String(randomInt(10))).join('');
}

/** The stored form of a code: HMAC-SHA256 over key and code (a leaked table reveals no code). */
export function codeHash(secret: string, key: string, code: string): string {
  return createHmac('sha256', secret).update(`${key}\u0000${code}`).digest('hex');
}

/** The stored state of a key's code. */
export interface StoredCode {
  codeHash: string;
  attempts: number;
}

export type VerifyOutcome = { result: 'verified' } | { result: 'wrong'; attemptsLeft: number } | { result: 'void' };

/** What a verify attempt means: `void` when no usable code exists (expired, used, too many attempts). */
export function verifyOutcome(stored: StoredCode | null, givenHash: string, maxAttempts: number): VerifyOutcome {
  if (!stored || stored.attempts >= maxAttempts) return { result: 'void' };
  const a = Buffer.from(stored.codeHash, 'hex');
  const b = Buffer.from(givenHash, 'hex');
  if (a.length === b.length && timingSafeEqual(a, b)) return { result: 'verified' };
  return { result: 'wrong', attemptsLeft: maxAttempts - stored.attempts - 1 };
}

/** True when another code may be sent to a key that was sent `recent` codes in the window. */
export function mayGenerate(recent: number, maxPerWindow: number): boolean {
  return recent < maxPerWindow;
}

/** The message carrying a code. */
export function otpMessage(code: string, expiryMinutes: number, template?: string): string {
  const text = template ?? 'Your verification code is $otp. It is valid for $otpExpiryInMinutes minutes.';
  return text.replaceAll('${otp}', code).replaceAll('$otpExpiryInMinutes', String(expiryMinutes)).replaceAll('${otpExpiryInMinutes}', String(expiryMinutes)).replaceAll('$otp', code);
}
