import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerManager, resolvePaths, resolvePorts } from '@lern/test-servers';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers, testNames } from '../../setup/servers-env.ts';

const names = testNames(import.meta.url);
let env: Record<string, string>;

beforeAll(async () => {
  env = await requireServers(['redis', 'postgres']);
});

describe('redis', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(env.LERN_REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  });
  afterAll(() => redis.quit());

  it('sets and gets a key, and expires it', async () => {
    const key = `${names.redisPrefix}greeting`;
    await redis.set(key, 'hello', 'PX', 60_000);
    expect(await redis.get(key)).toBe('hello');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await redis.del(key);
    expect(await redis.get(key)).toBeNull();
  });
});

describe('postgres', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: env.LERN_POSTGRES_URL });
    await client.connect();
  });
  afterAll(() => client.end());

  it('creates a table, inserts and queries a row', async () => {
    const table = `${names.sql}_job_request`;
    await client.query(`CREATE TABLE ${table} (tag text, request_id text, status text, PRIMARY KEY (tag, request_id))`);
    await client.query(`INSERT INTO ${table} VALUES ($1, $2, $3)`, ['batch-1', 'r-1', 'SUBMITTED']);
    const { rows } = await client.query<{ status: string }>(`SELECT status FROM ${table} WHERE tag = $1`, ['batch-1']);
    expect(rows).toEqual([{ status: 'SUBMITTED' }]);
    await client.query(`DROP TABLE ${table}`);
  });
});

describe('a server that cannot start', () => {
  it('is reported with the tail of its log and the command to retry', async () => {
    const dataRoot = await mkdtemp(join(tmpdir(), 'lern-fail-'));
    // A second Redis pointed at the port the shared PostgreSQL already holds: a real bind failure.
    const manager = new ServerManager({
      paths: { ...resolvePaths(), dataRoot },
      ports: { ...resolvePorts(), redis: Number(env.LERN_POSTGRES_PORT) },
      progress: { info: () => undefined, step: <T>(_label: string, fn: () => Promise<T>): Promise<T> => fn() },
    });
    try {
      await expect(manager.up(['redis'])).rejects.toThrow(/Address already in use[\s\S]*retry with: lern servers up --only redis/);
    } finally {
      await manager.down(['redis']);
      await rm(dataRoot, { recursive: true, force: true });
    }
  });
});
