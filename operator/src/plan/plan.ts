/**
 * plan(installation, observed): what should exist and which step the installation is in.
 * Pure. The order it encodes: validate, then run the spec version's migrations, then roll every
 * Deployment to that version; the old version keeps serving until its migrations succeed.
 */
import type { MigrationStore } from '../api/components.ts';
import {
  RETRY_ANNOTATION,
  type AppliedMigration,
  type ComponentStatus,
  type ConditionType,
  type LernInstallation,
  type Phase,
  type Reason,
} from '../api/types.ts';
import { validateSpec, type FieldError } from '../api/validate.ts';
import { baseObjects, migrationJobs, renderHashOf, workloadObjects, type PlannedMigration, type PlannedObject } from './objects.ts';
import { rolledOut, type Observed, type ObservedJob } from './observed.ts';

/** A condition the plan wants, before timestamps are attached. */
export interface DesiredCondition {
  type: ConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason: Reason;
  message: string;
}

/** One step of the installation's lifecycle and how far it is. */
export interface Step {
  name: 'validate' | 'migrate' | 'rollout';
  state: 'done' | 'running' | 'waiting' | 'failed' | 'paused';
  message: string;
}

/** A reference to an object to delete before the plan can go on. */
export interface ObjectRef {
  kind: string;
  name: string;
}

/** Status fields the plan decides (the reconciler adds timestamps, drift and generation). */
export interface DesiredStatus {
  phase: Phase;
  version?: string;
  targetVersion: string;
  schemaVersion?: string;
  components: ComponentStatus[];
  migrations: AppliedMigration[];
  conditions: DesiredCondition[];
  lastRetryToken?: string;
}

/** The plan. */
export interface Plan {
  phase: Phase;
  steps: Step[];
  /** Objects that should exist, in apply order. */
  objects: PlannedObject[];
  /** Owned objects (Kind/name) to leave alone although not in `objects` (finished migration Jobs). */
  keep: string[];
  /** Objects to delete now (failed migration Jobs being retried). */
  remove: ObjectRef[];
  /** Delete owned objects that are neither in `objects` nor in `keep`. */
  prune: boolean;
  /** False while paused: compare and report, write nothing. */
  write: boolean;
  /** Version the Deployments are rendered at (undefined before the first migrations finish). */
  deployVersion?: string;
  errors: FieldError[];
  status: DesiredStatus;
}

/** Key of an object in `keep` and in the reconciler's indexes. */
export function objectKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

function migrationState(m: PlannedMigration, applied: readonly AppliedMigration[], jobs: readonly ObservedJob[]): { done: boolean; job?: ObservedJob } {
  const job = jobs.find((j) => j.name === m.name);
  const recorded = applied.some((a) => a.store === m.store && a.version === m.version && a.hash === m.hash);
  return { done: recorded || job?.state === 'succeeded', ...(job ? { job } : {}) };
}

function describeFailure(store: MigrationStore, job: ObservedJob): string {
  const why = [job.reason, job.message].filter(Boolean).join(': ') || 'the Job failed';
  return `migration ${store} for ${job.version} failed (Job ${job.name}): ${why}`;
}

