/**
 * Status as pure transactions: each takes a status and returns the next one. The reconciler
 * applies them to what it read, writes only when the result differs, and retries on conflict.
 */
import type { Condition, LernInstallationStatus } from '../api/types.ts';
import type { DesiredCondition, DesiredStatus } from '../plan/plan.ts';
import { canonicalJson } from '../render/names.ts';

/** A status transaction. */
export type StatusTx = (status: LernInstallationStatus) => LernInstallationStatus;

/** Conditions that exist only while true (kstatus "abnormal-true" conditions). */
const ABNORMAL_TRUE = new Set(['Reconciling', 'Stalled']);

/** Order conditions are written in, so the list compares stably. */
const ORDER = ['Ready', 'Reconciling', 'Stalled', 'MigrationsSucceeded'];

/**
 * Sets the conditions to `desired` for `generation`, keeping lastTransitionTime of any condition
 * whose status did not change, and dropping Reconciling/Stalled unless true.
 */
export function setConditions(desired: readonly DesiredCondition[], generation: number, now: string): StatusTx {
  return (s) => {
    const previous = new Map((s.conditions ?? []).map((c) => [c.type, c]));
    const next: Condition[] = [];
    for (const d of desired) {
      if (ABNORMAL_TRUE.has(d.type) && d.status !== 'True') continue;
      const before = previous.get(d.type);
      next.push({
        type: d.type,
        status: d.status,
        reason: d.reason,
        message: d.message,
        observedGeneration: generation,
        lastTransitionTime: before && before.status === d.status ? before.lastTransitionTime : now,
      });
    }
    next.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
    return { ...s, conditions: next };
  };
}

/** Copies the plan's decided fields (phase, versions, components, applied migrations). */
export function setFromPlan(desired: DesiredStatus): StatusTx {
  return (s) => {
    const next: LernInstallationStatus = { ...s, phase: desired.phase, targetVersion: desired.targetVersion, components: desired.components, migrations: desired.migrations };
    for (const key of ['version', 'schemaVersion', 'lastRetryToken'] as const) {
      if (desired[key] !== undefined) next[key] = desired[key];
      else delete next[key];
    }
    return next;
  };
}

/** Records the generation the status describes. */
export function setObservedGeneration(generation: number): StatusTx {
  return (s) => ({ ...s, observedGeneration: generation });
}

/** Records which children differ from the plan (reported always; corrected unless paused). */
export function setDrift(drift: readonly string[]): StatusTx {
  return (s) => {
    const next: LernInstallationStatus = { ...s };
    if (drift.length > 0) next.drift = drift.slice(0, 64);
    else delete next.drift;
    return next;
  };
}

/** Applies transactions in order. */
export function applyTx(status: LernInstallationStatus, txs: readonly StatusTx[]): LernInstallationStatus {
  return txs.reduce((s, tx) => tx(s), structuredClone(status));
}

/** True when two statuses are the same (key order ignored). */
export function sameStatus(a: LernInstallationStatus | undefined, b: LernInstallationStatus | undefined): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}

/** The transactions that bring a status in line with a plan. */
export function statusFromPlan(desired: DesiredStatus, generation: number, drift: readonly string[], now: string): StatusTx[] {
  return [setFromPlan(desired), setConditions(desired.conditions, generation, now), setDrift(drift), setObservedGeneration(generation)];
}
