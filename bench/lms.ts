/**
 * LMS throughput: enrolment, content state update and the user's course list, with autocannon
 * against the LMS service pinned to one core (taskset -c 0), each beside a baseline of the same
 * Cassandra reads and writes done directly with cassandra-driver in the same run (on the other core):
 * - enrol: batch read, enrolment read, one logged batch (enrolment row + outbox row), outbox row delete;
 * - content state update: batch, enrolment and stored-state reads, one logged batch (state row +
 *   enrolment's last read + outbox row), outbox row delete;
 * - course list: the user's enrolment partition read.
 * Each is measured saturated (the ceiling) and at the target rate offered (where p99 is read).
 * Targets: enrol >= 1,950 req/s, content state update >= 1,070, course list >= 180, each with p99 <
 * 50 ms at that rate and >= 50 % of its baseline. Needs the real servers (cassandra, redis, kafka,
 * postgres, elasticsearch). The service is `lern service lms`; while that does not serve the
 * enrolment routes yet, the service is composed here as the LMS test fixture composes it
 * (`node bench/lms.ts --serve`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import cassandra from 'cassandra-driver';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { createCassandra, createKafka, createRedis, discoverComponents, loadConfig, migrateCassandra, migrateKafka, migrateSearch, repoRoot, runService } from '@lern/kit';
import { ServerManager } from '@lern/test-servers';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const USERS = 1000;
const BATCHES = 120;
const LEAVES = 8;
const TARGET = { enrol: 1950, update: 1070, list: 180 } as const;

interface Figure {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function waitFor(url: string, timeoutMs = 90_000): Promise<void> {
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

async function cannon(name: string, opts: autocannon.Options): Promise<Figure> {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Runs `op` with `concurrency` loops for DURATION seconds. */
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
  const ratio = base ? `${((f.rps / base.rps) * 100).toFixed(0)}% of baseline` : '';
  return `${f.name.padEnd(46)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50.toFixed(1).padStart(6)} ms  p99 ${f.p99.toFixed(1).padStart(6)} ms  errors ${String(f.errors).padStart(5)}  ${ratio}`;
}

function verdict(label: string, target: number, atRate: Figure, saturated: Figure, base: Figure): string {
  const met = atRate.rps >= target * 0.99 && atRate.p99 < 50 && atRate.errors === 0 && saturated.rps >= 0.5 * base.rps;
  return `${label}: ${met ? 'MET' : 'NOT MET'} (target ${target} req/s at p99 < 50 ms and >= 50% of baseline: offered ${target} -> ${atRate.rps.toFixed(0)} req/s p99 ${atRate.p99.toFixed(1)} ms; saturated ${saturated.rps.toFixed(0)} req/s = ${((saturated.rps / base.rps) * 100).toFixed(0)}% of ${base.rps.toFixed(0)})`;
}

