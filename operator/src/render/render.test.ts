import { describe, expect, it } from 'vitest';
import { childName, contentHash, versionForName } from './names.ts';
import { SHUTDOWN, renderDeployment, renderJob, renderPodSpec, terminationGracePeriodSeconds, type PodProps } from './workloads.ts';
import { renderAutoscaler, renderNetworkPolicy, renderService } from './objects.ts';
import { MANAGED_ENV_NAMES } from './env.ts';
import type { NetworkPolicyPeer } from '../api/types.ts';
import { parseQuantity } from './quantity.ts';
import { installation } from '../plan/fixtures.ts';
import { workloadObjects } from '../plan/objects.ts';

describe('childName', () => {
  const cases: [string[], string][] = [
    [['lern', 'userorg'], 'lern-userorg'],
    [['Lern', 'User_Org'], 'lern-user-org'],
    [['123', 'x'], 'l-123-x'],
    [['lern', 'migrate', 'cassandra', versionForName('1.10.0-rc.1'), 'abc'], 'lern-migrate-cassandra-1-10-0-rc-1-abc'],
    [['--a--', 'b'], 'a-b'],
  ];
  it.each(cases)('%j -> %s', (parts, name) => expect(childName(...parts)).toBe(name));

  it('long names are cut to 63 characters with a hash of the whole name, and stay distinct', () => {
    const a = childName('x'.repeat(50), 'collection-certificate-generator');
    const b = childName('x'.repeat(50), 'collection-cert-pre-processor');
    expect(a.length).toBeLessThanOrEqual(63);
    expect(b.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    expect(childName('x'.repeat(50), 'collection-certificate-generator')).toBe(a);
  });

  it('content hashes ignore key order', () => {
    expect(contentHash({ a: 1, b: { c: 2, d: 3 } })).toBe(contentHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});

const pod: PodProps = {
  image: 'repo/lern:1.0.0',
  args: ['service', 'userorg'],
  env: [],
  resources: { requests: { cpu: 1, memory: '256Mi' } },
  serviceAccountName: 'lern',
  podLabels: { app: 'x' },
  http: { port: 9000, internalPort: 9001, livenessPath: '/livez', readinessPath: '/readyz' },
};

describe('render builders', () => {
  it('pods run as non-root with a read-only root filesystem, no privilege escalation and no capabilities', () => {
    const { spec } = renderPodSpec(pod);
    const c = spec.containers[0]!;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(spec.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '256Mi' } });
  });

  it('services expose the public and the internal port, and are probed on the public one', () => {
    const c = renderPodSpec(pod).spec.containers[0]!;
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.startupProbe?.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9000 }, { name: 'internal', containerPort: 9001 }]);
    const svc = renderService({ name: 's', namespace: 'n', labels: {}, owner: {}, selector: { app: 'x' }, port: 9000, internalPort: 9001 });
    expect(svc.spec?.ports).toEqual([{ name: 'http', port: 9000, targetPort: 'http' }, { name: 'internal', port: 9001, targetPort: 'internal' }]);
  });

  it('refuses incomplete props with a message that says what to fix', () => {
    expect(() => renderPodSpec({ ...pod, args: [] })).toThrow(/needs arguments/);
    expect(() => renderPodSpec({ ...pod, image: 'repo/lern' })).toThrow(/must carry a tag/);
    expect(() => renderDeployment({ name: 'd', namespace: 'n', labels: {}, owner: {}, selector: { app: 'y' }, pod })).toThrow(/selector label app=y/);
    expect(() => renderService({ name: 's', namespace: 'n', labels: {}, owner: {}, selector: {}, port: 1, internalPort: 2 })).toThrow(/needs a selector/);
    expect(() => renderPodSpec({ ...pod, http: { ...pod.http!, internalPort: 9000 } })).toThrow(/internal port must differ/);
    expect(() => renderAutoscaler({ name: 'h', namespace: 'n', labels: {}, owner: {}, deploymentName: 'd', minReplicas: 3, maxReplicas: 2, targetCPUUtilizationPercentage: 80 })).toThrow(/exceeds maxReplicas/);
  });

  it('jobs never restart pods in place', () => {
    const job = renderJob({ name: 'j', namespace: 'n', labels: {}, owner: {}, pod });
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
    expect(job.spec?.backoffLimit).toBe(2);
  });

  it('every child carries the operator labels and owner, never app.kubernetes.io/instance', () => {
    for (const o of workloadObjects(installation(), '1.0.0')) {
      const labels = o.object.metadata.labels ?? {};
      expect(labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'lern-operator', 'app.kubernetes.io/version': '1.0.0', 'lern.sunbird.org/installation': 'lern' });
      expect(labels['app.kubernetes.io/name']).toBeTruthy();
      expect(labels['app.kubernetes.io/component']).toMatch(/^(service|job)$/);
      expect(labels).not.toHaveProperty('app.kubernetes.io/instance');
      expect(o.object.metadata.ownerReferences).toEqual([{ apiVersion: 'lern.sunbird.org/v1alpha1', kind: 'LernInstallation', name: 'lern', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
    }
  });

  it('secrets are referenced, never copied; non-secret settings go to the ConfigMap', () => {
    const objs = workloadObjects(installation(), '1.0.0');
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.name === 'lern-lms')!.object as unknown as { data: Record<string, string> };
    expect(cm.data).toMatchObject({ LERN_HTTP_PORT: '9000', LERN_CASSANDRA_CONTACT_POINTS: 'cassandra.data.svc:9042', LERN_POSTGRES_URL: 'postgres://lern@pg.data.svc:5432/lern', LERN_SEARCH_ENGINE: 'elasticsearch' });
    expect(JSON.stringify(cm.data)).not.toMatch(/PASSWORD|ENCRYPTION/);
    const d = objs.find((o) => o.kind === 'Deployment' && o.name === 'lern-lms')!.object as unknown as { spec: { template: { spec: { containers: { env: unknown[] }[] } } } };
    expect(d.spec.template.spec.containers[0]!.env).toContainEqual({ name: 'LERN_POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'pg', key: 'password' } } });
    expect(d.spec.template.spec.containers[0]!.env).toContainEqual({ name: 'LERN_CASSANDRA_PASSWORD', valueFrom: { secretKeyRef: { name: 'cassandra', key: 'password' } } });
    // groups does not use postgres, so it gets neither the URL nor the password
    const g = objs.find((o) => o.kind === 'ConfigMap' && o.name === 'lern-groups')!.object as unknown as { data: Record<string, string> };
    expect(g.data).not.toHaveProperty('LERN_POSTGRES_URL');
  });

  it('the same installation renders byte-identical objects (operator restarts and upgrades do not roll pods)', () => {
    expect(JSON.stringify(workloadObjects(installation(), '1.0.0'))).toBe(JSON.stringify(workloadObjects(installation(), '1.0.0')));
  });

  it('quantities parse by value', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1Gi')).toBe(parseQuantity('1024Mi'));
    expect(parseQuantity('lots')).toBeUndefined();
  });
});

describe('shutdown', () => {
  const table: [string, PodProps, { preStop?: number; grace?: number; deadline?: string }][] = [
    ['a service sleeps before SIGTERM and is killed only after sleep, deadline and margin', { ...pod, shutdown: SHUTDOWN }, { preStop: 5, grace: 30, deadline: '20000' }],
    ['a job (no Service in front) needs no sleep', { ...pod, http: undefined, shutdown: SHUTDOWN }, { grace: 25, deadline: '20000' }],
    ['a longer deadline lengthens the grace period', { ...pod, shutdown: { preStopSleepSeconds: 10, deadlineMs: 45_500 } }, { preStop: 10, grace: 10 + 46 + 5, deadline: '45500' }],
    ['a migration pod keeps the kubelet defaults', { ...pod, http: undefined }, {}],
  ];
  it.each(table)('%s', (_name, props, want) => {
    const { spec } = renderPodSpec(props);
    const c = spec.containers[0]!;
    expect(c.lifecycle?.preStop?.sleep?.seconds).toBe(want.preStop);
    expect(spec.terminationGracePeriodSeconds).toBe(want.grace);
    expect(c.env?.find((e) => e.name === 'LERN_SHUTDOWN_DEADLINE_MS')?.value).toBe(want.deadline);
  });

  it('the kubelet never kills a process that keeps its deadline', () => {
    for (const http of [true, false]) {
      const grace = terminationGracePeriodSeconds(SHUTDOWN, http);
      expect(grace * 1000).toBeGreaterThan((http ? SHUTDOWN.preStopSleepSeconds * 1000 : 0) + SHUTDOWN.deadlineMs);
    }
  });

  it('every Deployment of an installation gets it, with the env entry the operator reserves', () => {
    for (const o of workloadObjects(installation(), '1.0.0').filter((x) => x.kind === 'Deployment')) {
      const spec = (o.object.spec as { template: { spec: { terminationGracePeriodSeconds: number; containers: { env: { name: string; value?: string }[] }[] } } }).template.spec;
      expect(spec.terminationGracePeriodSeconds, o.name).toBeGreaterThan(SHUTDOWN.deadlineMs / 1000);
      expect(spec.containers[0]!.env).toContainEqual({ name: 'LERN_SHUTDOWN_DEADLINE_MS', value: String(SHUTDOWN.deadlineMs) });
    }
    expect(MANAGED_ENV_NAMES).toEqual(expect.arrayContaining(['LERN_SHUTDOWN_DEADLINE_MS', 'LERN_INTERNAL_HTTP_PORT']));
  });
});

describe('renderNetworkPolicy', () => {
  const base = { name: 'lern-lern', namespace: 'n', labels: {}, owner: {}, podSelector: { 'lern.sunbird.org/installation': 'lern' }, ownPorts: [9000, 9001], publicPort: 9000 };
  const own = { from: [{ podSelector: { matchLabels: { 'lern.sunbird.org/installation': 'lern' } } }], ports: [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 9001 }] };
  const ingressController = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
  const table: [string, NetworkPolicyPeer[] | undefined, unknown[]][] = [
    ['publicFrom absent: the public port is open to any source, the internal one only to own pods', undefined, [own, { ports: [{ protocol: 'TCP', port: 9000 }] }]],
    ['publicFrom empty: only the installation reaches either port', [], [own]],
    ['publicFrom names the ingress controller: only it, on the public port only', [ingressController], [own, { from: [ingressController], ports: [{ protocol: 'TCP', port: 9000 }] }]],
    ['an IP block for a gateway outside the cluster', [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], [own, { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 9000 }] }]],
  ];
  it.each(table)('%s', (_name, publicFrom, ingress) => {
    const np = renderNetworkPolicy({ ...base, ...(publicFrom ? { publicFrom } : {}) });
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'lern.sunbird.org/installation': 'lern' } });
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(np.spec.ingress).toEqual(ingress);
    // the internal port is never in a rule that admits anyone but the installation's pods
    for (const rule of np.spec.ingress.slice(1)) expect(rule.ports.map((p) => p.port)).toEqual([9000]);
  });

  it('refuses props that would guard the whole namespace or leave the public port out', () => {
    expect(() => renderNetworkPolicy({ ...base, podSelector: {} })).toThrow(/needs a pod selector/);
    expect(() => renderNetworkPolicy({ ...base, ownPorts: [9001] })).toThrow(/must include the public port 9000/);
  });
});
