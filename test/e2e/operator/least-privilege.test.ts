/**
 * Least privilege on the real control plane: examples/minimal.yaml runs only what this version can
 * run, behind a NetworkPolicy, with two Service ports and a draining shutdown; the ServiceAccount
 * never meets the namespace's `default`; and the operator refuses to take over objects it did not
 * make, saying which, until they are out of the way.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeError, RUNNABLE_JOBS, RUNNABLE_SERVICES, applyManifest, parseManifest, type LernInstallation, type Operator } from '@lern/operator';
import { argoHealth } from '../../../operator/src/argocd/lua.ts';
import { applyInstallation, childrenOf, cleanup, cluster, getInstallation, manifestAsWritten, ROOT, startOperator, waitFor, waitReady, type Cluster } from './helpers.ts';

let c: Cluster;
let op: Operator;

beforeAll(async () => {
  c = await cluster(import.meta.url);
  op = await startOperator(c);
});

afterAll(async () => {
  await op?.stop();
  await cleanup(c);
});

interface Meta {
  name: string;
  uid: string;
  labels?: Record<string, string>;
  ownerReferences?: unknown[];
  managedFields?: { manager: string }[];
}
interface NetworkPolicy {
  metadata: Meta;
  spec: { podSelector: unknown; policyTypes: string[]; ingress: { from?: unknown[]; ports: { protocol: string; port: number }[] }[] };
}
interface Container {
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value?: string }[];
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
}
interface Deployment {
  spec: { template: { spec: { serviceAccountName: string; terminationGracePeriodSeconds: number; containers: Container[] } } };
}

const missing = async (kind: string, name: string): Promise<boolean> => {
  try {
    await c.api.get(kind, name, c.namespace);
    return false;
  } catch (e) {
    return e instanceof KubeError && e.status === 404;
  }
};

function waitStalled(name: string): Promise<LernInstallation> {
  return waitFor(`${name} Stalled`, async () => {
    const inst = await getInstallation(c, name);
    return inst.status?.phase === 'Stalled' && inst.status.observedGeneration === inst.metadata.generation ? inst : undefined;
  }, 120_000, async () => JSON.stringify((await getInstallation(c, name)).status));
}

describe('examples/minimal.yaml', () => {
  const OWN = { from: [{ podSelector: { matchLabels: { 'lern.sunbird.org/installation': 'lern' } } }], ports: [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 9001 }] };

  it('goes Ready running only what this version can run', async () => {
    await applyManifest(c.api, parseManifest(readFileSync(resolve(ROOT, 'examples', 'minimal.yaml'), 'utf8')), c.namespace);
    const ready = await waitReady(c, 'lern');
    const runnable = [...RUNNABLE_SERVICES, ...RUNNABLE_JOBS];
    expect(ready.status?.components?.map((x) => x.name)).toEqual(runnable);
    const deployments = await childrenOf<{ metadata: Meta }>(c, 'Deployment', 'lern');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(runnable.map((n) => `lern-${n}`).sort());
  });

  it('renders its NetworkPolicy: own pods on both ports, anyone on the public port', async () => {
    const np = await c.api.get<NetworkPolicy>('NetworkPolicy', 'lern-lern', c.namespace);
    expect(np.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'lern-operator', 'lern.sunbird.org/installation': 'lern' });
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'lern.sunbird.org/installation': 'lern' } });
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual([OWN, { ports: [{ protocol: 'TCP', port: 9000 }] }]);
  });

  it('serves the public and the internal port, probes the public one, and drains before stopping', async () => {
    const svc = await c.api.get<{ spec: { ports: { name: string; port: number; targetPort: string }[] } }>('Service', 'lern-userorg', c.namespace);
    expect(svc.spec.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([['http', 9000, 'http'], ['internal', 9001, 'internal']]);
    const d = await c.api.get<Deployment>('Deployment', 'lern-userorg', c.namespace);
    const pod = d.spec.template.spec;
    const container = pod.containers[0]!;
    expect(container.ports.map((p) => [p.name, p.containerPort])).toEqual([['http', 9000], ['internal', 9001]]);
    expect(container.lifecycle?.preStop?.sleep?.seconds).toBe(5);
    expect(container.env).toContainEqual({ name: 'LERN_SHUTDOWN_DEADLINE_MS', value: '20000' });
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    const cm = await c.api.get<{ data: Record<string, string> }>('ConfigMap', 'lern-userorg', c.namespace);
    expect(cm.data).toMatchObject({ LERN_HTTP_PORT: '9000', LERN_INTERNAL_HTTP_PORT: '9001' });
  });

  it('publicFrom narrows the public port; turning the policy off removes it', async () => {
    const gateway = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } };
    await c.api.mergePatch('LernInstallation', 'lern', c.namespace, { spec: { networkPolicy: { publicFrom: [gateway] } } });
    await waitFor('publicFrom applied', async () => {
      const np = await c.api.get<NetworkPolicy>('NetworkPolicy', 'lern-lern', c.namespace);
      return isDeepStrictEqual(np.spec.ingress, [OWN, { from: [gateway], ports: [{ protocol: 'TCP', port: 9000 }] }]);
    }, 30_000, async () => JSON.stringify((await c.api.get<NetworkPolicy>('NetworkPolicy', 'lern-lern', c.namespace)).spec));
    await c.api.mergePatch('LernInstallation', 'lern', c.namespace, { spec: { networkPolicy: { enabled: false } } });
    await waitFor('NetworkPolicy removed', () => missing('NetworkPolicy', 'lern-lern'));
    await waitReady(c, 'lern');
  });
});

describe('the ServiceAccount', () => {
  it('an installation called "default" leaves the namespace\'s default ServiceAccount alone', async () => {
    const before = await waitFor('the default ServiceAccount', () => c.api.get<{ metadata: Meta }>('ServiceAccount', 'default', c.namespace));
    await applyInstallation(c, manifestAsWritten('default'));
    await waitReady(c, 'default');
    const sa = await c.api.get<{ metadata: Meta; automountServiceAccountToken: boolean }>('ServiceAccount', 'default-lern', c.namespace);
    expect(sa.metadata.labels?.['lern.sunbird.org/installation']).toBe('default');
    expect(sa.automountServiceAccountToken).toBe(false);
    const d = await c.api.get<Deployment>('Deployment', 'default-userorg', c.namespace);
    expect(d.spec.template.spec.serviceAccountName).toBe('default-lern');
    const jobs = await childrenOf<Deployment>(c, 'Job', 'default');
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.spec.template.spec.serviceAccountName === 'default-lern')).toBe(true);
    const untouched = async () => {
      const now = await c.api.get<{ metadata: Meta }>('ServiceAccount', 'default', c.namespace);
      expect(now.metadata.uid).toBe(before.metadata.uid);
      expect(now.metadata.labels ?? {}).not.toHaveProperty('lern.sunbird.org/installation');
      expect(now.metadata.ownerReferences ?? []).toEqual([]);
      expect((now.metadata.managedFields ?? []).map((f) => f.manager)).not.toContain('lern-operator');
    };
    await untouched();
    await c.api.delete('LernInstallation', 'default', c.namespace);
    await waitFor('default-lern collected', () => missing('ServiceAccount', 'default-lern'), 120_000);
    await untouched();
  });
});

describe('objects the operator did not make', () => {
  it('a same-named object without its labels stalls the installation, which names it and writes nothing', async () => {
    await c.api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'taken-lern', namespace: c.namespace, labels: { team: 'payments' } } });
    await applyInstallation(c, manifestAsWritten('taken'));
    const stalled = await waitStalled('taken');
    const cond = stalled.status!.conditions!.find((x) => x.type === 'Stalled')!;
    expect(cond).toMatchObject({ status: 'True', reason: 'ObjectNotOwned' });
    expect(cond.message).toContain('ServiceAccount/taken-lern');
    expect(stalled.status!.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ObjectNotOwned' });
    expect(argoHealth(stalled).status).toBe('Degraded');
    // the foreign object is as it was, and nothing else was created
    const sa = await c.api.get<{ metadata: Meta }>('ServiceAccount', 'taken-lern', c.namespace);
    expect(sa.metadata.labels).toEqual({ team: 'payments' });
    expect(sa.metadata.ownerReferences ?? []).toEqual([]);
    expect((sa.metadata.managedFields ?? []).map((f) => f.manager)).not.toContain('lern-operator');
    expect(await childrenOf(c, 'Job', 'taken')).toEqual([]);
    expect(await missing('NetworkPolicy', 'taken-lern')).toBe(true);
    const events = await c.api.list<{ involvedObject: { name: string }; reason: string; type: string; message: string }>('Event', c.namespace);
    expect(events.items.some((e) => e.involvedObject.name === 'taken' && e.type === 'Warning' && e.message.includes('ServiceAccount/taken-lern'))).toBe(true);
  });

  it('once it is out of the way, the installation carries on by itself', async () => {
    await c.api.delete('ServiceAccount', 'taken-lern', c.namespace);
    const ready = await waitReady(c, 'taken');
    expect(ready.status?.conditions?.some((x) => x.type === 'Stalled')).toBe(false);
    const sa = await c.api.get<{ metadata: Meta }>('ServiceAccount', 'taken-lern', c.namespace);
    expect(sa.metadata.labels?.['lern.sunbird.org/installation']).toBe('taken');
  });

  it('an object another installation owns is not taken over either', async () => {
    const labels = { 'app.kubernetes.io/managed-by': 'lern-operator', 'lern.sunbird.org/installation': 'someone-else' };
    await c.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second-userorg', namespace: c.namespace, labels }, data: { KEEP: 'me' } });
    await applyInstallation(c, manifestAsWritten('second'));
    // the migrations run first; the ConfigMap is needed only for the rollout, and that is where it stops
    const stalled = await waitStalled('second');
    expect(stalled.status!.conditions!.find((x) => x.type === 'Stalled')!.message).toContain('ConfigMap/second-userorg');
    expect(stalled.status?.schemaVersion).toBe('1.0.0');
    const cm = await c.api.get<{ metadata: Meta; data: Record<string, string> }>('ConfigMap', 'second-userorg', c.namespace);
    expect(cm.data).toEqual({ KEEP: 'me' });
    expect(cm.metadata.labels).toEqual(labels);
    expect(await missing('Deployment', 'second-userorg')).toBe(true);
    await c.api.delete('ConfigMap', 'second-userorg', c.namespace);
    await waitReady(c, 'second');
  });
});