/** Starts the service on core 0: `lern service lms` when it serves enrolment, else the composed one. */
async function startService(env: Record<string, string>, port: number): Promise<{ child: ChildProcess; how: string }> {
  const childEnv = { ...process.env, ...env, LERN_HTTP_PORT: String(port), LERN_INTERNAL_HTTP_PORT: String(port + 1), LERN_LOG_LEVEL: 'warn', LERN_LMS_CONSUME_COURSE_STRUCTURES: 'false' };
  const launch = (args: string[]) => spawn('taskset', ['-c', '0', ...args], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const lern = launch([join(root, 'bin/lern'), 'service', 'lms']);
  await waitFor(`http://127.0.0.1:${port}/readyz`);
  const probe = await fetch(`http://127.0.0.1:${port}/v1/course/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"request":{}}' });
  if (probe.status !== 404) return { child: lern, how: 'lern service lms' };
  lern.kill('SIGTERM');
  await new Promise((r) => lern.once('exit', r));
  // LMS_BENCH_PROFILE=<dir>: a CPU profile of the service, written when it stops.
  const profile = process.env.LMS_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LMS_BENCH_PROFILE}`] : [];
  const composed = launch([process.execPath, ...profile, fileURLToPath(import.meta.url), '--serve']);
  await waitFor(`http://127.0.0.1:${port}/readyz`);
  return { child: composed, how: 'composed (lern service lms does not register enrolment yet)' };
}

async function bench(): Promise<void> {
  const manager = new ServerManager();
  const needs = ['cassandra', 'redis', 'kafka', 'postgres', 'elasticsearch'] as const;
  await manager.up(needs);
  const servers = manager.env(needs);
  spawn('taskset', ['-cp', String(Math.max(1, cpus().length - 1)), String(process.pid)], { stdio: 'ignore' });

  const id = `bench${randomBytes(3).toString('hex')}`;
  const keysDir = await mkdtemp(join(tmpdir(), 'lms-bench-'));
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  await writeFile(join(keysDir, 'bench'), await exportSPKI(publicKey));
  const issuer = 'http://127.0.0.1/auth/realms/sunbird';
  const env: Record<string, string> = { ...servers, LERN_CASSANDRA_KEYSPACE_PREFIX: `b_${id}_`, LERN_SEARCH_INDEX_PREFIX: `b-${id}-`, LERN_KAFKA_TOPIC_PREFIX: `b.${id}.` };
  Object.assign(env, { LERN_SEARCH_ENGINE: 'elasticsearch', LERN_AUTH_KEYS_DIR: keysDir, LERN_AUTH_ISSUER: issuer });
  const config = loadConfig(env);
  const [userorg, lms] = await discoverComponents(repoRoot(), { services: ['userorg', 'lms'] });
  await migrateCassandra({ config, components: [userorg!, lms!] });
  await migrateSearch({ config, components: [lms!] });
  await migrateKafka({ config, components: [lms!] });

  const db = createCassandra(config.cassandra);
  const redis = createRedis(config.redis);
  const t = (ks: string, table: string) => db.table(ks, table);
  const sign = (userId: string) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuer(issuer).setSubject(`f:x:${userId}`).setExpirationTime('2h').sign(privateKey);

  // The world: a root organisation, a course of LEAVES leaves, BATCHES running batches, USERS users.
  const org = `org_${id}`;
  const courseId = `do_${id}`;
  const leaves = Array.from({ length: LEAVES }, (_, i) => `${courseId}_c${i}`);
  const today = new Date().toISOString().slice(0, 10);
  const batchIds = Array.from({ length: BATCHES }, (_, i) => `b${id}${String(i).padStart(3, '0')}`);
  await db.execute(`INSERT INTO ${t('sunbird', 'organisation')} (id, orgname, rootorgid, isrootorg, istenant, status) VALUES (?, ?, ?, true, true, 1)`, [org, 'Bench', org]);
  await db.execute(`INSERT INTO ${t('sunbird_courses', 'course_structure')} (courseid, name, status, leafnodes, unit_leafnodes, ancestors, source, updated_at) VALUES (?, ?, 'Live', ?, {}, {}, 'api', ?)`, [
    courseId,
    'Bench course',
    leaves,
    new Date(),
  ]);
  for (const batchId of batchIds) {
    await db.execute(
      `INSERT INTO ${t('sunbird_courses', 'course_batch')} (courseid, batchid, name, enrollmenttype, start_date, end_date, createdfor, mentors, status, createdby) VALUES (?, ?, ?, 'open', ?, ?, ?, [], 1, ?)`,
      [courseId, batchId, 'Bench batch', new Date(`${today}T00:00:00Z`), new Date(Date.now() + 30 * 86_400_000), [org], 'bench'],
    );
    await db.execute(`INSERT INTO ${t('sunbird_courses', 'batch_course')} (batchid, courseid) VALUES (?, ?)`, [batchId, courseId]);
  }
  const users = Array.from({ length: USERS }, () => randomUUID());
  const tokens: string[] = [];
  for (let i = 0; i < USERS; i += 50) {
    await Promise.all(users.slice(i, i + 50).map((u) => db.execute(`INSERT INTO ${t('sunbird', 'user')} (id, userid, firstname, rootorgid, status, isdeleted) VALUES (?, ?, 'Bench', ?, 1, false)`, [u, u, org])));
    tokens.push(...(await Promise.all(users.slice(i, i + 50).map(sign))));
  }
  // Every user is enrolled in the last 5 batches (content state updates and course lists read those); enrol uses the others.
  const enrolled = batchIds.slice(-5);
  const enrolments = t('sunbird_courses', 'user_enrolments');
  for (let i = 0; i < USERS; i += 50) {
    await Promise.all(
      users.slice(i, i + 50).flatMap((u) =>
        enrolled.map((b) => db.execute(`INSERT INTO ${enrolments} (userid, courseid, batchid, active, addedby, enrolled_date, status, progress) VALUES (?, ?, ?, true, ?, ?, 0, 0)`, [u, courseId, b, u, new Date()])),
      ),
    );
  }
  const openBatches = batchIds.slice(0, -5);

  const PORT = 19800 + Math.floor(Math.random() * 150);
  const { child, how } = await startService(env, PORT);
  const url = (path: string) => `http://127.0.0.1:${PORT}${path}`;
  try {
    let e = 0;
    const enrolRequest = (): autocannon.Request => {
      const n = e++;
      const batchId = openBatches[Math.floor(n / USERS) % openBatches.length]!;
      return {
        method: 'POST',
        path: '/v1/course/enroll',
        headers: { 'content-type': 'application/json', 'x-authenticated-user-token': tokens[n % USERS]! },
        body: JSON.stringify({ request: { courseId, batchId } }),
      };
    };
    let u = 0;
    const updateRequest = (): autocannon.Request => {
      const n = u++;
      const content = leaves[n % LEAVES]!;
      const batchId = enrolled[Math.floor(n / USERS) % enrolled.length]!;
      return {
        method: 'PATCH',
        path: '/v1/content/state/update',
        headers: { 'content-type': 'application/json', 'x-authenticated-user-token': tokens[n % USERS]! },
        body: JSON.stringify({ request: { contents: [{ contentId: content, batchId, courseId, status: 1 + (n % 2), lastAccessTime: '2025-01-02 10:00:00:000+0000' }] } }),
      };
    };
    let l = 0;
    const listRequest = (cache: boolean) => (): autocannon.Request => {
      const n = l++ % USERS;
      return { method: 'GET', path: `/v1/user/courses/list/${users[n]}${cache ? '' : '?cache=false'}`, headers: { 'x-authenticated-user-token': tokens[n]! } };
    };
    const setup = (make: () => autocannon.Request) => [{ setupRequest: () => make() }];

    // Warm up (JIT, prepared statements, caller cache, Kafka producer).
    await autocannon({ url: url('/'), connections: 8, duration: 3, requests: setup(updateRequest) });
    await autocannon({ url: url('/'), connections: 8, duration: 3, requests: setup(listRequest(false)) });

    const enrolSat = await cannon('enrol (service, core 0)', { url: url('/'), requests: setup(enrolRequest) });
    const enrolAt = await cannon(`enrol, offered ${TARGET.enrol} req/s`, { url: url('/'), requests: setup(enrolRequest), overallRate: TARGET.enrol });
    const outbox = t('sunbird_courses', 'lern_outbox');
    let de = 0;
    const enrolBase = await direct('same Cassandra reads/writes, direct', CONNECTIONS, async () => {
      const n = de++;
      const userId = users[n % USERS]!;
      const batchId = `${openBatches[Math.floor(n / USERS) % openBatches.length]!}`;
      await Promise.all([
        db.execute(`SELECT * FROM ${t('sunbird_courses', 'course_batch')} WHERE courseid = ? AND batchid = ?`, [courseId, batchId]),
        db.execute(`SELECT * FROM ${enrolments} WHERE userid = ? AND courseid = ? AND batchid = ?`, [userId, `${courseId}_direct`, batchId]),
      ]);
      const slice = Math.floor(Date.now() / 60_000);
      const rowId = cassandra.types.TimeUuid.now();
      await db.batch([
        { query: `INSERT INTO ${enrolments} (userid, courseid, batchid, active, addedby, enrolled_date, status, datetime, progress) VALUES (?, ?, ?, true, ?, ?, 0, ?, 0)`, params: [userId, `${courseId}_direct`, batchId, userId, new Date(), new Date()] },
        { query: `INSERT INTO ${outbox} (bucket, slice, id, kind, target, ref, payload, attempts, created_at) VALUES (?, ?, ?, 'kafka', 'telemetry.audit', ?, ?, 0, ?)`, params: [n % 16, slice, rowId, userId, '{"eid":"AUDIT"}'.padEnd(700, ' '), new Date()] },
      ]);
      await db.execute(`DELETE FROM ${outbox} WHERE bucket = ? AND slice = ? AND id = ?`, [n % 16, slice, rowId]);
    });

    const updateSat = await cannon('content state update (service, core 0)', { url: url('/'), requests: setup(updateRequest) });
    const updateAt = await cannon(`content state update, offered ${TARGET.update} req/s`, { url: url('/'), requests: setup(updateRequest), overallRate: TARGET.update });
    const consumption = t('sunbird_courses', 'user_content_consumption');
    let du = 0;
    const updateBase = await direct('same Cassandra reads/writes, direct', CONNECTIONS, async () => {
      const n = du++;
      const userId = users[n % USERS]!;
      const batchId = enrolled[Math.floor(n / USERS) % enrolled.length]!;
      const content = leaves[n % LEAVES]!;
      await Promise.all([
        db.execute(`SELECT * FROM ${t('sunbird_courses', 'course_batch')} WHERE courseid = ? AND batchid = ?`, [courseId, batchId]),
        db.execute(`SELECT * FROM ${enrolments} WHERE userid = ? AND courseid = ? AND batchid = ?`, [userId, courseId, batchId]),
        db.execute(`SELECT * FROM ${consumption} WHERE userid = ? AND collectionid = ? AND contextid = ? AND contentid IN ?`, [userId, courseId, batchId, [content]]),
      ]);
      const slice = Math.floor(Date.now() / 60_000);
      const rowId = cassandra.types.TimeUuid.now();
      await db.batch([
        { query: `INSERT INTO ${consumption} (userid, collectionid, contextid, contentid, status, progress, last_access_time, last_updated_time) VALUES (?, ?, ?, ?, 1, 10, ?, ?)`, params: [userId, courseId, batchId, content, new Date(), new Date()] },
        { query: `UPDATE ${enrolments} SET lastreadcontentid = ?, lastreadcontentstatus = 1, lastcontentaccesstime = ? WHERE userid = ? AND courseid = ? AND batchid = ?`, params: [content, new Date(), userId, courseId, batchId] },
        { query: `INSERT INTO ${outbox} (bucket, slice, id, kind, target, ref, payload, attempts, created_at) VALUES (?, ?, ?, 'kafka', 'coursebatch.job.request', ?, ?, 0, ?)`, params: [n % 16, slice, rowId, userId, '{"eid":"BE_JOB_REQUEST"}'.padEnd(600, ' '), new Date()] },
      ]);
      await db.execute(`DELETE FROM ${outbox} WHERE bucket = ? AND slice = ? AND id = ?`, [n % 16, slice, rowId]);
    });

    const listSat = await cannon('course list, uncached (service, core 0)', { url: url('/'), requests: setup(listRequest(false)) });
    const listAt = await cannon(`course list, uncached, offered ${TARGET.list} req/s`, { url: url('/'), requests: setup(listRequest(false)), overallRate: TARGET.list });
    const listCached = await cannon('course list, cached (service, core 0)', { url: url('/'), requests: setup(listRequest(true)) });
    let dl = 0;
    const listBase = await direct('same Cassandra read, direct', CONNECTIONS, () => db.execute(`SELECT * FROM ${enrolments} WHERE userid = ?`, [users[dl++ % USERS]]));

    console.log(`\nlms bench: ${DURATION}s per run, ${CONNECTIONS} connections, service pinned to core 0 (${how}), load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    const rows: [Figure, Figure?][] = [[enrolSat, enrolBase], [enrolAt], [enrolBase], [updateSat, updateBase], [updateAt], [updateBase], [listSat, listBase], [listAt], [listCached, listBase], [listBase]];
    for (const [f, base] of rows) console.log(row(f, base));
    console.log(verdict('enrol', TARGET.enrol, enrolAt, enrolSat, enrolBase));
    console.log(verdict('content state update', TARGET.update, updateAt, updateSat, updateBase));
    console.log(verdict('course list (uncached)', TARGET.list, listAt, listSat, listBase));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    // Leave nothing behind on the shared servers.
    for (const ks of ['sunbird', 'sunbird_courses']) await db.execute(`DROP KEYSPACE IF EXISTS "${db.keyspace(ks)}"`, [], { prepare: false, readTimeout: 120_000 }).catch(() => undefined);
    const kafka = createKafka(config.kafka);
    const admin = await kafka.admin();
    const topics = (await admin.listTopics()).filter((name) => name.startsWith(config.kafka.topicPrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    await kafka.close();
    await db.close();
    await redis.close();
    await rm(keysDir, { recursive: true, force: true });
  }
  process.exit(0);
}

if (process.argv[2] === '--serve') {
  // Child mode: the LMS service with every resource registered.
  const { learnerService } = await import('../services/lms/test/learner-fixture.ts');
  await runService(learnerService({ cachePrefix: 'lms:' }));
} else {
  await bench();
}
