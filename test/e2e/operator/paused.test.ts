/**
 * spec.paused stops migrations and rollouts while status and drift reporting go on; unpausing
 * corrects the drift and carries on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operator } from '@lern/operator';
import { argoHealth } from '../../../operator/src/argocd/lua.ts';
import { applyInstallation, capture, childrenOf, cleanup, cluster, getInstallation, imageOf, manifest, startOperator, waitFor, waitReady, type Cluster } from './helpers.ts';

let c: Cluster;
let op: Operator;
const NAME = 'paused';

beforeAll(async () => {
  c = await cluster(import.meta.url);
  op = await startOperator(c);
  await applyInstallation(c, manifest(NAME));
  await waitReady(c, NAME);
});

afterAll(async () => {
  await op?.stop();
  await cleanup(c);
});

describe('paused', () => {
  it('stops migrations and rollouts, reports Paused and the drift it does not correct', async () => {
    const jobsBefore = (await childrenOf<{ metadata: { name: string } }>(c, 'Job', NAME)).map((j) => j.metadata.name).sort();
    await applyInstallation(c, manifest(NAME, { paused: true, version: '1.1.0' }));
    const paused = await waitFor('Paused', async () => {
      const inst = await getInstallation(c, NAME);
      return inst.status?.phase === 'Paused' && inst.status.observedGeneration === inst.metadata.generation ? inst : undefined;
    });
    expect(paused.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'Paused' });
    expect(paused.status?.conditions?.some((x) => x.type === 'Reconciling' || x.type === 'Stalled')).toBe(false);
    expect(argoHealth(paused).status).toBe('Suspended');
    capture('suspended.yaml', paused);
    // a hand edit is reported, not reverted
    await c.api.mergePatch('Deployment', 'paused-groups', c.namespace, { spec: { replicas: 3 } });
    const reported = await waitFor('drift reported', async () => {
      const inst = await getInstallation(c, NAME);
      return inst.status?.drift?.some((d) => d.startsWith('Deployment/paused-groups: .spec.replicas')) ? inst : undefined;
    });
    expect(reported.status?.drift?.some((d) => d.includes('Job/paused-migrate-') && d.endsWith('missing'))).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    const groups = await c.api.get<{ spec: { replicas: number } }>('Deployment', 'paused-groups', c.namespace);
    expect(groups.spec.replicas).toBe(3);
    const jobsNow = (await childrenOf<{ metadata: { name: string } }>(c, 'Job', NAME)).map((j) => j.metadata.name).sort();
    expect(jobsNow).toEqual(jobsBefore);
    const deployments = await childrenOf(c, 'Deployment', NAME);
    expect(deployments.every((d) => imageOf(d as never).endsWith(':1.0.0'))).toBe(true);
  });

  it('unpausing corrects the drift and completes the upgrade', async () => {
    await applyInstallation(c, manifest(NAME, { paused: false, version: '1.1.0' }));
    const ready = await waitReady(c, NAME);
    expect(ready.status?.version).toBe('1.1.0');
    expect(ready.status?.drift).toBeUndefined();
    const groups = await c.api.get<{ spec: { replicas: number } }>('Deployment', 'paused-groups', c.namespace);
    expect(groups.spec.replicas).toBe(1);
  });
});
