import { createHash, randomBytes } from 'node:crypto';

/** Names that keep one test file's data apart from every other's on the shared servers. */
export interface IsolatedNames {
  /** Short unique token, lowercase letters and digits. */
  id: string;
  /** Cassandra keyspace (letters, digits, underscore; at most 48). */
  keyspace: string;
  /** Search index prefix (lowercase, no underscore start). */
  index: string;
  /** Kafka topic prefix, ending with a dot. */
  topic: string;
  /** Kubernetes namespace (DNS label). */
  namespace: string;
  /** Redis key prefix, ending with a colon. */
  redisPrefix: string;
  /** PostgreSQL schema or table prefix. */
  sql: string;
}

/** Characters of the creation stamp inside an id: minutes since the epoch in base 36 (enough until 2084). */
const STAMP_LENGTH = 5;
/** Random hex characters closing an id. */
const RANDOM_LENGTH = 4;

/** The creation stamp of names made at `now`. */
export function nameStamp(now: number = Date.now()): string {
  return Math.floor(now / 60_000).toString(36).padStart(STAMP_LENGTH, '0').slice(-STAMP_LENGTH);
}

/**
 * When an isolated id was made (ms since the epoch), read from its stamp; undefined when the id is
 * not of this form (older runs' names), so a sweep can treat it as stale.
 */
export function createdAt(id: string, now: number = Date.now()): number | undefined {
  if (!/^[a-z0-9]+$/.test(id) || id.length < STAMP_LENGTH + RANDOM_LENGTH + 1) return undefined;
  const stamp = id.slice(-(STAMP_LENGTH + RANDOM_LENGTH), -RANDOM_LENGTH);
  const minutes = parseInt(stamp, 36);
  const at = minutes * 60_000;
  // A stamp from the future or from long ago is not a stamp: an older run's random characters.
  return Number.isFinite(at) && at <= now + 86_400_000 && at >= now - 30 * 86_400_000 ? at : undefined;
}

/**
 * Derives isolated names from the test file (readable), a creation stamp (so stale data of earlier
 * runs can be swept) and randomness (unique per run). Ids stay short enough for a keyspace with the
 * longest Lern suffix (`_sunbird_notifications`) under Cassandra's 48 characters.
 */
export function isolatedNames(label: string, now: number = Date.now()): IsolatedNames {
  const base = label.split('/').at(-1)?.replace(/\.(test|spec)\.ts$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '') ?? 't';
  const short = base.slice(0, 8) || 't';
  const id = `${short}${createHash('sha1').update(label).digest('hex').slice(0, 4)}${nameStamp(now)}${randomBytes(RANDOM_LENGTH / 2).toString('hex')}`;
  return {
    id,
    keyspace: `t_${id}`,
    index: `t-${id}`,
    topic: `t.${id}.`,
    namespace: `t-${id}`,
    redisPrefix: `t:${id}:`,
    sql: `t_${id}`,
  };
}
