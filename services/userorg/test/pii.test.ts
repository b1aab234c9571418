import { describe, expect, it } from 'vitest';
import { createPiiCipher, deriveKey, isValidEmail, isValidPassword, isValidPhone, lookupKey, maskEmail, maskPhone } from '../src/pii.ts';

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

describe('lookup keys', () => {
  it('normalise before hashing', () => {
    expect(lookupKey('email', ' Someone@Example.COM ')).toBe(lookupKey('email', 'someone@example.com'));
    expect(lookupKey('phone', '987-654-3210')).toBe(lookupKey('phone', '9876543210'));
    expect(lookupKey('username', 'Ravi')).toBe(lookupKey('username', 'ravi'));
    expect(lookupKey('email', 'a@b.co')).not.toBe(lookupKey('username', 'a@b.co'));
    expect(lookupKey('email', 'a@b.co')).toMatch(/^[0-9a-f]{64}$/);
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
