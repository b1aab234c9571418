/** What an installation renders beyond its workloads: defaults from the catalogue, names, policy, secrets. */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { JOB_CATALOGUE, JOB_NAMES, MIGRATION_STORES, RUNNABLE_JOBS, RUNNABLE_SERVICES, SERVICE_CATALOGUE, SERVICE_NAMES, jobsUsing, servicesUsing } from '../api/components.ts';
import type { NetworkPolicySpec } from '../api/types.ts';
import { plan } from './plan.ts';
import { NOTHING_OBSERVED } from './observed.ts';
import { baseObjects, componentName, migrationJobs, peerEnv, serviceAccountName, workloadObjects } from './objects.ts';
import { defaultInstallation, installation } from './fixtures.ts';

type PodTemplate = { spec: { template: { spec: V1PodSpec & { serviceAccountName: string; containers: (V1Container & { args: string[] })[] } } } };
const pod = (o: { object: unknown }) => (o.object as PodTemplate).spec.template.spec;

describe('defaults come from the catalogue', () => {
  it('only components this version can run are enabled when the manifest names none', () => {
    const inst = defaultInstallation();
    expect(SERVICE_NAMES.filter((n) => inst.spec.services[n].enabled)).toEqual([...RUNNABLE_SERVICES]);
    expect(JOB_NAMES.filter((n) => inst.spec.jobs[n].enabled)).toEqual([...RUNNABLE_JOBS]);
    expect(RUNNABLE_SERVICES).toContain('userorg');
    const deployments = workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment').map((o) => o.name);
    expect(deployments).toEqual([...RUNNABLE_SERVICES, ...RUNNABLE_JOBS].map((n) => `lern-${n}`));
    // and the migrations ask only for what the program knows
    const migrations = migrationJobs(inst, '');
    expect(migrations.map((m) => m.store)).toEqual([...MIGRATION_STORES]);
    for (const m of migrations) {
      const services = servicesUsing(m.store).filter((n) => RUNNABLE_SERVICES.includes(n));
      const jobs = jobsUsing(m.store).filter((n) => RUNNABLE_JOBS.includes(n));
      const args = ['migrate', m.store, ...(services.length > 0 ? ['--services', services.join(',')] : []), ...(jobs.length > 0 ? ['--jobs', jobs.join(',')] : [])];
      expect(pod(m).containers[0]!.args).toEqual(args);
    }
  });

  it('a component this version cannot run still runs when a manifest enables it', () => {
    for (const notYet of SERVICE_NAMES.filter((n) => !SERVICE_CATALOGUE[n].runnable)) {
      const inst = defaultInstallation({ services: { [notYet]: { enabled: true } } });
      expect(workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment').map((o) => o.name)).toContain(`lern-${notYet}`);
    }
  });
});

describe('the ServiceAccount name', () => {
  const table: [string, string][] = [
    ['lern', 'lern-lern'],
    ['default', 'default-lern'],
    ['prod', 'prod-lern'],
    ['x'.repeat(50), `${'x'.repeat(50)}-lern`],
  ];
  it.each(table)('installation %s -> %s, never the namespace default and never a component object', (name, sa) => {
    const inst = installation({}, undefined, { name });
    expect(serviceAccountName(inst)).toBe(sa);
    expect(serviceAccountName(inst)).not.toBe('default');
    const components = [...SERVICE_NAMES, ...JOB_NAMES].map((c) => componentName(inst, c));
    expect(components).not.toContain(sa);
    // every pod, migrations included, runs as it
    const pods = [...workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment'), ...migrationJobs(inst, '')];
    expect(new Set(pods.map((o) => pod(o).serviceAccountName))).toEqual(new Set([sa]));
  });

  it('no installation name yields "default" or an empty name', () => {
    for (const name of ['default', 'default-', 'de', 'lern-default', '0']) {
      const sa = serviceAccountName(installation({}, undefined, { name }));
      expect(sa).not.toBe('default');
      expect(sa).toMatch(/^[a-z][a-z0-9-]*-lern$/);
    }
  });
});

describe('the NetworkPolicy', () => {
  const table: [string, Partial<NetworkPolicySpec> | undefined, { rendered: boolean; publicRule?: unknown }][] = [
    ['on by default, public port open to any source', undefined, { rendered: true, publicRule: { ports: [{ protocol: 'TCP', port: 9000 }] } }],
    ['publicFrom narrows the public port', { publicFrom: [{ podSelector: { matchLabels: { app: 'gateway' } } }] }, { rendered: true, publicRule: { from: [{ podSelector: { matchLabels: { app: 'gateway' } } }], ports: [{ protocol: 'TCP', port: 9000 }] } }],
    ['an empty publicFrom leaves only the installation', { publicFrom: [] }, { rendered: true }],
    ['turned off: none', { enabled: false }, { rendered: false }],
  ];
  it.each(table)('%s', (_name, networkPolicy, want) => {
    const inst = installation(networkPolicy ? { networkPolicy } : {});
    const np = baseObjects(inst).find((o) => o.kind === 'NetworkPolicy');
    expect(np !== undefined).toBe(want.rendered);
    if (!np) return;
    expect(np.name).toBe('lern-lern');
    const ingress = (np.object.spec as { ingress: unknown[] }).ingress;
    expect(ingress[0]).toEqual({ from: [{ podSelector: { matchLabels: { 'lern.sunbird.org/installation': 'lern' } } }], ports: [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 9001 }] });
    expect(ingress[1]).toEqual(want.publicRule);
  });

  it('guards every pod of the installation: services, jobs and migrations carry its selector label', () => {
    const inst = installation();
    const pods = [...workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment'), ...migrationJobs(inst, '')];
    for (const o of pods) {
      const labels = (o.object.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
      expect(labels['lern.sunbird.org/installation'], o.name).toBe('lern');
    }
  });

  it('is applied before any pod exists', () => {
    const kinds = plan(installation(), NOTHING_OBSERVED).objects.map((o) => o.kind);
    expect(kinds.indexOf('NetworkPolicy')).toBeLessThan(kinds.indexOf('Job'));
  });
});

describe('the encryption key', () => {
  it('reaches only the components that encrypt personal data, and the Cassandra migration that rehashes their lookups', () => {
    const inst = installation();
    const withKey = workloadObjects(inst, '1.0.0')
      .filter((o) => o.kind === 'Deployment' && pod(o).containers[0]!.env?.some((e) => e.name === 'LERN_ENCRYPTION_KEY'))
      .map((o) => o.name);
    const needing = [...SERVICE_NAMES.filter((n) => SERVICE_CATALOGUE[n].encryptionKey), ...JOB_NAMES.filter((n) => JOB_CATALOGUE[n].encryptionKey)];
    expect(withKey).toEqual(needing.map((n) => `lern-${n}`));
    expect(withKey).toContain('lern-userorg');
    const migrationsWithKey = migrationJobs(inst, '')
      .filter((m) => pod(m).containers[0]!.env?.some((e) => e.name === 'LERN_ENCRYPTION_KEY'))
      .map((m) => m.store);
    expect(migrationsWithKey).toEqual(['cassandra']);
    // The rehash also rewrites the search documents' hashes: that Job reaches the search engine too.
    const cassandra = migrationJobs(inst, '').find((m) => m.store === 'cassandra')!;
    expect(pod(cassandra).containers[0]!.env?.some((e) => e.name === 'LERN_SEARCH_URL')).toBe(true);
  });
});

describe('service ports', () => {
  it('every service gets LERN_HTTP_PORT and LERN_INTERNAL_HTTP_PORT; jobs get neither', () => {
    for (const o of workloadObjects(installation(), '1.0.0').filter((x) => x.kind === 'ConfigMap')) {
      const data = (o.object as unknown as { data: Record<string, string> }).data;
      const isService = SERVICE_NAMES.some((s) => o.name === `lern-${s}`);
      expect(data.LERN_HTTP_PORT, o.name).toBe(isService ? '9000' : undefined);
      expect(data.LERN_INTERNAL_HTTP_PORT, o.name).toBe(isService ? '9001' : undefined);
    }
  });
});

describe('probes', () => {
  it('gives job Deployments probes on their metrics port, and services a second, internal port with a drain delay', () => {
    const inst = installation();
    const deployments = workloadObjects(inst, '1.0.0').filter((o) => o.kind === 'Deployment');
    const job = pod(deployments.find((o) => o.name === `lern-${JOB_NAMES[0]}`)!);
    const service = pod(deployments.find((o) => o.name === 'lern-userorg')!);
    const jobContainer = job.containers[0]!;
    expect(jobContainer.ports).toEqual([{ name: 'http', containerPort: 9000 }]);
    expect(jobContainer.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(jobContainer.livenessProbe?.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(jobContainer.lifecycle).toBeUndefined();
    expect(service.containers[0]!.ports?.map((p) => p.name)).toEqual(['http', 'internal']);
    expect(service.containers[0]!.lifecycle?.preStop?.sleep?.seconds).toBeGreaterThan(0);
    // A job gets the process deadline plus the margin; a service also the drain delay.
    expect(job.terminationGracePeriodSeconds).toBeLessThan(service.terminationGracePeriodSeconds!);
  });
});

describe('service-to-service addresses', () => {
  it('gives groups the notification service on its internal port, only while notification is enabled', () => {
    const inst = installation();
    expect(peerEnv(inst, 'groups')).toEqual({ LERN_NOTIFICATION_URL: `http://${componentName(inst, 'notification')}:9001` });
    inst.spec.services.notification.enabled = false;
    expect(peerEnv(inst, 'groups')).toEqual({});
    expect(peerEnv(inst, 'userorg')).toEqual({});
  });
});
