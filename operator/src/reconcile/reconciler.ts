/**
 * One reconcile of one installation: observe (caches) -> decide (plan, pure) -> observe what the
 * plan would create (same-named objects the caches do not hold) -> decide whether they may be
 * written (pure) -> act (writes only where the cluster differs) -> status (written only when it
 * changed, retried on conflict).
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { withDefaults } from '../api/defaults.ts';
import { API_VERSION, FIELD_MANAGER, KIND, type LernInstallation, type Phase } from '../api/types.ts';
import { plan, objectKey, type Plan } from '../plan/plan.ts';
import { renderHashOf, type PlannedObject } from '../plan/objects.ts';
import { refuseUnowned, unownedObjects, type SameNamedObject } from '../plan/ownership.ts';
import { applyTx, sameStatus, statusFromPlan } from '../status/status.ts';
import type { OperatorMetrics } from '../metrics.ts';
import type { CachedObject, InformerCache } from './cache.ts';
import { firstDifference } from './diff.ts';
import { isConflict, isNotFound, type KubeApi } from './kube.ts';
import { CHILD_KINDS, observe, ownedBy, type ChildKind, type Children } from './observe.ts';

/** What the loop should do after a reconcile. */
export type Outcome = { kind: 'done' } | { kind: 'requeue'; afterMs: number };

/** The caches a reconcile reads. */
export interface Caches {
  installations: InformerCache;
  children: Record<ChildKind, InformerCache>;
}

/** Dependencies of the reconciler. */
export interface ReconcilerDeps {
  api: KubeApi;
  caches: Caches;
  log: Logger;
  metrics?: OperatorMetrics;
  /** Checked before every write: false once this replica may no longer act. */
  mayAct: () => boolean;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
  /** Backstop requeue while an installation progresses. @default 15000 */
  progressRequeueMs?: number;
}

/** What acting on a plan did. */
export interface ActResult {
  /** Children that differed from the plan (what and where). */
  drift: string[];
  /** Children that had been changed by someone else (the operator's own render was intact before). */
  handEdited: string[];
  writes: number;
  errors: string[];
}

/** Thrown when this replica lost the right to act in the middle of a reconcile. */
export class NotLeaderError extends Error {
  constructor() {
    super('this replica is no longer the leader');
    this.name = 'NotLeaderError';
  }
}

const EVENT_TYPE: Record<Phase, 'Normal' | 'Warning'> = { Pending: 'Normal', Migrating: 'Normal', RollingOut: 'Normal', Ready: 'Normal', Stalled: 'Warning', Paused: 'Normal' };

/**
 * An object the plan needs could not be written: the installation is not Ready, whatever its
 * Deployments say (e.g. a Service the API server refused). The status says which and why.
 */
export function withApplyErrors(p: Plan, errors: readonly string[], previousVersion: string | undefined): void {
  if (p.phase !== 'Ready') return;
  const message = `could not apply ${errors.length} object(s): ${errors.join('; ')}`.slice(0, 2000);
  p.phase = 'RollingOut';
  p.status.phase = 'RollingOut';
  p.status.conditions = [
    { type: 'Ready', status: 'False', reason: 'ComponentsNotReady', message },
    { type: 'Reconciling', status: 'True', reason: 'ComponentsNotReady', message },
    ...p.status.conditions.filter((c) => c.type !== 'Ready' && c.type !== 'Reconciling'),
  ];
  // status.version keeps what served before this pass
  if (previousVersion === undefined) delete p.status.version;
  else p.status.version = previousVersion;
}

/** The reconciler. */
export class Reconciler {
  private readonly d: ReconcilerDeps;
  private readonly instance = `${hostname()}-${process.pid}`;

  constructor(deps: ReconcilerDeps) {
    this.d = deps;
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }

  /** The installation's cached children by kind. */
  children(inst: LernInstallation): Children {
    const out = {} as Children;
    for (const kind of CHILD_KINDS) out[kind] = this.d.caches.children[kind].list(inst.metadata.namespace).filter((o) => ownedBy(o, inst));
    return out;
  }

