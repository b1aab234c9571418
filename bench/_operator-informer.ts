/**
 * Baseline for bench/operator.ts (a helper, not a benchmark of its own): a bare client-node informer per kind the operator watches, in one
 * namespace, nothing else. Prints one JSON line: list-and-sync time and memory once synced.
 */
import { KubeConfig, ListWatch, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { KubeApi } from '@lern/operator';

const namespace = process.argv[2];
if (!namespace) throw new Error('usage: operator-informer.ts <namespace>');
const kc = new KubeConfig();
kc.loadFromDefault();
const api = new KubeApi(kc);
const kinds: [string, string][] = [
  ['LernInstallation', `/apis/lern.sunbird.org/v1alpha1/namespaces/${namespace}/lerninstallations`],
  ['Deployment', `/apis/apps/v1/namespaces/${namespace}/deployments`],
  ['Service', `/api/v1/namespaces/${namespace}/services`],
  ['ConfigMap', `/api/v1/namespaces/${namespace}/configmaps`],
  ['ServiceAccount', `/api/v1/namespaces/${namespace}/serviceaccounts`],
  ['Job', `/apis/batch/v1/namespaces/${namespace}/jobs`],
  ['HorizontalPodAutoscaler', `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`],
  ['PodDisruptionBudget', `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`],
];
const started = performance.now();
const informers = await Promise.all(
  kinds.map(async ([kind, path]) => {
    const selector = kind === 'LernInstallation' ? undefined : 'lern.sunbird.org/installation';
    const lw = new ListWatch<KubernetesObject>(path, new Watch(kc), (() => api.list(kind, namespace, selector)), false, selector);
    await lw.start();
    return lw;
  }),
);
const syncMs = performance.now() - started;
const objects = informers.reduce((n, i) => n + i.list().length, 0);
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 2_000));
const mem = process.memoryUsage();
process.stdout.write(`${JSON.stringify({ syncMs, objects, rss: mem.rss, heapUsed: mem.heapUsed })}\n`);
await Promise.all(informers.map((i) => i.stop()));
api.close();
process.exit(0);
