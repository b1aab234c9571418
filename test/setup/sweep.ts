/**
 * Removes what earlier test runs left on the shared servers: keyspaces, search indices and Kafka
 * topics named by isolatedNames. Thousands of leftover tables slow every Cassandra schema change
 * until migrations time out, and leftover indices fill Elasticsearch's shard limit, so each run
 * starts by sweeping. Only data stamped more than STALE_AFTER_MS ago (or unstamped, from older
 * runs) goes: a suite running at the same time keeps its own.
 */
import cassandra from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { createdAt } from '@lern/test-servers';

/** Test data younger than this belongs to a run that may still be going. */
export const STALE_AFTER_MS = 3 * 3_600_000;

/** The isolated id inside a keyspace (`t_<id>_sunbird`), index (`t-<id>-user_alias`) or topic (`t.<id>.delete.user`). */
export function isolatedIdOf(name: string): string | undefined {
  const m = /^t[_.-]([a-z0-9]+)/.exec(name);
  return m?.[1];
}

/** True when a name is test data old enough to remove (pure). */
export function isStale(name: string, now: number = Date.now()): boolean {
  const id = isolatedIdOf(name);
  if (id === undefined) return false;
  const at = createdAt(id, now);
  return at === undefined || now - at > STALE_AFTER_MS;
}

/** What one sweep removed, per store. */
export interface SweepReport {
  keyspaces: number;
  indices: number;
  topics: number;
}

async function sweepCassandra(contactPoints: string, dataCenter: string, now: number): Promise<number> {
  const client = new cassandra.Client({ contactPoints: contactPoints.split(','), localDataCenter: dataCenter, socketOptions: { readTimeout: 120_000 } });
  try {
    const rows = await client.execute('SELECT keyspace_name FROM system_schema.keyspaces');
    const stale = rows.rows.map((r) => String(r.keyspace_name)).filter((k) => isStale(k, now));
    for (const keyspace of stale) await client.execute(`DROP KEYSPACE IF EXISTS "${keyspace}"`);
    return stale.length;
  } finally {
    await client.shutdown();
  }
}

async function sweepSearch(url: string, now: number): Promise<number> {
  const listed = await fetch(`${url}/_cat/indices?format=json&h=index&expand_wildcards=all`);
  if (!listed.ok) throw new Error(`listing indices at ${url}: HTTP ${listed.status}`);
  const stale = ((await listed.json()) as { index: string }[]).map((i) => i.index).filter((i) => isStale(i, now));
  // Names, not wildcards: destructive wildcard deletes are refused by default.
  for (let i = 0; i < stale.length; i += 50) {
    const res = await fetch(`${url}/${stale.slice(i, i + 50).join(',')}?ignore_unavailable=true`, { method: 'DELETE' });
    if (!res.ok) throw new Error(`deleting indices at ${url}: HTTP ${res.status} ${await res.text()}`);
  }
  return stale.length;
}

async function sweepKafka(brokers: string, now: number): Promise<number> {
  const admin = new Kafka({ clientId: 'lern-test-sweep', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const stale = (await admin.listTopics()).filter((t) => isStale(t, now));
    for (let i = 0; i < stale.length; i += 100) await admin.deleteTopics({ topics: stale.slice(i, i + 100), timeout: 60_000 });
    return stale.length;
  } finally {
    await admin.disconnect();
  }
}

/** Sweeps every store whose endpoint `env` names (the variables `lern servers env` prints). */
export async function sweepStaleTestData(env: Record<string, string | undefined>, now: number = Date.now()): Promise<SweepReport> {
  const report: SweepReport = { keyspaces: 0, indices: 0, topics: 0 };
  if (env.LERN_CASSANDRA_CONTACT_POINTS) report.keyspaces = await sweepCassandra(env.LERN_CASSANDRA_CONTACT_POINTS, env.LERN_CASSANDRA_LOCAL_DC ?? 'datacenter1', now);
  for (const url of [env.LERN_ELASTICSEARCH_URL, env.LERN_OPENSEARCH_URL]) if (url) report.indices += await sweepSearch(url, now);
  if (env.LERN_KAFKA_BROKERS) report.topics = await sweepKafka(env.LERN_KAFKA_BROKERS, now);
  return report;
}
