import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers, testNames } from '../../setup/servers-env.ts';
import { cqlQuery } from '../src/servers/cassandra.ts';

const names = testNames(import.meta.url);
let env: Record<string, string>;
let client: cassandra.Client;

beforeAll(async () => {
  env = await requireServers(['cassandra']);
  client = new cassandra.Client({
    contactPoints: [env.LERN_CASSANDRA_CONTACT_POINTS!],
    localDataCenter: env.LERN_CASSANDRA_LOCAL_DC!,
    socketOptions: { connectTimeout: 5_000, readTimeout: 20_000 },
  });
  await client.connect();
});

afterAll(async () => {
  await client?.execute(`DROP KEYSPACE IF EXISTS ${names.keyspace}`).catch(() => undefined);
  await client?.shutdown();
});

describe('cassandra', () => {
  it('is the single node of datacenter1 that the environment names', async () => {
    const { rows } = await client.execute('SELECT data_center, release_version FROM system.local');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.data_center).toBe(env.LERN_CASSANDRA_LOCAL_DC);
    expect(rows[0]!.release_version).toMatch(/^5\.0\./);
    expect(env.LERN_CASSANDRA_CONTACT_POINTS).toBe(`${env.LERN_CASSANDRA_HOST}:${env.LERN_CASSANDRA_PORT}`);
  });

  it('creates a keyspace and a table, writes and reads rows with prepared statements, drops the keyspace', async () => {
    const ks = names.keyspace;
    await client.execute(`CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
    await client.execute(`CREATE TABLE ${ks}.user_course (userid text, courseid text, progress int, updated timestamp, PRIMARY KEY (userid, courseid))`);
    const insert = `INSERT INTO ${ks}.user_course (userid, courseid, progress, updated) VALUES (?, ?, ?, ?)`;
    const updated = new Date('2024-05-01T10:00:00Z');
    await client.execute(insert, ['u-1', 'do_1', 40, updated], { prepare: true });
    await client.execute(insert, ['u-1', 'do_2', 100, updated], { prepare: true });
    await client.execute(insert, ['u-2', 'do_1', 5, updated], { prepare: true });

    const { rows } = await client.execute(`SELECT courseid, progress, updated FROM ${ks}.user_course WHERE userid = ?`, ['u-1'], { prepare: true });
    expect(rows.map((r) => [r.courseid as string, r.progress as number, (r.updated as Date).toISOString()])).toEqual([
      ['do_1', 40, updated.toISOString()],
      ['do_2', 100, updated.toISOString()],
    ]);

    await client.execute(`DROP KEYSPACE ${ks}`);
    const left = await client.execute('SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?', [ks], { prepare: true });
    expect(left.rowLength).toBe(0);
  });

  it('answers the probe query over the raw native protocol, and a refused statement yields nothing', async () => {
    const port = Number(env.LERN_CASSANDRA_PORT);
    expect(await cqlQuery(port, 'SELECT release_version FROM system.local')).toEqual([[expect.stringMatching(/^5\.0\./)]]);
    expect(await cqlQuery(port, 'SELECT nothing FROM no_such_keyspace.no_table')).toBeUndefined();
  });
});
