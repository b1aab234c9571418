/** Installing the CRD and applying manifests, shared by `lern operator`, `lern up`, tests and the benchmark. */
import { parseAllDocuments } from 'yaml';
import { lernInstallationCrd } from './api/crd.ts';
import type { AnyObject, KubeApi } from './reconcile/kube.ts';

/** Server-side applies the CRD and waits until the API server serves it. */
export async function installCrd(api: KubeApi, timeoutMs = 60_000): Promise<void> {
  const crd = lernInstallationCrd() as AnyObject;
  await api.apply(crd, { force: true });
  const name = (crd.metadata as { name: string }).name;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await api.get<{ status?: { conditions?: { type: string; status: string }[] } }>('CustomResourceDefinition', name);
    if (current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not established after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The objects of a multi-document YAML manifest. */
export function parseManifest(text: string): AnyObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`manifest: ${d.errors.map((e) => e.message).join('; ')}`);
      return d.toJS() as AnyObject | null;
    })
    .filter((o): o is AnyObject => o !== null && typeof o === 'object');
}

/** Server-side applies a manifest's objects (namespaced ones into `namespace` unless they name one). */
export async function applyManifest(api: KubeApi, objects: readonly AnyObject[], namespace: string, fieldManager = 'lern-cli'): Promise<AnyObject[]> {
  const out: AnyObject[] = [];
  for (const o of objects) {
    const obj = { ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } };
    out.push(await api.apply(obj, { force: true, fieldManager }));
  }
  return out;
}

/** Creates a namespace if it does not exist. */
export async function ensureNamespace(api: KubeApi, name: string): Promise<void> {
  await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { force: true, fieldManager: 'lern-cli' });
}
