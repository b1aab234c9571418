/**
 * Personal data at rest: email and phone are stored AES-256-GCM encrypted (random IV, so equal values
 * give different ciphertexts), shown masked, and found through sha256 lookup keys of the normalised
 * value (the `user_lookup` table and the `*Hash` fields of the search index).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** Turns the configured secret (any string; 64 hex chars or 44 base64 chars are used as-is) into a 32-byte key. */
export function deriveKey(secret: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(secret)) return Buffer.from(secret, 'hex');
  const b64 = /^[A-Za-z0-9+/]{43}=$/.test(secret) ? Buffer.from(secret, 'base64') : null;
  if (b64?.length === 32) return b64;
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Encrypts and decrypts personal data with one key. */
export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** AES-256-GCM: `v1:<iv b64>:<tag b64>:<ciphertext b64>`. */
export function createPiiCipher(secret: string): PiiCipher {
  const key = deriveKey(secret);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('not a sealed value');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

/** Kinds of unique identifiers kept in `user_lookup`. */
export type LookupType = 'email' | 'phone' | 'username' | 'externalid';

/** Normalises a value before hashing: emails and usernames are case-insensitive, phones keep digits only. */
export function normalizeIdentifier(type: LookupType, value: string): string {
  const v = value.trim();
  switch (type) {
    case 'email':
    case 'username':
      return v.toLowerCase();
    case 'phone':
      return v.replace(/[^0-9]/g, '');
    case 'externalid':
      return v.toLowerCase();
  }
}

/** sha256 hex of the normalised value: the key of `user_lookup` and of the index's hash fields. */
export function lookupKey(type: LookupType, value: string): string {
  return createHash('sha256').update(`${type}:${normalizeIdentifier(type, value)}`, 'utf8').digest('hex');
}

/** Upstream's email check (ProjectUtil.isEmailvalid). */
export const EMAIL_PATTERN = /^[_A-Za-z0-9\-+]+(\.[_A-Za-z0-9-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9]+)*(\.[A-Za-z]{2,})$/;

/** True when the value is an email address upstream would accept. */
export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_PATTERN.test(value);
}

/** Phone numbers: 10 digits for the default country (+91, like upstream), 6-15 digits otherwise. */
export function isValidPhone(value: string, countryCode?: string): boolean {
  const cc = (countryCode ?? '+91').replace(/\s/g, '');
  if (!/^\+?[0-9]{1,4}$/.test(cc)) return false;
  if (cc === '+91' || cc === '91') return /^[6-9][0-9]{9}$/.test(value);
  return /^[0-9]{6,15}$/.test(value);
}

/** Upstream's password rule: at least 8 characters with a digit, a lower and an upper case letter and a special character. */
export function isValidPassword(value: string): boolean {
  return value.length >= 8 && /[0-9]/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[^A-Za-z0-9]/.test(value);
}

/** `abcdef@example.com` -> `ab****@example.com` (upstream DefaultDataMaskServiceImpl). */
export function maskEmail(email: string): string {
  if (!isValidEmail(email)) return email;
  const at = email.indexOf('@');
  return email.slice(0, Math.min(2, at)) + '*'.repeat(Math.max(0, at - 2)) + email.slice(at);
}

/** `9876543210` -> `******3210`; numbers shorter than 10 digits are returned unchanged, like upstream. */
export function maskPhone(phone: string): string {
  const p = phone.trim().replace(/-/g, '');
  if (p.length < 10) return phone;
  return '*'.repeat(p.length - 4) + p.slice(-4);
}
