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

/** Derives isolated names from the test file (readable) plus randomness (unique per run). */
export function isolatedNames(label: string): IsolatedNames {
  const base = label.split('/').at(-1)?.replace(/\.(test|spec)\.ts$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '') ?? 't';
  const short = base.slice(0, 12) || 't';
  const id = `${short}${createHash('sha1').update(label).digest('hex').slice(0, 4)}${randomBytes(3).toString('hex')}`;
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
