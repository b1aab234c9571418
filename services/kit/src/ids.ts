import { randomUUID } from 'node:crypto';

/** Envelope `id` and `ver` of a request path. */
export interface ApiId {
  /** `api.user.create` */
  id: string;
  /** `v1` */
  ver: string;
}

const VERSION_SEGMENT = /^v\d+$/;

/**
 * Derives Sunbird's envelope id and version from a path (a route pattern or a raw URL), as upstream's
 * controllers do: `/v1/user/create` -> `api.user.create` / `v1`, `/v1/user/read/:userId` ->
 * `api.user.read` (route parameters are dropped), `/private/user/v1/read/:id` -> `api.private.user.read`,
 * `/health` -> `api.all.health` / `v1` (unversioned paths belong to `all`).
 */
export function apiIdFromPath(path: string): ApiId {
  const pathname = path.split('?', 1)[0] ?? '';
  const segments = pathname
    .split('/')
    .filter((s) => s !== '' && !s.startsWith(':') && s !== '*')
    .map((s) => safeDecode(s).toLowerCase());
  const versionAt = segments.findIndex((s) => VERSION_SEGMENT.test(s));
  if (versionAt === -1) {
    return { id: ['api', 'all', ...segments.filter((s) => s !== 'service')].join('.'), ver: 'v1' };
  }
  const ver = segments[versionAt] ?? 'v1';
  const rest = segments.filter((_, i) => i !== versionAt);
  return { id: ['api', ...rest].join('.'), ver };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The request id: the caller's `x-request-id` when it is a sensible token, else a new UUID.
 * Overlong or control-character ids are replaced so they cannot pollute logs or responses.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value !== undefined && value.length > 0 && value.length <= 128 && /^[\w.:@-]+$/.test(value)) return value;
  return randomUUID();
}
