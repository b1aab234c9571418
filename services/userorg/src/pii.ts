/**
 * Personal data at rest: email and phone are stored AES-256-GCM encrypted (random IV, so equal values
 * give different ciphertexts), shown masked, and found through keyed lookup hashes of the normalised
 * value (the `user_lookup` table and the `*Hash` fields of the search index).
 *
 * Both keys come from the one Secret, LERN_ENCRYPTION_KEY:
 * - a raw key (64 hex characters, or 44 base64 characters decoding to 32 bytes) is the AES key
 *   itself; a passphrase (anything else) gives the AES key sha256(passphrase), as it always has, so
 *   existing ciphertexts stay readable;
 * - the lookup key is HKDF-SHA256(master, info {@link LOOKUP_KEY_INFO}), where master is the raw key,
 *   or scrypt(passphrase, {@link PASSPHRASE_SALT}) for a passphrase. The salt is fixed because every
 *   replica and migration must derive the same key; it is a label, not a secret.
 * A lookup hash is HMAC-SHA256(lookup key, `<type>:<normalised value>`) in hex: without the Secret,
 * a leaked hash cannot be brute-forced back to a phone number.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';

const VERSION = 'v1';

/** HKDF `info` of the lookup-hash key: keeps it apart from the encryption key and any later key. */
export const LOOKUP_KEY_INFO = 'lern/userorg/lookup-hash/v1';
/** scrypt salt for passphrase secrets (fixed and public: the derivation must be deterministic). */
export const PASSPHRASE_SALT = 'lern/encryption-key/passphrase/v1';
/** scrypt cost for passphrase secrets: 2^15 x 8 (32 MiB, about 0.1 s once per process). */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** The 32 bytes of a raw key (64 hex chars, or 44 base64 chars), or null for a passphrase. The rule must never change: it decides the AES key of stored data. */
function rawKey(secret: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(secret)) return Buffer.from(secret, 'hex');
  const b64 = /^[A-Za-z0-9+/]{43}=$/.test(secret) ? Buffer.from(secret, 'base64') : null;
  return b64?.length === 32 ? b64 : null;
}

/** True when the secret is used as a raw 32-byte key rather than as a passphrase. */
export function isRawKey(secret: string): boolean {
  return rawKey(secret) !== null;
}

/** The AES-256 key of a secret: the raw key itself, or sha256 of a passphrase (unchanged, for existing ciphertexts). */
export function deriveKey(secret: string): Buffer {
  return rawKey(secret) ?? createHash('sha256').update(secret, 'utf8').digest();
}

// scrypt is slow by design: derive once per secret and process.
const lookupKeys = new Map<string, Buffer>();

/** The HMAC key of lookup hashes: HKDF-SHA256 of the raw key, or of scrypt(passphrase). */
export function deriveLookupKey(secret: string): Buffer {
  let key = lookupKeys.get(secret);
  if (!key) {
    const master = rawKey(secret) ?? scryptSync(secret, PASSPHRASE_SALT, 32, SCRYPT);
    key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), LOOKUP_KEY_INFO, 32));
    lookupKeys.set(secret, key);
  }
  return key;
}

/** Kinds of unique identifiers kept in `user_lookup`. */
export type LookupType = 'email' | 'phone' | 'username' | 'externalid';

/** Encrypts and decrypts personal data, and hashes identifiers for lookups, with keys from one secret. */
export interface PiiCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** HMAC-SHA256 hex of the normalised identifier: the key of `user_lookup` and of the index's hash fields. */
  lookupHash(type: LookupType, value: string): string;
}

/** AES-256-GCM: `v1:<iv b64>:<tag b64>:<ciphertext b64>`; lookup hashes with the derived HMAC key. */
export function createPiiCipher(secret: string): PiiCipher {
  const key = deriveKey(secret);
  let hmacKey: Buffer | undefined;
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
    lookupHash(type, value) {
      // Derived on first use, so a process that never hashes never pays for scrypt.
      hmacKey ??= deriveLookupKey(secret);
      return createHmac('sha256', hmacKey).update(`${type}:${normalizeIdentifier(type, value)}`, 'utf8').digest('hex');
    },
  };
}

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

/**
 * Unkeyed sha256 hex of the normalised value: the lookup hash before V004__rehash_lookups.
 * @deprecated Brute-forceable (a phone number has about 10^10 values). Only the rehash migration
 * (migrations/cassandra/sunbird/V004__rehash_lookups.ts) may use it, to find the rows it replaces.
 */
export function legacyLookupHash(type: LookupType, value: string): string {
  return createHash('sha256').update(`${type}:${normalizeIdentifier(type, value)}`, 'utf8').digest('hex');
}

/**
 * The unkeyed lookup hash under its old name.
 * @deprecated Use `PiiCipher.lookupHash(type, value)`; kept only until every caller has switched
 * (remove it then). New rows hashed with it are invisible once V004__rehash_lookups has run.
 */
export const lookupKey = legacyLookupHash;

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