/** Decides what should exist and where the installation stands. */
export function plan(inst: LernInstallation, observed: Observed): Plan {
  const spec = inst.spec;
  const generation = inst.metadata.generation ?? 0;
  const current = inst.status ?? {};
  const retryToken = inst.metadata.annotations?.[RETRY_ANNOTATION] ?? '';
  const target = spec.version;

  const errors = validateSpec(spec);
  const base: Pick<DesiredStatus, 'targetVersion' | 'migrations'> & Partial<DesiredStatus> = {
    targetVersion: target,
    migrations: [...(current.migrations ?? [])],
  };
  if (current.version !== undefined) base.version = current.version;
  if (current.schemaVersion !== undefined) base.schemaVersion = current.schemaVersion;
  if (current.lastRetryToken !== undefined) base.lastRetryToken = current.lastRetryToken;

  if (errors.length > 0) {
    const message = `the spec is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`;
    return {
      phase: 'Stalled',
      steps: [
        { name: 'validate', state: 'failed', message },
        { name: 'migrate', state: 'waiting', message: 'waiting for a valid spec' },
        { name: 'rollout', state: 'waiting', message: 'waiting for a valid spec' },
      ],
      objects: [],
      keep: [],
      remove: [],
      prune: false,
      write: false,
      errors,
      status: {
        ...base,
        phase: 'Stalled',
        components: current.components ?? [],
        conditions: [
          { type: 'Ready', status: 'False', reason: 'InvalidSpec', message },
          { type: 'Stalled', status: 'True', reason: 'InvalidSpec', message },
          { type: 'MigrationsSucceeded', status: 'Unknown', reason: 'InvalidSpec', message: 'migrations wait for a valid spec' },
        ],
      },
    };
  }

  // Migrations of the spec's version.
  const migrations = migrationJobs(inst, retryToken);
  const applied = [...(current.migrations ?? [])];
  const objects: PlannedObject[] = [...baseObjects(inst)];
  const keep: string[] = [];
  const remove: ObjectRef[] = [];
  const pending: string[] = [];
  const failures: string[] = [];
  let retried = false;
  for (const m of migrations) {
    const state = migrationState(m, applied, observed.jobs);
    if (state.done) {
      keep.push(objectKey('Job', m.name));
      if (!applied.some((a) => a.store === m.store && a.version === m.version && a.hash === m.hash)) {
        const i = applied.findIndex((a) => a.store === m.store);
        const record: AppliedMigration = { store: m.store, version: m.version, hash: m.hash, job: m.name };
        if (i >= 0) applied[i] = record;
        else applied.push(record);
      }
      continue;
    }
    const job = state.job;
    if (job?.state === 'failed') {
      const retry = job.generation !== generation || job.retryToken !== retryToken;
      if (retry && !job.deleting) {
        remove.push({ kind: 'Job', name: job.name });
        retried = true;
        pending.push(m.store);
      } else if (job.deleting) {
        keep.push(objectKey('Job', m.name));
        pending.push(m.store);
      } else {
        keep.push(objectKey('Job', m.name));
        failures.push(describeFailure(m.store, job));
      }
      continue;
    }
    if (job?.deleting) {
      keep.push(objectKey('Job', m.name));
    } else {
      objects.push({ kind: 'Job', name: m.name, object: m.object, createOnly: true });
    }
    pending.push(m.store);
  }
  const migrationsDone = pending.length === 0 && failures.length === 0;

  // Which version the Deployments run: the new one only once its migrations are done.
  const observedVersions = [...new Set(observed.deployments.map((d) => d.version).filter((v): v is string => v !== undefined))];
  const serving = current.version ?? (observedVersions.length === 1 ? observedVersions[0] : undefined);
  const deployVersion = migrationsDone ? target : serving;
  const workloads = deployVersion === undefined ? [] : workloadObjects(inst, deployVersion);
  objects.push(...workloads);

  // Readiness of every component at the target rendering.
  const components: ComponentStatus[] = [];
  for (const w of workloads) {
    if (!w.component) continue;
    const d = observed.deployments.find((x) => x.name === w.name);
    const ready = deployVersion === target && d !== undefined && rolledOut(d, renderHashOf(w.object));
    const c: ComponentStatus = { name: w.component.name, kind: w.component.kind, ready, replicas: d?.replicas ?? 0, availableReplicas: d?.availableReplicas ?? 0 };
    if (d?.version) c.version = d.version;
    components.push(c);
  }
  const notReady = components.filter((c) => !c.ready).map((c) => c.name);
  const rolled = migrationsDone && notReady.length === 0;

  const status: DesiredStatus = { ...base, phase: 'Ready', components, migrations: applied, conditions: [] };
  if (migrationsDone) status.schemaVersion = target;
  if (rolled) status.version = target;
  if (retried) status.lastRetryToken = retryToken;

  const paused = spec.paused;
  const migrateStep: Step = failures.length > 0
    ? { name: 'migrate', state: 'failed', message: failures.join('; ') }
    : migrationsDone
      ? { name: 'migrate', state: 'done', message: migrations.length === 0 ? 'no store needs migrations' : `migrations for ${target} applied: ${migrations.map((m) => m.store).join(', ')}` }
      : { name: 'migrate', state: paused ? 'paused' : 'running', message: `migrations for ${target} ${paused ? 'pending' : 'running'}: ${pending.join(', ')}` };
  const rolloutStep: Step = !migrationsDone
    ? { name: 'rollout', state: 'waiting', message: serving ? `${serving} keeps serving until the migrations for ${target} succeed` : `waiting for the migrations for ${target}` }
    : rolled
      ? { name: 'rollout', state: 'done', message: `${components.length} components available at ${target}` }
      : { name: 'rollout', state: paused ? 'paused' : 'running', message: `${components.length - notReady.length} of ${components.length} components available at ${target}; waiting for ${notReady.join(', ')}` };
  const steps: Step[] = [{ name: 'validate', state: 'done', message: 'the spec is valid' }, migrateStep, rolloutStep];

  const migrationsCondition: DesiredCondition = failures.length > 0
    ? { type: 'MigrationsSucceeded', status: 'False', reason: 'MigrationFailed', message: failures.join('; ') }
    : migrationsDone
      ? { type: 'MigrationsSucceeded', status: 'True', reason: migrations.length === 0 ? 'NoMigrationsNeeded' : 'MigrationsComplete', message: migrateStep.message }
      : { type: 'MigrationsSucceeded', status: 'False', reason: paused ? 'Paused' : 'Migrating', message: migrateStep.message };

  let phase: Phase;
  const conditions: DesiredCondition[] = [];
  if (paused) {
    phase = 'Paused';
    const message = rolled ? `paused; ${target} is available` : `paused: migrations and rollouts are stopped (${[migrateStep, rolloutStep].find((s) => s.state !== 'done')?.message ?? ''})`;
    conditions.push({ type: 'Ready', status: rolled ? 'True' : 'False', reason: rolled ? 'Ready' : 'Paused', message });
  } else if (failures.length > 0) {
    phase = 'Stalled';
    const servingNote = serving ? `; ${serving} keeps serving` : '';
    const message = `${failures.join('; ')}${servingNote}. Fix the cause, then change the spec or set the annotation ${RETRY_ANNOTATION} to a new value to retry`;
    conditions.push({ type: 'Ready', status: 'False', reason: 'MigrationFailed', message });
    conditions.push({ type: 'Stalled', status: 'True', reason: 'MigrationFailed', message });
  } else if (!migrationsDone) {
    phase = 'Migrating';
    conditions.push({ type: 'Ready', status: 'False', reason: 'Migrating', message: migrateStep.message });
    conditions.push({ type: 'Reconciling', status: 'True', reason: 'Migrating', message: migrateStep.message });
  } else if (!rolled) {
    phase = 'RollingOut';
    conditions.push({ type: 'Ready', status: 'False', reason: 'RollingOut', message: rolloutStep.message });
    conditions.push({ type: 'Reconciling', status: 'True', reason: 'RollingOut', message: rolloutStep.message });
  } else {
    phase = 'Ready';
    conditions.push({ type: 'Ready', status: 'True', reason: 'Ready', message: `${target} is ready: ${components.length} components available` });
  }
  conditions.push(migrationsCondition);
  status.phase = phase;
  status.conditions = conditions;

  // Failed Jobs of the target are kept (in `keep`) so their pods stay for inspection; pruning removes
  // only the Jobs of other versions and contents.
  return {
    phase,
    steps,
    objects,
    keep,
    remove: paused ? [] : remove,
    prune: !paused,
    write: !paused,
    ...(deployVersion !== undefined ? { deployVersion } : {}),
    errors,
    status,
  };
}

