/** Fixtures of the operator suites: the real control plane, an isolated namespace, an operator. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { KubeApi, Operator, installCrd, ensureNamespace, JOB_NAMES, SERVICE_NAMES, type LernInstallation, type OperatorOptions } from '@lern/operator';
import { requireServers, testNames } from '../../setup/servers-env.ts';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** Everything a suite needs to talk to the cluster. */
export interface Cluster {
  kubeconfig: string;
  kc: KubeConfig;
  api: KubeApi;
  namespace: string;
}

/** Starts (or reuses) the control plane, installs the CRD, makes the suite's namespace. */
export async function cluster(fileUrl: string): Promise<Cluster> {
  const env = await requireServers(['kubernetes']);
  const kubeconfig = env.KUBECONFIG;
  if (!kubeconfig) throw new Error('kubernetes server gave no KUBECONFIG');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = new KubeApi(kc);
  await installCrd(api);
  const namespace = testNames(fileUrl).namespace;
  await ensureNamespace(api, namespace);
  return { kubeconfig, kc, api, namespace };
}

/** Deletes the suite's namespace (children first go with their owners). */
export async function cleanup(c: Cluster | undefined): Promise<void> {
  if (!c) return;
  await c.api.delete('Namespace', c.namespace);
  c.api.close();
}

/** An in-process operator watching only the suite's namespace. */
export async function startOperator(c: Cluster, options: Partial<OperatorOptions> = {}): Promise<Operator> {
  const op = new Operator({
    kubeConfig: c.kc,
    namespace: c.namespace,
    metricsPort: false,
    leaderElection: false,
    progressRequeueMs: 2_000,
    log: pino({ level: process.env.LERN_TEST_LOG ?? 'warn' }),
    ...options,
  });
  await op.start();
  return op;
}

/** A LernInstallation manifest with the local servers' addresses, as a person writes it (defaults left to the API server). */
export function manifestAsWritten(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'lern.sunbird.org/v1alpha1',
    kind: 'LernInstallation',
    metadata: { name },
    spec: {
      version: '1.0.0',
      cassandra: { contactPoints: ['127.0.0.1:19042'] },
      search: { engine: 'elasticsearch', url: 'http://127.0.0.1:19200' },
      redis: { url: 'redis://127.0.0.1:16379' },
      kafka: { brokers: ['127.0.0.1:19092'] },
      postgres: { url: 'postgres://lern@127.0.0.1:15432/lern' },
      encryptionKeySecretRef: { name: 'lern-keys', key: 'encryption' },
      ...spec,
    },
  };
}

type Components = Record<string, Record<string, unknown>>;

/**
 * A manifest with every service and job enabled (also those this version cannot run yet: KWOK runs no
 * containers, and the suites exercise all fourteen); per component, `spec.services`/`spec.jobs` entries
 * are merged over `enabled: true`.
 */
export function manifest(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  const every = (names: readonly string[], given: unknown): Components =>
    Object.fromEntries(names.map((n) => [n, { enabled: true, ...((given as Components | undefined)?.[n] ?? {}) }]));
  return manifestAsWritten(name, { ...spec, services: every(SERVICE_NAMES, spec.services), jobs: every(JOB_NAMES, spec.jobs) });
}

/** Applies an installation as a person would (its own field manager). */
export async function applyInstallation(c: Cluster, obj: Record<string, unknown>): Promise<LernInstallation> {
  const m = obj.metadata as Record<string, unknown>;
  return c.api.apply<LernInstallation>({ ...obj, metadata: { ...m, namespace: c.namespace } }, { fieldManager: 'kubectl-client-side-apply', force: true });
}

/** Reads an installation. */
export function getInstallation(c: Cluster, name: string): Promise<LernInstallation> {
  return c.api.get<LernInstallation>('LernInstallation', name, c.namespace);
}

/** Polls until `check` returns a value (not undefined/false), or fails with the last state. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 90_000, describeState?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const state = describeState ? await describeState().catch((e: unknown) => String(e)) : '';
      throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)})` : ''}${state ? `\nstate: ${state}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** True when the installation's current generation is Ready. */
export function isReady(inst: LernInstallation): boolean {
  return inst.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True' && c.observedGeneration === inst.metadata.generation) === true;
}

/** Waits until the installation is Ready at its current generation. */
export function waitReady(c: Cluster, name: string, timeoutMs = 120_000): Promise<LernInstallation> {
  return waitFor(`${name} Ready`, async () => {
    const inst = await getInstallation(c, name);
    return isReady(inst) ? inst : undefined;
  }, timeoutMs, async () => JSON.stringify((await getInstallation(c, name)).status));
}

/** A Deployment's container image. */
export function imageOf(d: { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }): string {
  return d.spec?.template?.spec?.containers?.[0]?.image ?? '';
}

/** Lists an installation's children of one kind. */
export async function childrenOf<T = Record<string, unknown>>(c: Cluster, kind: string, name: string): Promise<T[]> {
  return (await c.api.list<T>(kind, c.namespace, `lern.sunbird.org/installation=${name}`)).items;
}

/** Runs `lern operator` as a child process. */
export function spawnOperator(c: Cluster, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(resolve(ROOT, 'bin', 'lern'), ['operator', '--namespace', c.namespace, '--lease-namespace', c.namespace, ...args], {
    env: { ...process.env, KUBECONFIG: c.kubeconfig, LERN_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Stops a child process and waits for it. */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => {
    child.once('exit', () => resolveExit());
    child.kill(signal);
  });
}

/** Reads a metric value from an operator's /metrics (sum over labels). */
export async function metric(port: number, name: string): Promise<number | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum = (sum ?? 0) + Number(line.split(' ').at(-1));
  }
  return sum;
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Keeps examples/argocd/testdata in step with what the operator really writes: with
 * LERN_CAPTURE_ARGOCD=1 a suite stores the installation it just read there.
 */
export function capture(file: string, inst: LernInstallation): void {
  if (process.env.LERN_CAPTURE_ARGOCD !== '1') return;
  const dir = resolve(ROOT, 'examples', 'argocd', 'testdata');
  mkdirSync(dir, { recursive: true });
  const { managedFields: _m, uid: _u, resourceVersion: _r, ...metadata } = inst.metadata as unknown as Record<string, unknown>;
  const doc = { apiVersion: inst.apiVersion, kind: inst.kind, metadata: { ...metadata, namespace: 'lern' }, spec: inst.spec, status: inst.status };
  writeFileSync(resolve(dir, file), `# Written by the operator in test/e2e/operator (LERN_CAPTURE_ARGOCD=1)\n${stringify(doc)}`);
}
