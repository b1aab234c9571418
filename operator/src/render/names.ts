import { createHash } from 'node:crypto';

/** Kubernetes' limit for names that become DNS labels (Services, Jobs' pod labels). */
export const MAX_NAME_LENGTH = 63;

/** Canonical JSON: object keys sorted, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Short, stable content hash (hex) of any JSON value. */
export function contentHash(value: unknown, length = 10): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/**
 * The one way child objects are named: parts joined by "-", lowercased, anything outside
 * [a-z0-9-] replaced, starting with a letter (DNS-1035, so the name also works for a Service).
 * Names longer than 63 characters keep a readable prefix and end in a hash of the full name,
 * so two long names never collide and the same parts always give the same name.
 */
export function childName(...parts: string[]): string {
  let name = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (!/^[a-z]/.test(name)) name = `l-${name}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  const suffix = contentHash(name, 8);
  const prefix = name.slice(0, MAX_NAME_LENGTH - suffix.length - 1).replace(/-+$/, '');
  return `${prefix}-${suffix}`;
}

/** A version as it may appear inside a name: dots and plus signs become dashes. */
export function versionForName(version: string): string {
  return version.replace(/[.+]/g, '-');
}
