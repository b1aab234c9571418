/**
 * User-Org throughput: user read (cached and uncached) and user create, with autocannon against
 * `lern service userorg` pinned to one core (taskset -c 0), each beside a baseline measured in the
 * same run:
 * - cached read   vs a bare fastify route doing the same Redis GET (also on core 0), the same GET done
 *                  directly with ioredis, and a bare fastify route with no I/O;
 * - uncached read vs the same Cassandra reads done directly with cassandra-driver;
 * - create        vs the same Cassandra writes (user row + lookups with IF NOT EXISTS) done directly.
 * The load generator and the direct baselines run on the other core. Needs the real servers
 * (`lern servers up --only cassandra,redis,kafka,opensearch`); LERN_SEARCH_ENGINE picks the engine.
 * Target (from upstream's 145 req/s per core): user read >= 725 req/s with p99 < 50 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { createCassandra, createRedis, discoverComponents, loadConfig, migrateCassandra, migrateKafka, migrateSearch, repoRoot } from '@lern/kit';
import { ServerManager } from '@lern/test-servers';
import { createPiiCipher, UserOrgStore } from '@lern/userorg';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const engine = process.env.LERN_SEARCH_ENGINE === 'elasticsearch' ? 'elasticsearch' : 'opensearch';

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function pin(pid: number, core: string): void {
  spawn('taskset', ['-cp', core, String(pid)], { stdio: 'ignore' });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`${url} not ready`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function startService(env: Record<string, string>, port: number): ChildProcess {
  const child = spawn('taskset', ['-c', '0', join(root, 'bin/lern'), 'service', 'userorg'], {
    env: { ...process.env, ...env, LERN_HTTP_PORT: String(port), LERN_INTERNAL_HTTP_PORT: String(port + 100), LERN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function cannon(name: string, opts: autocannon.Options): Promise<Figure> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Runs `op` with `concurrency` loops for DURATION seconds; throughput and latency percentiles. */
async function direct(name: string, concurrency: number, op: (i: number) => Promise<unknown>): Promise<Figure> {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const end = performance.now() + DURATION * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await op(i++);
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
  return `${f.name.padEnd(42)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50.toFixed(1).padStart(6)} ms  p99 ${f.p99.toFixed(1).padStart(6)} ms  errors ${String(f.errors).padStart(4)}  ${ratio}`;
}

const manager = new ServerManager();
await manager.up(['cassandra', 'redis', 'kafka', engine]);
const servers = manager.env(['cassandra', 'redis', 'kafka', engine]);
pin(process.pid, String(Math.max(1, cpus().length - 1)));

const id = `bench${randomBytes(3).toString('hex')}`;
const keysDir = await mkdtemp(join(tmpdir(), 'userorg-bench-'));
const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
await writeFile(join(keysDir, 'bench'), await exportSPKI(publicKey));
const issuer = 'http://127.0.0.1/auth/realms/sunbird';
const env: Record<string, string> = {
  ...servers,
  LERN_CASSANDRA_KEYSPACE_PREFIX: `b_${id}_`,
  LERN_SEARCH_INDEX_PREFIX: `b-${id}-`,
  LERN_KAFKA_TOPIC_PREFIX: `b.${id}.`,
  LERN_SEARCH_ENGINE: engine,
  LERN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  LERN_AUTH_KEYS_DIR: keysDir,
  LERN_AUTH_ISSUER: issuer,
};
const config = loadConfig(env);
const components = await discoverComponents(repoRoot(), { services: ['userorg'] });
await migrateCassandra({ config, components });
await migrateSearch({ config, components });
await migrateKafka({ config, components });

