/**
 * Runs uploads in the background, row by row, in the process that accepted them: each row's outcome
 * is stored on its task as soon as it is known (so the status route shows progress and a resumed
 * upload skips finished rows), and the upload's `lastupdatedon` is its heartbeat. An upload whose
 * heartbeat stopped (its replica ended) is taken over by another replica with a lightweight
 * transaction and finished with the uploader's current grants.
 */
import { LernError, MESSAGES, isDependencyUnavailable, sunbirdTimestamp, type Caller, type CallerDirectory } from '@lern/kit';
import type { PiiCipher } from '../pii.ts';
import type { BulkObjectType } from './columns.ts';
import { columnsSetting, csvConfigOf } from './columns.ts';
import { processRow, type Row, type RowContext } from './rows.ts';
import type { RowSink } from './row-sink.ts';
import { PROCESS_STATUS, type BulkStore, type ProcessRecord } from './store.ts';

/** What the worker needs. */
export interface WorkerDeps {
  store: BulkStore;
  sink: RowSink;
  cipher: PiiCipher;
  /** The caller directory, for the grants of uploaders whose uploads are resumed. */
  callers: CallerDirectory | null;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** An upload whose heartbeat is older than this is taken over. @default 300000 (5 minutes) */
  staleAfterMs?: number;
  now?: () => Date;
}

/** The job of one upload: what the rows need besides their data. */
export interface UploadJob {
  processId: string;
  objectType: BulkObjectType;
  caller: Caller;
}

/** Rows read per page. */
const PAGE = 100;

/** Runs uploads; `idle()` resolves when none runs, `close()` stops after the current rows. */
export class BulkWorker {
  private readonly deps: WorkerDeps;
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(deps: WorkerDeps) {
    this.deps = deps;
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Starts an upload in the background (its tasks are stored). */
  start(job: UploadJob): void {
    if (this.stopping || this.running.has(job.processId)) return;
    const run = this.run(job)
      .catch((error: unknown) => this.deps.log.error({ err: error, processId: job.processId }, 'bulk upload stopped'))
      .finally(() => this.running.delete(job.processId));
    this.running.set(job.processId, run);
  }

  /** Resolves when no upload runs in this process. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  /** Stops taking rows and waits for the rows in progress; unfinished uploads are resumed later. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  /** Takes over uploads whose replica stopped; returns how many were resumed. */
  async resumeStale(): Promise<number> {
    if (this.stopping) return 0;
    const { store } = this.deps;
    const staleBefore = this.now().getTime() - (this.deps.staleAfterMs ?? 300_000);
    let resumed = 0;
    for (const status of [PROCESS_STATUS.NEW, PROCESS_STATUS.IN_PROGRESS]) {
      for (const id of await store.processIdsInStatus(status)) {
        if (this.running.has(id)) continue;
        const p = await store.process(id);
        if (!p || p.status !== status || (p.lastUpdatedOn !== null && p.lastUpdatedOn.getTime() > staleBefore)) continue;
        if (!(await store.claim(id, p.lastUpdatedOn, PROCESS_STATUS.IN_PROGRESS, this.now()))) continue;
        const record = await this.deps.callers?.get(p.uploadedBy);
        const caller: Caller = { userId: p.uploadedBy, effectiveUserId: p.uploadedBy, grants: record?.status === 'active' ? record.grants : [] };
        this.deps.log.info({ processId: id }, 'resuming bulk upload');
        this.start({ processId: id, objectType: p.objectType, caller });
        resumed++;
      }
    }
    return resumed;
  }

  private async context(p: ProcessRecord, job: UploadJob): Promise<RowContext> {
    const { store } = this.deps;
    const uploaderOrg = p.organisationId ? await store.org(p.organisationId) : null;
    const setting = job.objectType === 'location' ? null : await store.setting(columnsSetting(job.objectType));
    return { sink: this.deps.sink, store, caller: job.caller, uploaderOrg, mandatoryFields: csvConfigOf(setting)?.mandatoryColumns ?? [], locationType: null };
  }

  private async run(job: UploadJob): Promise<void> {
    const { store, cipher, log } = this.deps;
    const p = await store.process(job.processId);
    if (!p || p.status === PROCESS_STATUS.COMPLETED || p.status === PROCESS_STATUS.FAILED) return;
    // IN PROGRESS from here; if another replica moved the heartbeat since it was read, the upload is theirs.
    if (!(await store.claim(p.id, p.lastUpdatedOn, PROCESS_STATUS.IN_PROGRESS, this.now()))) return;
    try {
      const ctx = await this.context(p, job);
      let after = 0;
      for (;;) {
        const tasks = await store.tasks(p.id, after, after + PAGE);
        if (tasks.length === 0 && after >= p.taskCount) break;
        for (const task of tasks) {
          if (this.stopping) return;
          if (task.status === PROCESS_STATUS.COMPLETED || task.status === PROCESS_STATUS.FAILED) continue;
          const row = JSON.parse(cipher.decrypt(task.data)) as Row;
          let outcome;
          if (p.objectType === 'location') {
            // The upload's location type travels on each row, as upstream adds it.
            const { type, ...cells } = row;
            outcome = await processRow({ ...ctx, locationType: type ?? null }, 'location', cells, log);
          } else outcome = await processRow(ctx, p.objectType, row, log);
          const sealed = cipher.encrypt(JSON.stringify(outcome.result));
          await store.finishTask(
            p.id,
            {
              sequenceId: task.sequenceId,
              status: outcome.ok ? PROCESS_STATUS.COMPLETED : PROCESS_STATUS.FAILED,
              successResult: outcome.ok ? sealed : null,
              failureResult: outcome.ok ? null : sealed,
              iterationId: task.iterationId + 1,
            },
            this.now(),
          );
        }
        after += PAGE;
      }
      const now = this.now();
      await store.finishProcess(p.id, PROCESS_STATUS.COMPLETED, null, now, sunbirdTimestamp(now));
    } catch (error) {
      // A store that is down stops the upload where it is: its heartbeat goes stale and it is resumed.
      if (isDependencyUnavailable(error)) {
        log.warn({ err: error, processId: p.id }, 'bulk upload paused: a dependency is unavailable');
        return;
      }
      log.error({ err: error, processId: p.id }, 'bulk upload failed');
      const now = this.now();
      const message = error instanceof LernError ? error.errmsg : MESSAGES.serverError;
      await store.finishProcess(p.id, PROCESS_STATUS.FAILED, message, now, sunbirdTimestamp(now)).catch(() => undefined);
    }
  }
}
