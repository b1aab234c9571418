import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  VersionApi,
  type V1Deployment,
  type V1Job,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireServers, testNames } from '../../setup/servers-env.ts';

const names = testNames(import.meta.url);
const namespace = names.namespace;
const labels = { app: 'probe-web' };

let env: Record<string, string>;
let kubeconfig: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let batch: BatchV1Api;
let rbac: RbacAuthorizationV1Api;

const statusOf = (error: unknown): number | undefined => (error instanceof ApiException ? error.code : undefined);

/** Polls until `check` resolves true; the message names what never happened. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** True once reading the object fails with 404. */
async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (error) {
    if (statusOf(error) === 404) return true;
    throw error;
  }
}

beforeAll(async () => {
  env = await requireServers(['kubernetes']);
  kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(env.LERN_KUBECONFIG!);
  core = kubeconfig.makeApiClient(CoreV1Api);
  apps = kubeconfig.makeApiClient(AppsV1Api);
  batch = kubeconfig.makeApiClient(BatchV1Api);
  rbac = kubeconfig.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});

afterAll(async () => {
  if (!core) return;
  await core.deleteNamespace({ name: namespace }).catch((error: unknown) => {
    if (statusOf(error) !== 404) throw error;
  });
});

describe('kubernetes control plane', () => {
  it('points KUBECONFIG and the API server URL at the same loopback server', () => {
    expect(env.KUBECONFIG).toBe(env.LERN_KUBECONFIG);
    expect(kubeconfig.getCurrentCluster()?.server).toBe(env.LERN_KUBE_APISERVER_URL);
    expect(env.LERN_KUBE_APISERVER_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('reports the Kubernetes version it was built as', async () => {
    const version = await kubeconfig.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.34.4');
    expect(version.major).toBe('1');
    expect(version.minor).toBe('34');
  });

  it('has a Ready worker node for pods', async () => {
    const nodes = await core.listNode();
    const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(ready.length).toBeGreaterThan(0);
    expect(ready[0]!.spec?.taints ?? []).not.toContainEqual(expect.objectContaining({ effect: 'NoSchedule' }));
  });

  it('schedules a Deployment and makes it Available', async () => {
    const deployment: V1Deployment = {
      metadata: { name: 'probe-web', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'web', image: 'registry.invalid/probe-web:1', ports: [{ containerPort: 8080 }] }] },
        },
      },
    };
    await apps.createNamespacedDeployment({ namespace, body: deployment });
    await eventually('Deployment Available with 2 ready replicas', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'probe-web', namespace });
      const available = d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
      return available === true && d.status?.readyReplicas === 2;
    });
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app=probe-web' });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.spec?.nodeName).toBeTruthy();
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      // The ReplicaSet, itself owned by the Deployment, owns the pods.
      expect(pod.metadata?.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
    }
  });

  it('runs a Job to completion', async () => {
    const job: V1Job = {
      metadata: { name: 'probe-job' },
      spec: {
        completions: 2,
        parallelism: 1,
        backoffLimit: 0,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'registry.invalid/probe-job:1' }] } },
      },
    };
    await batch.createNamespacedJob({ namespace, body: job });
    await eventually('Job Complete', async () => {
      const j = await batch.readNamespacedJob({ name: 'probe-job', namespace });
      return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;
    });
    const done = await batch.readNamespacedJob({ name: 'probe-job', namespace });
    expect(done.status?.succeeded).toBe(2);
    expect(done.status?.failed ?? 0).toBe(0);
  });

  it('deletes an owned ConfigMap when its owner is deleted (garbage collector)', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'probe-owner' }, data: { role: 'owner' } } });
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        metadata: {
          name: 'probe-owned',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'probe-owner', uid: owner.metadata!.uid!, blockOwnerDeletion: true }],
        },
        data: { role: 'owned' },
      },
    });
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'probe-unrelated' }, data: { role: 'bystander' } } });
    await core.deleteNamespacedConfigMap({ name: 'probe-owner', namespace });
    await eventually('owned ConfigMap collected', () => gone(() => core.readNamespacedConfigMap({ name: 'probe-owned', namespace })));
    const bystander = await core.readNamespacedConfigMap({ name: 'probe-unrelated', namespace });
    expect(bystander.data).toEqual({ role: 'bystander' });
  });

  it('cascades a foreground Deployment deletion to its ReplicaSets and pods', async () => {
    await apps.deleteNamespacedDeployment({ name: 'probe-web', namespace, propagationPolicy: 'Foreground' });
    await eventually('Deployment, ReplicaSets and pods gone', async () => {
      const [deploymentGone, replicaSets, pods] = await Promise.all([
        gone(() => apps.readNamespacedDeployment({ name: 'probe-web', namespace })),
        apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=probe-web' }),
        core.listNamespacedPod({ namespace, labelSelector: 'app=probe-web' }),
      ]);
      return deploymentGone && replicaSets.items.length === 0 && pods.items.length === 0;
    });
  });

  it('enforces RBAC for a service account token', async () => {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'probe-reader' } } });
    await rbac.createNamespacedRole({
      namespace,
      body: { metadata: { name: 'configmap-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'probe-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'configmap-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'probe-reader', namespace }],
      },
    });
    const token = await core.createNamespacedServiceAccountToken({
      name: 'probe-reader',
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const asReader = new KubeConfig();
    asReader.loadFromOptions({
      clusters: [{ ...kubeconfig.getCurrentCluster()!, name: 'lern' }],
      users: [{ name: 'probe-reader', token: token.status!.token }],
      contexts: [{ name: 'reader', cluster: 'lern', user: 'probe-reader', namespace }],
      currentContext: 'reader',
    });
    const readerCore = asReader.makeApiClient(CoreV1Api);
    const configMaps = await readerCore.listNamespacedConfigMap({ namespace });
    expect(configMaps.items.map((c) => c.metadata?.name)).toContain('probe-unrelated');
    const denied = await readerCore.listNamespacedSecret({ namespace }).then(
      () => undefined,
      (error: unknown) => statusOf(error),
    );
    expect(denied).toBe(403);
  });

  it('deletes the namespace with everything in it', async () => {
    await core.deleteNamespace({ name: namespace });
    await eventually('namespace finalized', () => gone(() => core.readNamespace({ name: namespace })), 110_000);
  });
});
