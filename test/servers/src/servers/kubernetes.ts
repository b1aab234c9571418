import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpGet } from '../probe.ts';
import type { ServerContext, ServerDefinition, StartContext } from '../types.ts';
import { apiRequest, nodeIsReady, type ApiTarget } from '../kubernetes/api.ts';
import { binaries, buildEtcd, buildKubernetes, buildKwok, KUBERNETES_VERSION } from '../kubernetes/build.ts';
import {
  apiServerArgs,
  apiServerUrl,
  clusterLayout,
  controllerManagerArgs,
  etcdArgs,
  FAKE_NODE_NAME,
  fakeNode,
  kwokArgs,
  schedulerArgs,
} from '../kubernetes/cluster.ts';
import { ensurePki, IDENTITIES, kubeconfigText, pkiPaths, readAdminToken } from '../kubernetes/pki.ts';

const obtainLog = (ctx: ServerContext): string => join(ctx.dataDir, 'logs', 'obtain.log');

/** How to reach the API server as admin: the cluster CA when it exists, else an unchecked loopback connection. */
function adminTarget(ctx: ServerContext): ApiTarget {
  const caFile = pkiPaths(ctx.dataDir).caCert;
  const token = readAdminToken(ctx.dataDir);
  return {
    base: apiServerUrl(ctx.ports),
    ...(existsSync(caFile) ? { ca: readFileSync(caFile, 'utf8') } : {}),
    ...(token ? { token } : {}),
  };
}

/** 200 from a component's /healthz (the controller manager and scheduler serve it with self-signed certificates). */
async function healthy(port: number): Promise<boolean> {
  return (await apiRequest({ base: `https://127.0.0.1:${port}` }, 'GET', '/healthz', undefined, 2000))?.status === 200;
}

const kwokHealthy = async (ctx: ServerContext): Promise<boolean> => (await httpGet(`http://127.0.0.1:${ctx.ports.kwok}/healthz`, 2000))?.status === 200;

async function apiReady(target: ApiTarget): Promise<boolean> {
  return (await apiRequest(target, 'GET', '/readyz', undefined, 3000))?.status === 200;
}

async function fakeNodeReady(target: ApiTarget): Promise<boolean> {
  const res = await apiRequest(target, 'GET', `/api/v1/nodes/${FAKE_NODE_NAME}`);
  return res?.status === 200 && nodeIsReady(res.body);
}

/** Creates the fake node unless it exists (it survives restarts in etcd). */
async function ensureFakeNode(target: ApiTarget): Promise<void> {
  const res = await apiRequest(target, 'POST', '/api/v1/nodes', fakeNode());
  if (res?.status === 201 || res?.status === 409) return;
  throw new Error(`could not create node ${FAKE_NODE_NAME}: ${res ? `${res.status} ${res.body}` : 'no answer from the API server'}`);
}

/** Deletes the fake node's lease, so a restarted kwok takes the node over at once instead of waiting for the old holder's lease to run out. */
async function releaseNodeLease(target: ApiTarget): Promise<void> {
  const res = await apiRequest(target, 'DELETE', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${FAKE_NODE_NAME}`);
  if (res?.status === 200 || res?.status === 404) return;
  throw new Error(`could not release the lease of node ${FAKE_NODE_NAME}: ${res ? `${res.status} ${res.body}` : 'no answer from the API server'}`);
}

/** True once KWOK has renewed the fake node's lease since `since` (so the node is really looked after, not just Ready from before). */
async function leaseRenewedSince(target: ApiTarget, since: number): Promise<boolean> {
  const res = await apiRequest(target, 'GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${FAKE_NODE_NAME}`);
  if (res?.status !== 200) return false;
  const renew = (JSON.parse(res.body) as { spec?: { renewTime?: string } }).spec?.renewTime;
  // renewTime has microseconds; allow a second for clocks rounded differently.
  return renew !== undefined && Date.parse(renew) >= since - 1000;
}

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager and
 * kube-scheduler built from the Go module sources, plus KWOK, which plays the kubelet for one fake
 * node, so Deployments become Available and Jobs complete without a container runtime.
 */
