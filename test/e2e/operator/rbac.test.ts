/**
 * The chart's RBAC is enough and no more: the operator runs as the chart's ServiceAccount
 * (impersonated) through an install, an upgrade and a prune without a single 403, and the same
 * account is refused what the operator never needs. The chart's lern-view/edit/admin ClusterRoles
 * fold into Kubernetes' view/edit/admin, so those grant exactly the matching rights on installations.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { helmPath } from '@lern/test-servers';
import { KubeApi, KubeError, parseManifest, type Operator } from '@lern/operator';
import type { AnyObject } from '../../../operator/src/reconcile/kube.ts';
import { applyInstallation, cleanup, cluster, manifest, metric, freePort, ROOT, startOperator, waitFor, waitReady, type Cluster } from './helpers.ts';

let c: Cluster;
let op: Operator;
let asOperator: KubeApi;
let port: number;
let aggregated: AnyObject[] = [];
const NAME = 'rbac';

/** A client acting as `user` (impersonated by the test's admin credentials). */
function as(user: string): KubeApi {
  const kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  const current = kc.getCurrentUser()!;
  kc.users = kc.users.map((u) => (u.name === current.name ? { ...u, impersonateUser: user } : u));
  return new KubeApi(kc);
}

const allowed = async (f: () => Promise<unknown>): Promise<boolean> => {
  try {
    await f();
    return true;
  } catch (e) {
    if (e instanceof KubeError && e.status === 403) return false;
    throw e;
  }
};

/** helm, from PATH or where `go install helm.sh/helm/v3/cmd/helm@v3.17.3` puts it. */
function helm(): string {
  const path = helmPath();
  if (!existsSync(path)) throw new Error(`helm is needed to render the chart and is not at ${path}: run \`lern doctor\` (npm test does) or set LERN_HELM`);
  return path;
}

beforeAll(async () => {
  c = await cluster(import.meta.url);
  const rendered = execFileSync(helm(), ['template', 'lern', resolve(ROOT, 'charts', 'lern-operator'), '-n', c.namespace, '--kube-version', '1.34.4', '--set', `watchNamespace=${c.namespace}`], { encoding: 'utf8' });
  aggregated = parseManifest(rendered).filter((o) => o.kind === 'ClusterRole');
  expect(aggregated.map((o) => o.metadata?.name).sort()).toEqual(['lern-admin', 'lern-edit', 'lern-view']);
  const objects = parseManifest(rendered).filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind ?? ''));
  expect(objects.map((o) => o.kind).sort()).toEqual(['Role', 'Role', 'RoleBinding', 'RoleBinding', 'ServiceAccount']);
  for (const o of objects) {
    const path = o.kind === 'ServiceAccount' ? `/api/v1/namespaces/${c.namespace}/serviceaccounts/${o.metadata!.name}` : `/apis/rbac.authorization.k8s.io/v1/namespaces/${c.namespace}/${o.kind === 'Role' ? 'roles' : 'rolebindings'}/${o.metadata!.name}`;
    await c.api.request('apply', 'PATCH', `${path}?fieldManager=helm&force=true`, { ...o, metadata: { ...o.metadata, namespace: c.namespace } }, 'application/apply-patch+yaml');
  }
  const sa = objects.find((o) => o.kind === 'ServiceAccount')!.metadata!.name!;
  const kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  const user = kc.getCurrentUser()!;
  kc.users = kc.users.map((u) => (u.name === user.name ? { ...u, impersonateUser: `system:serviceaccount:${c.namespace}:${sa}` } : u));
  asOperator = new KubeApi(kc);
  port = await freePort();
  op = await startOperator({ ...c, kc }, { leaderElection: { namespace: c.namespace, retryPeriodMs: 500 }, metricsPort: port, metricsHost: '127.0.0.1' });
});

