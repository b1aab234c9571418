/**
 * Groups throughput: group read with its members (`GET /v1/group/read/:id?fields=members,activities`),
 * cached and uncached, with autocannon against `lern service groups` pinned to one core
 * (taskset -c 0), each beside a baseline measured in the same run on the other core:
 * - cached read   vs the same two Redis GETs (`<groupId>`, `<groupId>_members`) done directly with ioredis;
 * - uncached read vs the same Cassandra reads (group row, member rows, member names) done directly.
 * Needs the real servers (`lern servers up --only cassandra,redis`). BENCH_DURATION, BENCH_CONNECTIONS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { createCassandra, createRedis, discoverComponents, loadConfig, migrateCassandra, repoRoot } from '@lern/kit';
import { ServerManager } from '@lern/test-servers';
import { GroupStore, MemberStore } from '@lern/groups';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MEMBERS = 25;

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const pin = (pid: number, core: string): void => void spawn('taskset', ['-cp', core, String(pid)], { stdio: 'ignore' });

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function startService(env: Record<string, string>, port: number): ChildProcess {
  return spawn('taskset', ['-c', '0', join(root, 'bin/lern'), 'service', 'groups'], {
    env: { ...process.env, ...env, LERN_HTTP_PORT: String(port), LERN_INTERNAL_HTTP_PORT: String(port + 100), LERN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function cannon(name: string, opts: autocannon.Options): Promise<Figure> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Runs `op` with `concurrency` loops for DURATION seconds. */
async function direct(name: string, concurrency: number, op: () => Promise<unknown>): Promise<Figure> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await op();
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { name, rps: latencies.length / DURATION, p50: at(0.5), p99: at(0.99), errors };
}

function row(f: Figure, base?: Figure): string {
  const ratio = base ? `${((f.rps / base.rps) * 100).toFixed(0)}% of ${base.name}` : '';
  return `${f.name.padEnd(44)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50.toFixed(1).padStart(6)} ms  p99 ${f.p99.toFixed(1).padStart(6)} ms  errors ${String(f.errors).padStart(4)}  ${ratio}`;
}

const manager = new ServerManager();
await manager.up(['cassandra', 'redis']);
const servers = manager.env(['cassandra', 'redis']);
pin(process.pid, String(Math.max(1, cpus().length - 1)));

const id = `bench${randomBytes(3).toString('hex')}`;
const keysDir = await mkdtemp(join(tmpdir(), 'groups-bench-'));
const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
await writeFile(join(keysDir, 'bench'), await exportSPKI(publicKey));
const issuer = 'http://127.0.0.1/auth/realms/sunbird';
const cachePrefix = `${id}:`;
const env: Record<string, string> = {
  ...servers,
  LERN_CASSANDRA_KEYSPACE_PREFIX: `b_${id}_`,
  LERN_AUTH_KEYS_DIR: keysDir,
  LERN_AUTH_ISSUER: issuer,
  LERN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  LERN_GROUPS_CACHE_PREFIX: cachePrefix,
};
const config = loadConfig(env);
await migrateCassandra({ config, components: await discoverComponents(repoRoot(), { services: ['userorg', 'groups'] }) });
const token = (userId: string) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuer(issuer).setSubject(`f:x:${userId}`).setExpirationTime('2h').sign(privateKey);

const db = createCassandra(config.cassandra);
const redis = createRedis(config.redis);
const users = Array.from({ length: MEMBERS }, () => randomUUID());
for (const u of users) await db.execute(`INSERT INTO ${db.table('sunbird', 'user')} (id, firstname, status, isdeleted) VALUES (?, ?, 1, false)`, [u, 'Member'], { prepare: true });
const [owner] = users as [string];
const ownerToken = await token(owner);

const PORT = 19500 + Math.floor(Math.random() * 100);
const PORT_NOCACHE = PORT + 1;
const children: ChildProcess[] = [startService(env, PORT), startService({ ...env, LERN_GROUPS_CACHE_TTL_SECONDS: '0' }, PORT_NOCACHE)];
try {
  await waitFor(`http://127.0.0.1:${PORT}/readyz`);
  await waitFor(`http://127.0.0.1:${PORT_NOCACHE}/readyz`);
  const created = await fetch(`http://127.0.0.1:${PORT}/v1/group/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authenticated-user-token': ownerToken },
    body: JSON.stringify({ request: { name: 'Bench group', members: users.slice(1).map((userId) => ({ userId })), activities: [{ id: 'do_1', type: 'Course' }] } }),
  });
  const groupId = ((await created.json()) as { result: { groupId: string } }).result.groupId;
  const readUrl = (port: number) => `http://127.0.0.1:${port}/v1/group/read/${groupId}?fields=members,activities`;
  const headers = { 'x-authenticated-user-token': ownerToken };
  for (const port of [PORT, PORT_NOCACHE]) await autocannon({ url: readUrl(port), headers, connections: 8, duration: 3 });

  const groups = new GroupStore(db);
  const members = new MemberStore(db);
  const cachedFig = await cannon('group read, cached (service, core 0)', { url: readUrl(PORT), headers });
  const redisFig = await direct('same 2 Redis GETs, direct ioredis', CONNECTIONS, () => Promise.all([redis.client.get(`${cachePrefix}${groupId}`), redis.client.get(`${cachePrefix}${groupId}_members`)]));
  const uncachedFig = await cannon('group read, uncached (service, core 0)', { url: readUrl(PORT_NOCACHE), headers });
  const cassFig = await direct('same Cassandra reads, direct driver', CONNECTIONS, async () => {
    const [, rows] = await Promise.all([groups.get(groupId), members.ofGroup(groupId)]);
    await db.execute(`SELECT id, firstname, lastname, status, isdeleted FROM ${db.table('sunbird', 'user')} WHERE id IN ?`, [rows.map((m) => m.userId)], { prepare: true });
  });
  console.log(`\ngroups bench: ${DURATION}s per run, ${CONNECTIONS} connections, ${MEMBERS} members, service pinned to core 0, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(row(cachedFig, redisFig));
  console.log(row(redisFig));
  console.log(row(uncachedFig, cassFig));
  console.log(row(cassFig));
} finally {
  for (const c of children) c.kill('SIGTERM');
  await db.close();
  await redis.close();
  await rm(keysDir, { recursive: true, force: true });
}
process.exit(0);