  /** Reconciles the installation named by `namespace/name`. */
  async reconcile(key: string): Promise<Outcome> {
    const [namespace, name] = key.split('/') as [string, string];
    const cached = this.d.caches.installations.get(namespace, name) as unknown as LernInstallation | undefined;
    if (!cached || cached.metadata.deletionTimestamp) return { kind: 'done' }; // owner references let Kubernetes collect the children
    // List items may come without apiVersion/kind; owner references need both.
    const inst: LernInstallation = { ...cached, apiVersion: API_VERSION, kind: KIND, spec: withDefaults(cached.spec) };
    const children = this.children(inst);
    const planned = plan(inst, observe(children));
    const found = planned.write ? await this.sameNamed(inst, planned.objects) : [];
    const unowned = unownedObjects(inst, planned, found);
    const p = refuseUnowned(inst, planned, unowned);
    const acted = await this.act(inst, p, children);
    if (acted.errors.length > 0) withApplyErrors(p, acted.errors, inst.status?.version);
    const drift = p.write ? [] : acted.drift;
    await this.writeStatus(inst, p, drift);
    if (acted.handEdited.length > 0) {
      await this.event(inst, 'Warning', 'DriftCorrected', `reverted changes made outside the operator: ${acted.handEdited.join(', ')}`);
    }
    if (acted.errors.length > 0) throw new Error(`could not apply ${acted.errors.length} object(s): ${acted.errors.join('; ')}`);
    // Objects in the way carry no label the watches see, so their removal raises no event: look again soon.
    if (p.phase === 'Migrating' || p.phase === 'RollingOut' || unowned.length > 0) return { kind: 'requeue', afterMs: this.d.progressRequeueMs ?? 15_000 };
    return { kind: 'done' };
  }

  /**
   * Objects in the cluster under the names of planned objects: from the caches, and for names the
   * caches lack (they only hold objects labelled with an installation) one by-name list each. In a
   * settled installation every planned object is cached, so this reads nothing from the API.
   */
  async sameNamed(inst: LernInstallation, objects: readonly PlannedObject[]): Promise<SameNamedObject[]> {
    const ns = inst.metadata.namespace;
    const found = await Promise.all(
      objects.map(async (o): Promise<SameNamedObject | undefined> => {
        const obj = this.cacheOf(o.kind).get(ns, o.name) ?? (await this.d.api.findByName<CachedObject>(o.kind, o.name, ns));
        return obj ? { kind: o.kind, name: o.name, ...(obj.metadata.labels ? { labels: obj.metadata.labels } : {}) } : undefined;
      }),
    );
    return found.filter((f): f is SameNamedObject => f !== undefined);
  }

  private cacheOf(kind: string): InformerCache {
    return this.d.caches.children[kind as ChildKind];
  }

  private guard(): void {
    if (!this.d.mayAct()) throw new NotLeaderError();
  }