afterAll(async () => {
  await op?.stop();
  asOperator?.close();
  for (const o of aggregated) await c?.api.request('delete', 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${o.metadata!.name}`).catch(() => undefined);
  await cleanup(c);
});

describe('least-privilege RBAC from the chart', () => {
  it('is enough for install, upgrade and pruning', async () => {
    expect(await asOperator.request<{ status: { userInfo: { username: string } } }>('create', 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }).then((r) => r.status.userInfo.username)).toMatch(/^system:serviceaccount:/);
    await applyInstallation(c, manifest(NAME));
    await waitReady(c, NAME);
    await applyInstallation(c, manifest(NAME, { version: '1.1.0', services: { discussion: { enabled: false } } }));
    const ready = await waitReady(c, NAME);
    expect(ready.status?.version).toBe('1.1.0');
    await waitFor('discussion pruned', async () => {
      try {
        await c.api.get('Deployment', 'rbac-discussion', c.namespace);
        return false;
      } catch (e) {
        return e instanceof KubeError && e.status === 404;
      }
    });
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const forbidden = text.split('\n').filter((l) => l.startsWith('lern_operator_api_requests_total') && l.includes('code="403"'));
    expect(forbidden).toEqual([]);
    expect((await metric(port, 'lern_operator_watch_errors_total')) ?? 0).toBe(0);
  });

  it('refuses what the operator never needs', async () => {
    const denied = async (f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        return e instanceof KubeError && e.status === 403;
      }
      return false;
    };
    expect(await denied(() => asOperator.list('Secret', c.namespace))).toBe(true);
    expect(await denied(() => asOperator.delete('LernInstallation', NAME, c.namespace))).toBe(true);
    expect(await denied(() => asOperator.list('Pod', c.namespace))).toBe(true);
    expect(await denied(() => asOperator.list('Deployment', 'default'))).toBe(true);
    expect(await denied(() => asOperator.get('CustomResourceDefinition', 'lerninstallations.lern.sunbird.org'))).toBe(true);
  });

  it('lern-view, lern-edit and lern-admin fold into view, edit and admin', async () => {
    for (const o of aggregated) {
      await c.api.request('apply', 'PATCH', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${o.metadata!.name}?fieldManager=helm&force=true`, o, 'application/apply-patch+yaml');
    }
    const bind = async (user: string, role: string) => {
      await c.api.request('create', 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${c.namespace}/rolebindings`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${user}-${role}`, namespace: c.namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
      });
    };
    await bind('viewer', 'view');
    await bind('editor', 'edit');
    await bind('owner', 'admin');
    const viewer = as('viewer');
    const editor = as('editor');
    const owner = as('owner');
    const create = (api: KubeApi, name: string) => () =>
      api.request('apply', 'PATCH', `/apis/lern.sunbird.org/v1alpha1/namespaces/${c.namespace}/lerninstallations/${name}?fieldManager=kubectl&dryRun=All`, { ...manifest(name), metadata: { name, namespace: c.namespace } }, 'application/apply-patch+yaml');
    try {
      // the aggregation controller folds the rules in within moments
      await waitFor('view may list installations', () => allowed(() => viewer.list('LernInstallation', c.namespace)), 30_000);
      expect(await allowed(() => viewer.get('LernInstallation', NAME, c.namespace))).toBe(true);
      expect(await allowed(create(viewer, 'by-viewer'))).toBe(false);
      expect(await allowed(() => viewer.delete('LernInstallation', NAME, c.namespace))).toBe(false);
      await waitFor('edit may create installations', () => allowed(create(editor, 'by-editor')), 30_000);
      await waitFor('admin may create installations', () => allowed(create(owner, 'by-owner')), 30_000);
      // nobody but the operator writes the status
      for (const api of [viewer, editor, owner]) {
        const current = await c.api.get<AnyObject>('LernInstallation', NAME, c.namespace);
        expect(await allowed(() => api.replace({ ...current, status: { phase: 'Ready' } }, 'status'))).toBe(false);
      }
    } finally {
      for (const api of [viewer, editor, owner]) api.close();
    }
  });
});
