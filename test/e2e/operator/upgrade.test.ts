/**
 * Upgrades on the real control plane: migrations of the new version run before any Deployment
 * changes image; status.version moves only when everything is available; a failed migration stalls
 * with the Job's reason and leaves the old version serving; retries on a spec change or on request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Watch } from '@kubernetes/client-node';
import { RETRY_ANNOTATION, type LernInstallation, type Operator } from '@lern/operator';
import { argoHealth } from '../../../operator/src/argocd/lua.ts';
import { applyInstallation, capture, childrenOf, cleanup, cluster, getInstallation, imageOf, manifest, startOperator, waitFor, waitReady, type Cluster } from './helpers.ts';

let c: Cluster;
let op: Operator;
const NAME = 'up';
/** Pods with this label fail (a KWOK stage of the test control plane). */
const FAIL_LABEL = 'pod-container-running-failed.stage.kwok.x-k8s.io';

interface Recorded {
  rv: number;
  kind: 'Job' | 'Deployment' | 'LernInstallation';
  name: string;
  image?: string;
  complete?: boolean;
  version?: string;
  phase?: string;
}

/** Records watch events of Jobs, Deployments and the installation with their etcd revision (a total order). */
async function record(into: Recorded[]): Promise<() => void> {
  const watch = new Watch(c.kc);
  const controllers: AbortController[] = [];
  const paths: [Recorded['kind'], string][] = [
    ['Job', `/apis/batch/v1/namespaces/${c.namespace}/jobs`],
    ['Deployment', `/apis/apps/v1/namespaces/${c.namespace}/deployments`],
    ['LernInstallation', `/apis/lern.sunbird.org/v1alpha1/namespaces/${c.namespace}/lerninstallations`],
  ];
  for (const [kind, path] of paths) {
    const list = await c.api.request<{ metadata: { resourceVersion: string } }>('list', 'GET', path);
    controllers.push(
      await watch.watch(path, { resourceVersion: list.metadata.resourceVersion }, (_type, obj: Record<string, unknown>) => {
        const meta = obj.metadata as { name: string; resourceVersion: string };
        const r: Recorded = { rv: Number(meta.resourceVersion), kind, name: meta.name };
        if (kind === 'Deployment') r.image = imageOf(obj);
        // SuccessCriteriaMet is the Job controller's success verdict (Complete follows once its pods are gone):
        // the operator may go on from either, so either marks the migration done.
        if (kind === 'Job') r.complete = ((obj.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((x) => (x.type === 'Complete' || x.type === 'SuccessCriteriaMet') && x.status === 'True');
        if (kind === 'LernInstallation') {
          const st = (obj as unknown as LernInstallation).status;
          if (st?.version) r.version = st.version;
          if (st?.phase) r.phase = st.phase;
        }
        into.push(r);
      }, () => undefined),
    );
  }
  return () => controllers.forEach((x) => x.abort());
}

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

describe('upgrades', () => {
  it('runs the new version migrations before any Deployment changes image, then moves status.version', async () => {
    const events: Recorded[] = [];
    const stop = await record(events);
    await applyInstallation(c, manifest(NAME, { version: '1.1.0' }));
    const ready = await waitReady(c, NAME);
    stop();
    expect(ready.status).toMatchObject({ version: '1.1.0', schemaVersion: '1.1.0', phase: 'Ready' });
    const newJobs = ready.status!.migrations!.filter((m) => m.version === '1.1.0').map((m) => m.job);
    expect(newJobs).toHaveLength(3);
    const completedAt = newJobs.map((j) => events.find((e) => e.kind === 'Job' && e.name === j && e.complete)?.rv);
    expect(completedAt.every((rv) => rv !== undefined)).toBe(true);
    const firstNewImage = events.find((e) => e.kind === 'Deployment' && e.image?.endsWith(':1.1.0'));
    expect(firstNewImage).toBeDefined();
    for (const rv of completedAt) expect(rv!).toBeLessThan(firstNewImage!.rv);
    // status.version said 1.0.0 until the last Deployment was available at 1.1.0
    const statusMoves = events.filter((e) => e.kind === 'LernInstallation' && e.version === '1.1.0');
    expect(statusMoves[0]!.rv).toBeGreaterThan(firstNewImage!.rv);
    const deployments = await childrenOf(c, 'Deployment', NAME);
    expect(deployments.every((d) => imageOf(d as never).endsWith(':1.1.0'))).toBe(true);
  });

  it('a failed migration stalls with the Job reason and the old version keeps serving', async () => {
    await applyInstallation(c, manifest(NAME, { version: '1.2.0', migrations: { backoffLimit: 0, podLabels: { [FAIL_LABEL]: 'true' } } }));
    const stalled = await waitFor('Stalled', async () => {
      const inst = await getInstallation(c, NAME);
      return inst.status?.phase === 'Stalled' && inst.status.observedGeneration === inst.metadata.generation ? inst : undefined;
    }, 120_000);
    const cond = stalled.status!.conditions!.find((x) => x.type === 'Stalled')!;
    expect(cond).toMatchObject({ status: 'True', reason: 'MigrationFailed' });
    expect(cond.message).toMatch(/migration (cassandra|search|kafka) for 1\.2\.0 failed \(Job up-migrate-.*\): BackoffLimitExceeded/);
    expect(cond.message).toContain('1.1.0 keeps serving');
    expect(stalled.status!.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'MigrationFailed' });
    expect(stalled.status!.conditions!.find((x) => x.type === 'MigrationsSucceeded')).toMatchObject({ status: 'False', reason: 'MigrationFailed' });
    expect(stalled.status!.conditions!.some((x) => x.type === 'Reconciling')).toBe(false);
    expect(stalled.status).toMatchObject({ version: '1.1.0', schemaVersion: '1.1.0', targetVersion: '1.2.0' });
    expect(argoHealth(stalled).status).toBe('Degraded');
    capture('degraded.yaml', stalled);
    const deployments = await childrenOf(c, 'Deployment', NAME);
    expect(deployments.every((d) => imageOf(d as never).endsWith(':1.1.0'))).toBe(true);
    // a Warning event says so
    const events = await c.api.list<{ involvedObject: { name: string }; reason: string; type: string }>('Event', c.namespace);
    expect(events.items.some((e) => e.involvedObject.name === NAME && e.reason === 'Stalled' && e.type === 'Warning')).toBe(true);
  });

  it('does not retry by itself, retries on request (annotation)', async () => {
    const failedJobs = async () => (await childrenOf<{ metadata: { name: string; uid: string }; status?: { failed?: number } }>(c, 'Job', NAME)).filter((j) => (j.status?.failed ?? 0) > 0);
    // every migration of 1.2.0 fails (their pods all carry the failing label); wait for all of them,
    // so a Job that fails only now is not mistaken for a retry
    const before = await waitFor('every 1.2.0 migration failed', async () => {
      const failed = (await failedJobs()).filter((j) => j.metadata.name.includes('-1-2-0-'));
      const all = (await childrenOf<{ metadata: { name: string } }>(c, 'Job', NAME)).filter((j) => j.metadata.name.includes('-1-2-0-'));
      return all.length > 0 && failed.length === all.length ? failed : undefined;
    });
    await new Promise((r) => setTimeout(r, 4_000));
    expect((await failedJobs()).map((j) => j.metadata.uid).sort()).toEqual(before.map((j) => j.metadata.uid).sort());
    await c.api.mergePatch('LernInstallation', NAME, c.namespace, { metadata: { annotations: { [RETRY_ANNOTATION]: 'first-retry' } } });
    await waitFor('the failed Jobs recreated', async () => {
      const now = await childrenOf<{ metadata: { name: string; uid: string } }>(c, 'Job', NAME);
      return before.every((b) => now.some((n) => n.metadata.name === b.metadata.name && n.metadata.uid !== b.metadata.uid));
    });
    const again = await waitFor('Stalled again (the pods still fail)', async () => {
      const inst = await getInstallation(c, NAME);
      return inst.status?.phase === 'Stalled' && inst.status.lastRetryToken === 'first-retry' ? inst : undefined;
    }, 120_000);
    expect(again.status?.version).toBe('1.1.0');
  });

  it('a spec change that fixes the cause runs the migration again and completes the upgrade', async () => {
    await applyInstallation(c, manifest(NAME, { version: '1.2.0', migrations: { backoffLimit: 0 } }));
    const ready = await waitReady(c, NAME);
    expect(ready.status).toMatchObject({ version: '1.2.0', schemaVersion: '1.2.0' });
    const deployments = await childrenOf(c, 'Deployment', NAME);
    expect(deployments.every((d) => imageOf(d as never).endsWith(':1.2.0'))).toBe(true);
    // failed and older Jobs are pruned once superseded
    const jobs = await childrenOf<{ metadata: { name: string } }>(c, 'Job', NAME);
    await waitFor('old Jobs pruned', async () => (await childrenOf<{ metadata: { name: string } }>(c, 'Job', NAME)).every((j) => j.metadata.name.includes('-1-2-0-')));
    expect(jobs.length).toBeGreaterThanOrEqual(3);
  });
});
