/**
 * Every CEL rule of the CRD against the real API server: the bad manifest is refused at apply with
 * the rule's message; the matching good manifest is accepted. No operator runs in this file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CEL_RULES, JOB_CATALOGUE, JOB_NAMES, KubeError, SERVICE_CATALOGUE, SERVICE_NAMES, parseManifest } from '@lern/operator';
import { requiredEncryptionKeyRule } from '../../../operator/src/api/crd.ts';
import { applyInstallation, cleanup, cluster, manifest, manifestAsWritten, ROOT, type Cluster } from './helpers.ts';

let c: Cluster;
let n = 0;
const name = () => `cel-${++n}`;

beforeAll(async () => {
  c = await cluster(import.meta.url);
});

afterAll(async () => {
  await cleanup(c);
});

async function refused(obj: Record<string, unknown>): Promise<string> {
  try {
    await applyInstallation(c, obj);
  } catch (e) {
    expect(e).toBeInstanceOf(KubeError);
    expect((e as KubeError).status).toBe(422);
    return (e as KubeError).message;
  }
  throw new Error('the API server accepted the manifest');
}

const JOBS_OFF = Object.fromEntries(
  ['activity-aggregate-updater', 'enrolment-reconciliation', 'assessment-aggregator', 'collection-cert-pre-processor', 'collection-certificate-generator', 'merge-user-courses', 'notification-job', 'user-deletion-cleanup', 'user-cache-updater'].map((j) => [j, { enabled: false }]),
);

describe('CEL rules', () => {
  it('version must be semver', async () => {
    const message = await refused(manifest(name(), { version: 'v1.0' }));
    expect(message).toContain(CEL_RULES.semver.message);
    expect(message).toContain('spec.version');
    await applyInstallation(c, manifest(name(), { version: '1.0.0-rc.1' }));
  });

  it('replicas stay within 0..50', async () => {
    expect(await refused(manifest(name(), { services: { userorg: { replicas: 99 } } }))).toContain(CEL_RULES.replicas.message);
    await applyInstallation(c, manifest(name(), { services: { userorg: { replicas: 0 } } }));
  });

  it('autoscaling bounds are ordered (checked only for enabled services)', async () => {
    const bad = { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } };
    expect(await refused(manifest(name(), { services: { lms: bad } }))).toContain(CEL_RULES.autoscalingBounds.message);
    await applyInstallation(c, manifest(name(), { services: { lms: { ...bad, enabled: false } } }));
  });

  it('an env entry has exactly one of value and valueFrom', async () => {
    expect(await refused(manifest(name(), { jobs: { 'notification-job': { env: [{ name: 'SMTP_HOST' }] } } }))).toContain(CEL_RULES.envValueOrSecret.message);
  });

  it('credentials only as Secret references: env values', async () => {
    const message = await refused(manifest(name(), { jobs: { 'notification-job': { env: [{ name: 'SMTP_PASSWORD', value: 'hunter2' }] } } }));
    expect(message).toContain('env SMTP_PASSWORD looks like a credential: give it as valueFrom.secretKeyRef, never as a literal value');
    await applyInstallation(c, manifest(name(), { jobs: { 'notification-job': { env: [{ name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'smtp', key: 'password' } } }] } } }));
  });

  it('credentials only as Secret references: no password in a URL', async () => {
    expect(await refused(manifest(name(), { redis: { url: 'redis://:hunter2@redis:6379' } }))).toContain(CEL_RULES.urlWithoutPassword.message);
    expect(await refused(manifest(name(), { postgres: { url: 'postgres://lern:hunter2@pg:5432/lern' } }))).toContain(CEL_RULES.urlWithoutPassword.message);
    await applyInstallation(c, manifest(name(), { postgres: { url: 'postgres://lern@pg:5432/lern', passwordSecretRef: { name: 'pg', key: 'password' } } }));
  });

  it('a disabled component needs no settings for its stores; an enabled one does', async () => {
    const noSearch = manifest(name());
    delete (noSearch.spec as Record<string, unknown>).search;
    const message = await refused(noSearch);
    expect(message).toContain('spec.search is required while any of these is enabled: userorg, lms, collection-certificate-generator, user-deletion-cleanup');
    const withoutUsers = manifest(name(), { services: { userorg: { enabled: false }, lms: { enabled: false } }, jobs: JOBS_OFF });
    delete (withoutUsers.spec as Record<string, unknown>).search;
    delete (withoutUsers.spec as Record<string, unknown>).postgres;
    await applyInstallation(c, withoutUsers);
    const noPostgres = manifest(name());
    delete (noPostgres.spec as Record<string, unknown>).postgres;
    expect(await refused(noPostgres)).toContain('spec.postgres is required while any of these is enabled: lms');
    const noRedis = manifest(name());
    delete (noRedis.spec as Record<string, unknown>).redis;
    expect(await refused(noRedis)).toContain('spec.redis is required');
  });

  it('the search engine cannot change on an existing installation', async () => {
    const nm = name();
    await applyInstallation(c, manifest(nm));
    expect(await refused(manifest(nm, { search: { engine: 'opensearch', url: 'http://127.0.0.1:19201' } }))).toContain(CEL_RULES.searchEngineImmutable.message);
  });

  it('the name leaves room for child names', async () => {
    expect(await refused(manifest('x'.repeat(51)))).toContain(CEL_RULES.nameLength.message);
  });

  it('no downgrade below status.schemaVersion unless allowDowngrade', async () => {
    const nm = name();
    const created = (await applyInstallation(c, manifest(nm, { version: '1.10.0' })));
    await c.api.replace({ ...created, status: { schemaVersion: '1.10.0' } } as never, 'status');
    const message = await refused(manifest(nm, { version: '1.9.0' }));
    expect(message).toContain('spec.version 1.9.0 is below the applied schema version 1.10.0');
    expect(message).toContain('spec.allowDowngrade: true');
    // numeric, not string, comparison: 1.10.1 and 2.0.0 are upgrades
    await applyInstallation(c, manifest(nm, { version: '1.10.1' }));
    await applyInstallation(c, manifest(nm, { version: '2.0.0' }));
    await applyInstallation(c, manifest(nm, { version: '1.9.0', allowDowngrade: true }));
  });

  it('the encryption key Secret is required while User-Org is enabled', async () => {
    const noKey = manifestAsWritten(name());
    delete (noKey.spec as Record<string, unknown>).encryptionKeySecretRef;
    const message = await refused(noKey);
    expect(message).toContain(requiredEncryptionKeyRule().message);
    expect(message).toContain('spec.encryptionKeySecretRef');
    // with every component that needs the key switched off, it may be left out
    const off = (names: readonly string[], catalogue: Record<string, { encryptionKey: boolean }>) => Object.fromEntries(names.filter((n) => catalogue[n]!.encryptionKey).map((n) => [n, { enabled: false }]));
    const withoutUsers = manifestAsWritten(name(), { services: off(SERVICE_NAMES, SERVICE_CATALOGUE), jobs: off(JOB_NAMES, JOB_CATALOGUE) });
    delete (withoutUsers.spec as Record<string, unknown>).encryptionKeySecretRef;
    await applyInstallation(c, withoutUsers);
  });

  it('a publicFrom peer is selectors or an IP block', async () => {
    const both = { podSelector: { matchLabels: { app: 'gw' } }, ipBlock: { cidr: '10.0.0.0/8' } };
    expect(await refused(manifest(name(), { networkPolicy: { publicFrom: [both] } }))).toContain(CEL_RULES.peerIsSelectorsOrIpBlock.message);
    expect(await refused(manifest(name(), { networkPolicy: { publicFrom: [{}] } }))).toContain(CEL_RULES.peerIsSelectorsOrIpBlock.message);
    await applyInstallation(c, manifest(name(), { networkPolicy: { publicFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } }, podSelector: { matchLabels: { app: 'gw' } } }, { ipBlock: { cidr: '10.0.0.0/8' } }] } }));
  });

  it('the examples pass every rule (server-side dry run)', async () => {
    for (const file of ['minimal.yaml', 'production.yaml']) {
      for (const o of parseManifest(readFileSync(resolve(ROOT, 'examples', file), 'utf8'))) {
        const obj = { ...o, metadata: { ...o.metadata, name: name(), namespace: c.namespace } };
        const path = `/apis/lern.sunbird.org/v1alpha1/namespaces/${c.namespace}/lerninstallations/${obj.metadata.name}?fieldManager=kubectl&force=true&dryRun=All`;
        await c.api.request('apply', 'PATCH', path, obj, 'application/apply-patch+yaml');
      }
    }
  });

  it('defaults are filled in by the API server', async () => {
    const nm = name();
    const created = (await applyInstallation(c, manifestAsWritten(nm)));
    expect(created.spec).toMatchObject({ paused: false, allowDowngrade: false, environment: 'local', deletionPolicy: 'Retain', image: { repository: 'ghcr.io/sunbird-lern/lern', pullPolicy: 'IfNotPresent' } });
    // only what this version runs is on by default
    expect(created.spec.services.userorg).toEqual({ enabled: true, replicas: 1 });
    for (const n of SERVICE_NAMES) expect(created.spec.services[n], n).toEqual({ enabled: SERVICE_CATALOGUE[n].runnable, replicas: 1 });
    for (const n of JOB_NAMES) expect(created.spec.jobs[n], n).toEqual({ enabled: JOB_CATALOGUE[n].runnable, replicas: 1 });
    expect(created.spec.networkPolicy).toEqual({ enabled: true });
    expect(created.spec.migrations).toEqual({ backoffLimit: 2, activeDeadlineSeconds: 600 });
    expect(created.spec.cassandra).toMatchObject({ localDataCenter: 'datacenter1', consistency: 'LOCAL_QUORUM', replicationFactor: 1 });
  });
});
