/**
 * Operator benchmark (not a test): N installations (default 100) in one namespace of the local
 * control plane. Prints time from apply to Ready, API requests per reconcile (writes per no-op
 * reconcile must be 0) and operator memory, each next to a baseline measured in the same run:
 * a bare informer over the same kinds (memory, list-and-sync time).
 *   npx node bench/operator.ts            LERN_BENCH_INSTALLATIONS=20 LERN_BENCH_JOBS=1 to vary
 */
import { spawn, execFileSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeApi, ensureNamespace, installCrd, JOB_NAMES, SERVICE_NAMES, type LernInstallation } from '@lern/operator';
import { ServerManager } from '@lern/test-servers';

const ROOT = resolve(import.meta.dirname, '..');
const N = Number(process.env.LERN_BENCH_INSTALLATIONS ?? 100);
const WITH_JOBS = process.env.LERN_BENCH_JOBS === '1';
/** Services per installation: all five by default (the local control plane's Service range is a /16). */
const SERVICES = (process.env.LERN_BENCH_SERVICES ?? 'userorg,lms,groups,notification,discussion').split(',');
/** The operator's log (warnings and errors), kept outside the repository. */
const LOG = resolve(tmpdir(), `lern-bench-operator-${process.pid}.log`);

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => ok(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function metrics(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const sum = (m: Map<string, number>, prefix: string, filter = ''): number =>
  [...m].filter(([k]) => (k === prefix || k.startsWith(`${prefix}{`)) && k.includes(filter)).reduce((a, [, v]) => a + v, 0);

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

function startOperator(kubeconfig: string, namespace: string, port: number) {
  const child = spawn(resolve(ROOT, 'bin', 'lern'), ['operator', '--namespace', namespace, '--no-leader-elect', '--metrics-port', String(port)], {
    env: { ...process.env, KUBECONFIG: kubeconfig, LERN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', openSync(LOG, 'a'), 'inherit'],
  });
  return child;
}

async function waitReadyz(port: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const manager = new ServerManager();
await manager.up(['kubernetes']);
const env = manager.env(['kubernetes']);
const kubeconfig = env.KUBECONFIG!;
const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
const api = new KubeApi(kc);
await installCrd(api);
const namespace = `bench-operator-${Date.now().toString(36)}`;
await ensureNamespace(api, namespace);
const port = await freePort();
let operator = startOperator(kubeconfig, namespace, port);
try {
  await waitReadyz(port);
  const spec = {
    version: '1.0.0',
    cassandra: { contactPoints: ['127.0.0.1:19042'] },
    search: { url: 'http://127.0.0.1:19200' },
    redis: { url: 'redis://127.0.0.1:16379' },
    kafka: { brokers: ['127.0.0.1:19092'] },
    postgres: { url: 'postgres://lern@127.0.0.1:15432/lern' },
    encryptionKeySecretRef: { name: 'lern-keys', key: 'encryption' },
    services: Object.fromEntries(SERVICE_NAMES.map((n) => [n, { enabled: SERVICES.includes(n) }])),
    jobs: Object.fromEntries(JOB_NAMES.map((j) => [j, { enabled: WITH_JOBS }])),
  };
  const applied = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const name = `lern-${String(i).padStart(3, '0')}`;
    applied.set(name, performance.now());
    await api.apply({ apiVersion: 'lern.sunbird.org/v1alpha1', kind: 'LernInstallation', metadata: { name, namespace }, spec }, { fieldManager: 'bench' });
  }
  const applyAllMs = performance.now() - t0;
  const readyAt = new Map<string, number>();
  while (readyAt.size < N) {
    const list = await api.list<LernInstallation>('LernInstallation', namespace);
    for (const inst of list.items) {
      if (readyAt.has(inst.metadata.name)) continue;
      if (inst.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True' && c.observedGeneration === inst.metadata.generation)) readyAt.set(inst.metadata.name, performance.now());
    }
    if (performance.now() - t0 > 30 * 60_000) throw new Error(`only ${readyAt.size} of ${N} Ready after 30 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const allReadyMs = performance.now() - t0;
  const toReady = [...readyAt].map(([name, at]) => at - applied.get(name)!);
  const install = await metrics(port);
  const reconcilesInstall = sum(install, 'lern_operator_reconcile_total');
  const requestsInstall = sum(install, 'lern_operator_api_requests_total');
  const writesInstall = sum(install, 'lern_operator_writes_total');

  // No-op reconciles: touch every installation's metadata (no spec change) and let them settle.
  await new Promise((r) => setTimeout(r, 5_000));
  const before = await metrics(port);
  for (const name of applied.keys()) await api.mergePatch('LernInstallation', name, namespace, { metadata: { annotations: { 'bench.lern.sunbird.org/touch': String(Date.now()) } } });
  await new Promise((r) => setTimeout(r, 10_000));
  const after = await metrics(port);
  const noopReconciles = sum(after, 'lern_operator_reconcile_total') - sum(before, 'lern_operator_reconcile_total');
  const noopRequests = sum(after, 'lern_operator_api_requests_total') - sum(before, 'lern_operator_api_requests_total');
  const noopWrites = sum(after, 'lern_operator_writes_total') - sum(before, 'lern_operator_writes_total');
  const noopByVerb = [...after]
    .filter(([k]) => k.startsWith('lern_operator_api_requests_total{'))
    .map(([k, v]) => [k.slice('lern_operator_api_requests_total'.length), v - (before.get(k) ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const rss = sum(after, 'lern_operator_process_resident_memory_bytes');
  const heap = sum(after, 'lern_operator_nodejs_heap_size_used_bytes');

  // Operator restart: time until its caches are synced (the same lists the baseline informer makes).
  operator.kill('SIGTERM');
  await new Promise((r) => operator.once('exit', r));
  operator = startOperator(kubeconfig, namespace, port);
  const restartSyncMs = await waitReadyz(port);

  const baseline = JSON.parse(
    execFileSync(resolve(ROOT, 'node_modules', '.bin', 'node'), ['--expose-gc', resolve(ROOT, 'bench', '_operator-informer.ts'), namespace], { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: 'utf8' }),
  ) as { syncMs: number; objects: number; rss: number; heapUsed: number };

  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rows: [string, string, string, string][] = [
    [`installations (each: ${SERVICES.length} services${WITH_JOBS ? ' + 9 jobs' : ''}, 3 migrations)`, String(N), '', ''],
    ['objects cached (baseline informer)', String(baseline.objects), '', ''],
    ['apply of all installations', s(applyAllMs), '', ''],
    ['apply -> Ready, p50 / p95 / max', `${s(quantile(toReady, 0.5))} / ${s(quantile(toReady, 0.95))} / ${s(Math.max(...toReady))}`, '', ''],
    ['first apply -> all Ready', s(allReadyMs), '', ''],
    ['API requests per reconcile (install)', (requestsInstall / reconcilesInstall).toFixed(2), `${requestsInstall} req / ${reconcilesInstall} reconciles`, `${writesInstall} writes`],
    ['API requests per no-op reconcile', noopReconciles ? (noopRequests / noopReconciles).toFixed(2) : 'n/a', `${noopRequests} req / ${noopReconciles} reconciles`, ''],
    ['  no-op window requests by verb', noopByVerb || 'none', '', ''],
    ['writes per no-op reconcile (must be 0)', noopReconciles ? (noopWrites / noopReconciles).toFixed(2) : 'n/a', `${noopWrites} writes`, ''],
    ['operator RSS', mb(rss), `baseline informer ${mb(baseline.rss)}`, `ratio ${(rss / baseline.rss).toFixed(2)}x`],
    ['operator heap used', mb(heap), `baseline informer ${mb(baseline.heapUsed)}`, `ratio ${(heap / baseline.heapUsed).toFixed(2)}x`],
    ['restart -> caches synced (incl. process start)', s(restartSyncMs), `baseline informer list+sync ${s(baseline.syncMs)}`, `ratio ${(restartSyncMs / baseline.syncMs).toFixed(2)}x`],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\nLern operator benchmark (${N} installations, namespace ${namespace}; operator log ${LOG})\n`);
  for (const r of rows) process.stdout.write(`${r[0].padEnd(w)}  ${r[1].padEnd(28)} ${r[2].padEnd(44)} ${r[3]}\n`);
  if (noopWrites !== 0) process.exitCode = 1;
} finally {
  operator.kill('SIGTERM');
  await api.delete('Namespace', namespace);
  api.close();
}
