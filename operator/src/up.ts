/**
 * `lern up`: a local Lern in one command. Today: the local Kubernetes control plane, the CRD, the
 * operator in this process, and examples/minimal.yaml applied, with its progress shown as
 * `kubectl get lern -w` would, until Ready; then it keeps running until Ctrl-C.
 * The plan's workloads are what both runtimes consume, so running them as local processes fits
 * here later as another runtime next to the operator.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import type { LernInstallation } from './api/types.ts';
import { applyManifest, ensureNamespace, installCrd, parseManifest } from './install.ts';
import { KubeApi } from './reconcile/kube.ts';
import { Operator } from './operator.ts';

/** Root of the repository (operator/src/../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How `lern up` obtains the cluster: returns environment with KUBECONFIG. */
export interface UpDeps {
  ensureServers: () => Promise<Record<string, string>>;
  out?: NodeJS.WritableStream;
}

/** Help text. */
export const UP_HELP = `Usage: lern up [-f manifest] [--namespace ns]

Brings up the local Kubernetes control plane (lern servers up --only kubernetes), installs the CRD,
runs the operator, applies the manifest (default examples/minimal.yaml) and shows it going to Ready.
Ctrl-C stops the operator; the servers stay up (lern servers down stops them).
`;

/** One row of the `kubectl get lern -w`-like table. */
export function tableRow(inst: LernInstallation, now = Date.now()): string[] {
  const ready = inst.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';
  const created = inst.metadata.creationTimestamp ? Date.parse(inst.metadata.creationTimestamp) : now;
  return [inst.metadata.name, inst.status?.version ?? '', ready, inst.status?.phase ?? '', age(now - created)];
}

/** kubectl's short age format. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h${m % 60 ? `${m % 60}m` : ''}` : `${Math.floor(h / 24)}d`;
}

/** Formats rows in columns like kubectl. */
export function formatRow(cells: string[], widths = [20, 10, 8, 12, 8]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 10))).join(' ');
}

/** Entry point of `lern up`. */
export async function upCommand(argv: string[], deps: UpDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { file: { type: 'string', short: 'f' }, namespace: { type: 'string', short: 'n' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const out = deps.out ?? process.stdout;
  if (values.help) {
    out.write(UP_HELP);
    return 0;
  }
  const namespace = values.namespace ?? 'lern';
  const manifestPath = resolve(values.file ?? resolve(REPO_ROOT, 'examples', 'minimal.yaml'));
  out.write('starting the local Kubernetes control plane (lern servers up --only kubernetes)...\n');
  const env = await deps.ensureServers();
  const kubeconfig = env.KUBECONFIG;
  if (!kubeconfig) throw new Error('the kubernetes server gave no KUBECONFIG');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const api = new KubeApi(kc);
  out.write(`KUBECONFIG=${kubeconfig}\ninstalling the LernInstallation CRD...\n`);
  await installCrd(api);
  const operator = new Operator({
    kubeConfig: kc,
    metricsPort: Number(process.env.LERN_OPERATOR_METRICS_PORT ?? 8080),
    metricsHost: '127.0.0.1',
    leaderElection: false,
    log: pino({ name: 'lern-operator', level: process.env.LERN_LOG_LEVEL ?? 'warn' }),
  });
  await operator.start();
  out.write(`operator running (metrics on 127.0.0.1:${process.env.LERN_OPERATOR_METRICS_PORT ?? 8080}/metrics)\n`);
  await ensureNamespace(api, namespace);
  const objects = parseManifest(readFileSync(manifestPath, 'utf8'));
  await applyManifest(api, objects, namespace);
  const names = objects.filter((o) => o.kind === 'LernInstallation').map((o) => o.metadata?.name ?? '');
  out.write(`applied ${manifestPath} in namespace ${namespace}\n\n`);
  out.write(`${formatRow(['NAME', 'VERSION', 'READY', 'PHASE', 'AGE'])}\n`);
  const last = new Map<string, string>();
  let announced = false;
  const show = (): void => {
    for (const name of names) {
      const inst = operator.installations.get(namespace, name) as unknown as LernInstallation | undefined;
      if (!inst) continue;
      const row = tableRow(inst);
      const key = row.slice(0, 4).join('|');
      if (last.get(name) !== key) {
        last.set(name, key);
        out.write(`${formatRow(row)}\n`);
      }
    }
    const allReady = names.every((n) => {
      const i = operator.installations.get(namespace, n) as unknown as LernInstallation | undefined;
      return i?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True' && c.observedGeneration === i.metadata.generation);
    });
    if (allReady && !announced) {
      announced = true;
      out.write(`\nReady. Try: KUBECONFIG=${kubeconfig} kubectl -n ${namespace} get lern,deploy,svc,jobs\n`);
      out.write('The operator keeps reconciling; Ctrl-C stops it (the servers stay up; lern servers down stops them).\n');
    }
  };
  const timer = setInterval(show, 250);
  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', () => resolveStop());
    process.once('SIGTERM', () => resolveStop());
  });
  clearInterval(timer);
  out.write('\nstopping the operator...\n');
  await operator.stop();
  return 0;
}
