import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import {
  createPiiCipher,
  deriveKey,
  deriveLookupKey,
  isRawKey,
  isValidEmail,
  isValidPassword,
  isValidPhone,
  legacyLookupHash,
  lookupKey,
  maskEmail,
  maskPhone,
} from '../src/pii.ts';

describe('PII cipher', () => {
  const cipher = createPiiCipher('a test secret');

  it('round-trips and never repeats a ciphertext', () => {
    const a = cipher.encrypt('someone@example.com');
    const b = cipher.encrypt('someone@example.com');
    expect(a).not.toBe(b);
    expect(a).not.toContain('someone');
    expect(cipher.decrypt(a)).toBe('someone@example.com');
    expect(cipher.decrypt(b)).toBe('someone@example.com');
  });

  it('refuses tampered values and other keys', () => {
    const sealed = cipher.encrypt('9876543210');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3]!, 'base64');
    body[0] = body[0]! ^ 1;
    expect(() => cipher.decrypt([...parts.slice(0, 3), body.toString('base64')].join(':'))).toThrow();
    expect(() => createPiiCipher('another secret').decrypt(sealed)).toThrow();
    expect(() => cipher.decrypt('plain text')).toThrow('not a sealed value');
  });

  it('uses 64 hex characters as the key itself', () => {
    const hex = 'ab'.repeat(32);
    expect(deriveKey(hex).toString('hex')).toBe(hex);
    expect(deriveKey('short')).toHaveLength(32);
  });
});

describe('masking (upstream DefaultDataMaskServiceImpl)', () => {
  it.each([
    ['abcdef@example.com', 'ab****@example.com'],
    ['ab@example.com', 'ab@example.com'],
    ['testuser@yopmail.com', 'te******@yopmail.com'],
    ['not-an-email', 'not-an-email'],
  ])('email %s -> %s', (input, masked) => expect(maskEmail(input)).toBe(masked));

  it.each([
    ['9876543210', '******3210'],
    ['987-654-3210', '******3210'],
    ['12345', '12345'],
  ])('phone %s -> %s', (input, masked) => expect(maskPhone(input)).toBe(masked));
});

describe('keys from the one secret', () => {
  const hex = 'ab'.repeat(32);

  it('keeps the AES key of every secret as it was (stored ciphertexts stay readable)', () => {
    expect(deriveKey(hex).toString('hex')).toBe(hex);
    const b64 = randomBytes(32).toString('base64');
    expect(deriveKey(b64).toString('base64')).toBe(b64);
    expect(deriveKey('change-me')).toEqual(createHash('sha256').update('change-me').digest());
  });

  it.each([
    ['ab'.repeat(32), true],
    [randomBytes(32).toString('base64'), true],
    ['ab'.repeat(31), false],
    [randomBytes(32).toString('base64').slice(0, 43), false],
    [randomBytes(31).toString('base64'), false],
    ['change-me', false],
  ])('%s is a raw key: %s', (secret, raw) => expect(isRawKey(secret)).toBe(raw));

  // Pinned values, computed independently (Python hashlib: HKDF by hand, scrypt, HMAC): changing the
  // derivation would orphan every stored lookup row.
  it('lookup key = HKDF-SHA256(raw key, info "lern/userorg/lookup-hash/v1")', () => {
    expect(deriveLookupKey(hex).toString('hex')).toBe('b9fe3f020b52973116d6d84e21b5334de6225a60350eac2fc4a6f732027a932c');
    expect(createPiiCipher(hex).lookupHash('phone', '98765 43210')).toBe('8f959cd88cb567a91de30be5e05571cb4c7c01c0e8855a8bf081a942ee6d9b06');
  });

  it('a passphrase goes through scrypt with the fixed salt before HKDF', () => {
    expect(createPiiCipher('change-me').lookupHash('email', 'Someone@Example.com')).toBe('47721f1d1d81744b4c95dd145024fede3a92aae7dea26be6b4b9bfc6b703ff1d');
  });

  it('the lookup key is neither the encryption key nor shared across secrets', () => {
    expect(deriveLookupKey(hex)).not.toEqual(deriveKey(hex));
    expect(deriveLookupKey('change-me')).not.toEqual(deriveKey('change-me'));
    expect(deriveLookupKey('change-me')).not.toEqual(deriveLookupKey('change-me!'));
  });
});

describe('lookup hashes', () => {
  const cipher = createPiiCipher('cd'.repeat(32));

  it('normalise before hashing', () => {
    expect(cipher.lookupHash('email', ' Someone@Example.COM ')).toBe(cipher.lookupHash('email', 'someone@example.com'));
    expect(cipher.lookupHash('phone', '987-654-3210')).toBe(cipher.lookupHash('phone', '9876543210'));
    expect(cipher.lookupHash('username', 'Ravi')).toBe(cipher.lookupHash('username', 'ravi'));
    expect(cipher.lookupHash('externalid', 'Google:Email:X')).toBe(cipher.lookupHash('externalid', 'google:email:x'));
    expect(cipher.lookupHash('email', 'a@b.co')).not.toBe(cipher.lookupHash('username', 'a@b.co'));
    expect(cipher.lookupHash('email', 'a@b.co')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are the same for every replica with the same secret, and differ without it', () => {
    expect(createPiiCipher('cd'.repeat(32)).lookupHash('phone', '9876543210')).toBe(cipher.lookupHash('phone', '9876543210'));
    expect(createPiiCipher('ef'.repeat(32)).lookupHash('phone', '9876543210')).not.toBe(cipher.lookupHash('phone', '9876543210'));
  });

  it('cannot be recomputed from the value alone (unlike the legacy hash)', () => {
    const keyed = cipher.lookupHash('phone', '9876543210');
    expect(legacyLookupHash('phone', '9876543210')).toBe('c8ed4cca650d4c20fa98e774ffed141cc357b28e0e8b44d12cdf30b44fb65da4');
    expect(keyed).not.toBe(legacyLookupHash('phone', '9876543210'));
    expect(keyed).not.toBe(createHash('sha256').update('9876543210').digest('hex'));
  });

  it('lookupKey is the deprecated legacy hash, until every caller has switched', () => {
    expect(lookupKey('email', 'A@b.co')).toBe(legacyLookupHash('email', 'a@b.co'));
  });
});

describe('format checks', () => {
  it.each([
    ['user@example.com', true],
    ['first+tag.last@sub.example.org', true],
    ['&*^*', false],
    ['invalidemailformat.com', false],
    ['testaccount5', false],
  ])('email %s valid=%s', (v, ok) => expect(isValidEmail(v)).toBe(ok));

  it.each([
    ['9876543210', undefined, true],
    ['abc1234567', undefined, false],
    ['819813^&', undefined, false],
    ['12345', undefined, false],
    ['4155552671', '+1', true],
  ])('phone %s (%s) valid=%s', (v, cc, ok) => expect(isValidPhone(v, cc)).toBe(ok));

  it.each([
    ['Pass@1234', true],
    ['test1234', false],
    ['Pass@1', false],
    ['PASSWORD@1', false],
  ])('password %s valid=%s', (v, ok) => expect(isValidPassword(v)).toBe(ok));
});