  /** Compares every planned object with the cluster and, unless paused, writes what differs. */
  async act(inst: LernInstallation, p: Plan, children: Children): Promise<ActResult> {
    const result: ActResult = { drift: [], handEdited: [], writes: 0, errors: [] };
    const ns = inst.metadata.namespace;
    if (p.write) {
      for (const ref of p.remove) {
        this.guard();
        await this.d.api.delete(ref.kind, ref.name, ns, 'Background');
        this.cacheOf(ref.kind).forget(ns, ref.name);
        this.d.metrics?.writes.inc({ kind: ref.kind, action: 'delete' });
        result.writes += 1;
      }
    }
    const wanted = new Set<string>(p.keep);
    for (const o of p.objects) {
      wanted.add(objectKey(o.kind, o.name));
      const actual = this.cacheOf(o.kind).get(ns, o.name);
      const difference = this.differs(o, actual);
      if (difference === undefined) continue;
      result.drift.push(`${o.kind}/${o.name}: ${difference}`);
      if (actual && renderHashOf(actual as PlannedObject['object']) === renderHashOf(o.object)) result.handEdited.push(`${o.kind}/${o.name} (${difference})`);
      if (!p.write) continue;
      if (actual?.metadata.deletionTimestamp) continue; // recreated once it is gone
      this.guard();
      try {
        const written = await this.d.api.apply<CachedObject>(o.object, { force: true });
        this.cacheOf(o.kind).remember(written);
        this.d.metrics?.writes.inc({ kind: o.kind, action: actual ? 'update' : 'create' });
        result.writes += 1;
      } catch (e) {
        result.errors.push(`${o.kind}/${o.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (p.prune || !p.write) {
      for (const kind of CHILD_KINDS) {
        for (const obj of children[kind]) {
          if (wanted.has(objectKey(kind, obj.metadata.name)) || obj.metadata.deletionTimestamp) continue;
          result.drift.push(`${kind}/${obj.metadata.name}: not in the plan`);
          if (!p.prune || !p.write) continue;
          this.guard();
          await this.d.api.delete(kind, obj.metadata.name, ns, 'Background');
          this.cacheOf(kind).forget(ns, obj.metadata.name);
          this.d.metrics?.writes.inc({ kind, action: 'delete' });
          result.writes += 1;
        }
      }
    }
    return result;
  }

  /** Why the cluster's copy differs from the planned one, or undefined when it does not. */
  differs(o: PlannedObject, actual: CachedObject | undefined): string | undefined {
    if (!actual) return 'missing';
    if (o.createOnly) return undefined;
    if (renderHashOf(actual as PlannedObject['object']) !== renderHashOf(o.object)) return 'rendered differently';
    // apiVersion and kind are left out: objects from a list do not carry them.
    const { metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = o.object;
    const metaDiff = firstDifference({ labels: metadata.labels, annotations: metadata.annotations }, actual.metadata, '.metadata');
    return metaDiff ?? firstDifference(rest, actual);
  }

  /** Writes the status when it changed; on a conflict re-reads and applies the same transactions again. */
  async writeStatus(inst: LernInstallation, p: Plan, drift: readonly string[]): Promise<boolean> {
    const generation = inst.metadata.generation ?? 0;
    const txs = statusFromPlan(p.status, generation, drift, new Date(this.now()).toISOString());
    let current = inst;
    for (let attempt = 0; attempt < 4; attempt++) {
      const next = applyTx(current.status ?? {}, txs);
      if (sameStatus(current.status, next)) return false;
      this.guard();
      try {
        const body = { apiVersion: API_VERSION, kind: KIND, metadata: { name: inst.metadata.name, namespace: inst.metadata.namespace, resourceVersion: current.metadata.resourceVersion }, spec: current.spec, status: next };
        const written = await this.d.api.replace<CachedObject>(body, 'status');
        this.d.caches.installations.remember(written);
        this.d.metrics?.writes.inc({ kind: KIND, action: 'status' });
        const before = current.status?.phase;
        if (before !== next.phase && next.phase) {
          const ready = next.conditions?.find((c) => c.type === 'Ready');
          await this.event(inst, EVENT_TYPE[next.phase], next.phase, ready?.message ?? next.phase);
        }
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        if (!isConflict(e)) throw e;
        current = await this.d.api.get<LernInstallation>(KIND, inst.metadata.name, inst.metadata.namespace);
        if (current.metadata.deletionTimestamp) return false;
      }
    }
    throw new Error(`status of ${inst.metadata.namespace}/${inst.metadata.name}: conflicts kept recurring`);
  }

  /** Records a Kubernetes Event on the installation. */
  async event(inst: LernInstallation, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const now = new Date(this.now()).toISOString();
    try {
      this.guard();
      await this.d.api.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: `${inst.metadata.name}.`, namespace: inst.metadata.namespace },
        involvedObject: { apiVersion: API_VERSION, kind: KIND, name: inst.metadata.name, namespace: inst.metadata.namespace, uid: inst.metadata.uid },
        type,
        reason,
        message: message.slice(0, 1024),
        source: { component: FIELD_MANAGER },
        reportingComponent: FIELD_MANAGER,
        reportingInstance: this.instance,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      });
      this.d.metrics?.writes.inc({ kind: 'Event', action: 'create' });
    } catch (e) {
      if (e instanceof NotLeaderError) throw e;
      this.d.log.warn({ err: String(e), reason }, 'could not record an event');
    }
  }
}