export const kubernetes: ServerDefinition = {
  name: 'kubernetes',
  version: KUBERNETES_VERSION,
  async obtain(ctx) {
    // One after another: each build already keeps both cores busy.
    await buildEtcd(ctx.cacheDir, ctx.progress, obtainLog(ctx));
    await buildKwok(ctx.cacheDir, ctx.progress, obtainLog(ctx));
    await buildKubernetes(ctx.cacheDir, ctx.progress, obtainLog(ctx));
  },
  async start(ctx: StartContext) {
    const bin = binaries(ctx.cacheDir);
    const layout = clusterLayout(ctx.dataDir);
    const pki = await ensurePki(ctx.dataDir, obtainLog(ctx));
    const ca = readFileSync(pki.caCert, 'utf8');
    const server = apiServerUrl(ctx.ports);
    mkdirSync(join(ctx.dataDir, 'config'), { recursive: true });
    for (const dir of [layout.etcdData, ...Object.values(layout.certDirs)]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const kubeconfigs = [
      [layout.adminKubeconfig, 'admin'],
      [layout.controllerManagerKubeconfig, 'controllerManager'],
      [layout.schedulerKubeconfig, 'scheduler'],
      [layout.kwokKubeconfig, 'kwok'],
    ] as const;
    for (const [file, id] of kubeconfigs) writeFileSync(file, kubeconfigText(server, ca, IDENTITIES[id].user, pki.tokens[id]), { mode: 0o600 });
    const admin: ApiTarget = { base: server, ca, token: pki.tokens.admin };

    ctx.spawn('etcd', { command: bin.etcd, args: etcdArgs(layout, ctx.ports) });
    await ctx.waitFor('etcd', async () => (await httpGet(`http://127.0.0.1:${ctx.ports.etcd}/health`, 2000))?.body.includes('"health":"true"') ?? false, 60_000, 'etcd');

    ctx.spawn('kube-apiserver', { command: bin.kube['kube-apiserver'], args: apiServerArgs(layout, pki, ctx.ports) });
    await ctx.waitFor('kube-apiserver /readyz', () => apiReady(admin), 180_000, 'kube-apiserver');

    ctx.spawn('kube-controller-manager', { command: bin.kube['kube-controller-manager'], args: controllerManagerArgs(layout, pki, ctx.ports) });
    ctx.spawn('kube-scheduler', { command: bin.kube['kube-scheduler'], args: schedulerArgs(layout, ctx.ports) });
    await releaseNodeLease(admin);
    const kwokStarted = Date.now();
    ctx.spawn('kwok', { command: bin.kwok, args: kwokArgs(layout, ctx.ports, bin.kwokStages) });
    await ensureFakeNode(admin);

    await ctx.waitFor('kube-controller-manager /healthz', () => healthy(ctx.ports.kubeControllerManager), 120_000, 'kube-controller-manager');
    await ctx.waitFor('kube-scheduler /healthz', () => healthy(ctx.ports.kubeScheduler), 120_000, 'kube-scheduler');
    await ctx.waitFor('kwok /healthz', () => kwokHealthy(ctx), 120_000, 'kwok');
    await ctx.waitFor(
      `node ${FAKE_NODE_NAME} Ready (kept by kwok)`,
      async () => (await fakeNodeReady(admin)) && (await leaseRenewedSince(admin, kwokStarted)),
      120_000,
      'kwok',
    );
  },
  async probe(ctx) {
    try {
      const admin = adminTarget(ctx);
      if (!admin.token || !(await apiReady(admin))) return false;
      const answers = await Promise.all([
        fakeNodeReady(admin),
        healthy(ctx.ports.kubeControllerManager),
        healthy(ctx.ports.kubeScheduler),
        kwokHealthy(ctx),
      ]);
      return answers.every(Boolean);
    } catch {
      return false;
    }
  },
  env(ctx) {
    const kubeconfig = clusterLayout(ctx.dataDir).adminKubeconfig;
    return {
      KUBECONFIG: kubeconfig,
      LERN_KUBECONFIG: kubeconfig,
      LERN_KUBE_APISERVER_URL: apiServerUrl(ctx.ports),
    };
  },
};