const token = (userId: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuer(issuer).setSubject(`f:x:${userId}`).setExpirationTime('2h').sign(privateKey);

const db = createCassandra(config.cassandra);
const redis = createRedis(config.redis);
const store = new UserOrgStore(db, createPiiCipher(env.LERN_ENCRYPTION_KEY!));
const admin = randomUUID();
// The kit reads grants of existing users only; a system administrator may create users without a channel.
await db.execute(`INSERT INTO ${db.table('sunbird', 'user')} (id, firstname, status, isdeleted) VALUES (?, ?, 1, false)`, [admin, 'Bench admin']);
await store.roles.putGrant(admin, { role: 'SYSTEM_ADMINISTRATION', scope: [{ organisationId: '*' }] });
const adminToken = await token(admin);

const PORT = 19700 + Math.floor(Math.random() * 200);
const PORT_NOCACHE = PORT + 1;
const PORT_BARE = PORT + 2;
const cached = startService(env, PORT);
const uncached = startService({ ...env, LERN_USERORG_USER_CACHE_TTL: '0' }, PORT_NOCACHE);
const children: ChildProcess[] = [cached, uncached];
try {
  await waitFor(`http://127.0.0.1:${PORT}/readyz`);
  await waitFor(`http://127.0.0.1:${PORT_NOCACHE}/readyz`);
  // One user to read.
  const created = await fetch(`http://127.0.0.1:${PORT}/v2/user/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authenticated-user-token': adminToken },
    body: JSON.stringify({ request: { firstName: 'Bench', lastName: 'User', email: `bench-${id}@example.com`, phone: '9876500001', userName: `bench_${id}` } }),
  });
  const userId = ((await created.json()) as { result: { userId: string } }).result.userId;
  const userToken = await token(userId);
  const readUrl = (port: number) => `http://127.0.0.1:${port}/v1/user/read/${userId}`;
  const readBody = await (await fetch(readUrl(PORT), { headers: { 'x-authenticated-user-token': userToken } })).text();
  const bodyFile = join(keysDir, 'read.json');
  await writeFile(bodyFile, readBody);
  const bare = spawn('taskset', ['-c', '0', process.execPath, join(here, '_userorg-bare.ts'), String(PORT_BARE), bodyFile, env.LERN_REDIS_URL!], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(bare);
  await new Promise((r) => bare.stdout.once('data', r));

  const headers = { 'x-authenticated-user-token': userToken };
  // Warm up each target (JIT, prepared statements, connection pools).
  for (const port of [PORT, PORT_NOCACHE]) await autocannon({ url: readUrl(port), headers, connections: 8, duration: 3 });

  const figures: Figure[] = [];
  const bareFig = await cannon('bare fastify route (core 0)', { url: readUrl(PORT_BARE) });
  const bareRedisFig = await cannon('bare fastify + same Redis GET (core 0)', { url: `http://127.0.0.1:${PORT_BARE}/redis/user/read/${userId}` });
  const cachedFig = await cannon('user read, cached (service, core 0)', { url: readUrl(PORT), headers });
  const redisFig = await direct('same Redis GET, direct ioredis', CONNECTIONS, () => redis.client.get(`userorg:user:${userId}`));
  const uncachedFig = await cannon('user read, uncached (service, core 0)', { url: readUrl(PORT_NOCACHE), headers });
  // The target is a rate at a latency: offer exactly 725 req/s and read p99 there (the saturated runs
  // above measure the ceiling, where p99 is mostly queueing).
  const atTargetFig = await cannon('user read, uncached, offered 725 req/s', { url: readUrl(PORT_NOCACHE), headers, overallRate: 725 });
  const cassFig = await direct('same Cassandra reads, direct driver', CONNECTIONS, async () => {
    const [user] = await Promise.all([store.users.get(userId), store.users.memberships(userId), store.roles.grants(userId)]);
    if (user?.rootOrgId) await store.orgs.get(user.rootOrgId);
  });
  let n = 0;
  const createFig = await cannon('user create (service, core 0)', {
    url: `http://127.0.0.1:${PORT}/v2/user/create`,
    method: 'POST',
    connections: Math.min(CONNECTIONS, 16),
    headers: { 'content-type': 'application/json', 'x-authenticated-user-token': adminToken },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ request: { firstName: 'Load', email: `load-${id}-${n++}-${Math.random().toString(36).slice(2)}@example.com` } }),
        }),
      },
    ],
  });
  const cipher = createPiiCipher(env.LERN_ENCRYPTION_KEY!);
  const createDirect = await direct('same Cassandra writes, direct driver', 16, async (i) => {
    const uid = randomUUID();
    const email = `direct-${id}-${i}@example.com`;
    await store.unique.reserve(store.unique.userValue('email', email), uid);
    await db.execute(`INSERT INTO ${db.table('sunbird', 'user')} (id, firstname, email, maskedemail, status) VALUES (?, ?, ?, ?, ?)`, [uid, 'Load', cipher.encrypt(email), 'lo***@example.com', 1]);
    await store.roles.putGrant(uid, { role: 'PUBLIC', scope: [] });
  });
  figures.push(bareFig, bareRedisFig, cachedFig, redisFig, uncachedFig, cassFig, createFig, createDirect);

  console.log(`\nuserorg bench: ${DURATION}s per run, ${CONNECTIONS} connections, service pinned to core 0, engine ${engine}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(row(bareFig));
  console.log(row(bareRedisFig, bareFig));
  console.log(row(cachedFig, bareRedisFig));
  console.log(row(redisFig));
  console.log(row(uncachedFig, cassFig));
  console.log(row(cassFig));
  console.log(row(atTargetFig));
  console.log(row(createFig, createDirect));
  console.log(row(createDirect));
  // 1% slack on the offered rate: autocannon's achieved average lands a hair under what it was asked for.
  const atRate = (f: Figure) => f.rps >= 725 * 0.99 && f.p99 < 50;
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const pct = (f: Figure, base: Figure) => (f.rps / base.rps) * 100;
  console.log(`targets (issue: cached >= 50% of bare+Redis; uncached >= 70% of direct reads, p99 < 50 ms at 725 offered; create >= 25% of direct writes):`);
  console.log(`  cached read ${pct(cachedFig, bareRedisFig).toFixed(0)}% of bare fastify + Redis GET: ${verdict(pct(cachedFig, bareRedisFig) >= 50)}`);
  console.log(`  uncached read ${pct(uncachedFig, cassFig).toFixed(0)}% of direct driver: ${verdict(pct(uncachedFig, cassFig) >= 70)}; at 725 offered ${atTargetFig.rps.toFixed(0)} req/s p99 ${atTargetFig.p99.toFixed(1)} ms: ${verdict(atRate(atTargetFig))}`);
  console.log(`  create ${pct(createFig, createDirect).toFixed(0)}% of direct writes: ${verdict(pct(createFig, createDirect) >= 25)}`);
  console.log(`  upstream 145 req/s per core: cached ${(cachedFig.rps / 145).toFixed(1)}x, uncached ${(uncachedFig.rps / 145).toFixed(1)}x`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await db.close();
  await redis.close();
  await rm(keysDir, { recursive: true, force: true });
}
process.exit(0);
