/**
 * The operator writes only objects it made. Before anything is applied, every planned object that
 * already exists under the same name is checked for the operator's ownership labels; one that lacks
 * them (a person's ConfigMap, a chart's Service, another installation's object) is never applied
 * over: server-side apply with force would take it over, and pruning or garbage collection would
 * later delete it. Pure: the reconciler observes, these functions decide, the reconciler acts.
 */
import type { LernInstallation } from '../api/types.ts';
import { INSTALLATION_LABEL } from '../api/types.ts';
import { MANAGED_BY, carriesOwnership } from '../render/labels.ts';
import { objectKey, type ObjectRef, type Plan } from './plan.ts';

/** An object found in the cluster under the name of a planned one. */
export interface SameNamedObject {
  kind: string;
  name: string;
  labels?: Record<string, string>;
}

/** Planned objects whose name is taken by an object the operator did not make for this installation. */
export function unownedObjects(inst: LernInstallation, p: Pick<Plan, 'objects'>, found: readonly SameNamedObject[]): ObjectRef[] {
  const planned = new Set(p.objects.map((o) => objectKey(o.kind, o.name)));
  const out: ObjectRef[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    const key = objectKey(f.kind, f.name);
    if (!planned.has(key) || seen.has(key) || carriesOwnership(f.labels, inst)) continue;
    seen.add(key);
    out.push({ kind: f.kind, name: f.name });
  }
  return out;
}

/** What a person reads: which objects, why they are left alone, and what to do. */
export function notOwnedMessage(inst: LernInstallation, unowned: readonly ObjectRef[]): string {
  const names = unowned.map((u) => `${u.kind}/${u.name}`).join(', ');
  return (
    `${names} already exist${unowned.length === 1 ? 's' : ''} and ${unowned.length === 1 ? 'was' : 'were'} not created by the operator for this installation ` +
    `(labels app.kubernetes.io/managed-by=${MANAGED_BY} and ${INSTALLATION_LABEL}=${inst.metadata.name} missing); ` +
    'nothing is applied until they are renamed or deleted, or the installation is renamed'
  );
}

/**
 * The plan once unowned objects are known: with any, nothing is written or pruned (the planned
 * workloads would use or sit beside the foreign objects) and the installation is Stalled with
 * reason ObjectNotOwned; without any, the plan is returned as it was.
 */
export function refuseUnowned(inst: LernInstallation, p: Plan, unowned: readonly ObjectRef[]): Plan {
  if (unowned.length === 0) return p;
  const message = notOwnedMessage(inst, unowned);
  const kept = p.status.conditions.filter((c) => c.type === 'MigrationsSucceeded');
  const { lastRetryToken: _retried, ...status } = p.status;
  // Nothing is retried in this pass, so a retry request stays unanswered until it can be.
  const retry = inst.status?.lastRetryToken;
  return {
    ...p,
    phase: 'Stalled',
    remove: [],
    prune: false,
    write: false,
    status: {
      ...status,
      ...(retry !== undefined ? { lastRetryToken: retry } : {}),
      phase: 'Stalled',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'ObjectNotOwned', message },
        { type: 'Stalled', status: 'True', reason: 'ObjectNotOwned', message },
        ...kept,
      ],
    },
  };
}
