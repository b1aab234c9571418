/**
 * The operator process: informer caches feed a rate-limited work queue; workers reconcile one key
 * at a time while this replica leads; metrics and health on their own port; a graceful stop.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import pino, { type Logger } from 'pino';
import { INSTALLATION_LABEL, KIND, type LernInstallation } from './api/types.ts';
import { OperatorMetrics, serveMetrics } from './metrics.ts';
import { InformerCache, type CachedObject } from './reconcile/cache.ts';
import { KubeApi } from './reconcile/kube.ts';
import { LeaderElector } from './reconcile/leader.ts';
import { CHILD_KINDS, type ChildKind } from './reconcile/observe.ts';
import { WorkQueue } from './reconcile/queue.ts';
import { NotLeaderError, Reconciler } from './reconcile/reconciler.ts';

/** How the operator runs. */
export interface OperatorOptions {
  /** @default loaded from KUBECONFIG or the pod's service account */
  kubeConfig?: KubeConfig;
  /** Watch one namespace only. @default all namespaces */
  namespace?: string;
  /** Port of /metrics, /healthz, /readyz; false for none. @default 8080 */
  metricsPort?: number | false;
  /** Host the metrics server binds. @default "0.0.0.0" */
  metricsHost?: string;
  /** Lease to elect a leader with; false to act without election (one replica only). */
  leaderElection?: { namespace: string; name?: string; identity?: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number } | false;
  /** Parallel workers (never two on one key). @default 4 */
  workers?: number;
  /** Full resync period. @default 120000 */
  resyncMs?: number;
  /** Backstop requeue while an installation progresses. @default 15000 */
  progressRequeueMs?: number;
  log?: Logger;
}

/** The operator. */
export class Operator {
  readonly api: KubeApi;
  readonly metrics = new OperatorMetrics();
  readonly queue = new WorkQueue();
  readonly log: Logger;
  readonly installations: InformerCache;
  readonly children: Record<ChildKind, InformerCache>;
  readonly reconciler: Reconciler;
  private readonly options: OperatorOptions;
  private readonly kc: KubeConfig;
  private elector?: LeaderElector;
  private server?: Server;
  private resyncTimer?: NodeJS.Timeout;
  private gaugeTimer?: NodeJS.Timeout;
  private workers: Promise<void>[] = [];
  private leading = false;
  private synced = false;
  private stopping = false;
  private inFlight = 0;

  constructor(options: OperatorOptions = {}) {
    this.options = options;
    this.log = options.log ?? pino({ name: 'lern-operator', level: process.env.LERN_LOG_LEVEL ?? 'info' });
    if (options.kubeConfig) {
      this.kc = options.kubeConfig;
    } else {
      this.kc = new KubeConfig();
      this.kc.loadFromDefault();
    }
    this.api = new KubeApi(this.kc);
    this.api.onRequest = (verb, status) => this.metrics.apiRequests.inc({ verb, code: String(status) });
    const onError = (kind: string) => this.metrics.watchErrors.inc({ kind });
    this.installations = new InformerCache(this.kc, this.api, {
      kind: KIND,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      log: this.log,
      onError,
      onEvent: (_event, obj) => this.queue.add(`${obj.metadata.namespace}/${obj.metadata.name}`),
    });
    const children = {} as Record<ChildKind, InformerCache>;
    for (const kind of CHILD_KINDS) {
      children[kind] = new InformerCache(this.kc, this.api, {
        kind,
        ...(options.namespace ? { namespace: options.namespace } : {}),
        labelSelector: INSTALLATION_LABEL,
        log: this.log,
        onError,
        onEvent: (_event, obj: CachedObject) => {
          const owner = obj.metadata.labels?.[INSTALLATION_LABEL];
          if (owner) this.queue.add(`${obj.metadata.namespace}/${owner}`);
        },
      });
    }
    this.children = children;
    this.reconciler = new Reconciler({
      api: this.api,
      caches: { installations: this.installations, children },
      log: this.log,
      metrics: this.metrics,
      mayAct: () => !this.stopping && this.mayAct(),
      ...(options.progressRequeueMs !== undefined ? { progressRequeueMs: options.progressRequeueMs } : {}),
    });
  }

  private mayAct(): boolean {
    return this.elector ? this.elector.isLeading() : this.leading;
  }

  /** True while this replica leads (or runs without election). */
  get isLeader(): boolean {
    return this.leading && this.mayAct();
  }

  /** Starts caches, metrics, election and (once leading) workers. */
  async start(): Promise<void> {
    if (this.options.metricsPort !== false) {
      this.server = await serveMetrics(this.metrics, { live: () => true, ready: () => this.synced }, this.options.metricsPort ?? 8080, this.options.metricsHost);
    }
    await Promise.all([this.installations.start(), ...Object.values(this.children).map((c) => c.start())]);
    this.synced = true;
    this.log.info({ namespace: this.options.namespace ?? '(all)' }, 'caches synced');
    this.gaugeTimer = setInterval(() => this.updateGauges(), 5_000);
    this.gaugeTimer.unref();
    const election = this.options.leaderElection;
    if (election) {
      this.elector = new LeaderElector(this.api, {
        namespace: election.namespace,
        ...(election.name ? { name: election.name } : {}),
        identity: election.identity ?? `${hostname()}_${randomBytes(4).toString('hex')}`,
        ...(election.leaseDurationMs ? { leaseDurationMs: election.leaseDurationMs } : {}),
        ...(election.renewDeadlineMs ? { renewDeadlineMs: election.renewDeadlineMs } : {}),
        ...(election.retryPeriodMs ? { retryPeriodMs: election.retryPeriodMs } : {}),
        log: this.log,
        onStartedLeading: () => this.startLeading(),
        onStoppedLeading: () => {
          this.leading = false;
          this.metrics.leader.set(0);
        },
      });
      this.elector.start();
    } else {
      this.startLeading();
    }
  }

  private startLeading(): void {
    this.leading = true;
    this.metrics.leader.set(1);
    this.enqueueAll();
    if (this.workers.length === 0) {
      const n = this.options.workers ?? 4;
      for (let i = 0; i < n; i++) this.workers.push(this.work());
    }
    if (!this.resyncTimer) {
      // Periodic full resync on top of the watches: level-triggered, so a missed event heals.
      this.resyncTimer = setInterval(() => this.enqueueAll(), this.options.resyncMs ?? 120_000);
      this.resyncTimer.unref();
    }
  }

  /** Queues every known installation. */
  enqueueAll(): void {
    for (const o of this.installations.list()) this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (!this.isLeader) {
        // Not ours to act on now; the new leader (or this one, once re-elected) takes it from the caches.
        this.queue.done(key);
        continue;
      }
      this.inFlight += 1;
      const end = this.metrics.reconcileDuration.startTimer();
      try {
        const outcome = await this.reconciler.reconcile(key);
        this.queue.forget(key);
        this.metrics.reconciles.inc({ result: outcome.kind === 'requeue' ? 'requeue' : 'success' });
        if (outcome.kind === 'requeue') this.queue.addAfter(key, outcome.afterMs);
      } catch (e) {
        if (e instanceof NotLeaderError) {
          this.metrics.reconciles.inc({ result: 'not-leader' });
        } else {
          this.metrics.reconciles.inc({ result: 'error' });
          this.metrics.reconcileErrors.inc();
          const delay = this.queue.addRateLimited(key);
          this.log.warn({ key, err: e instanceof Error ? e.message : String(e), retryInMs: delay }, 'reconcile failed');
        }
      } finally {
        end();
        this.inFlight -= 1;
        this.queue.done(key);
      }
    }
  }

  private updateGauges(): void {
    this.metrics.queueDepth.set(this.queue.depth);
    const byPhase = new Map<string, number>();
    let paused = 0;
    let stuck = 0;
    const stuckAfterMs = 15 * 60_000;
    for (const o of this.installations.list() as unknown as LernInstallation[]) {
      const phase = o.status?.phase ?? 'Pending';
      byPhase.set(phase, (byPhase.get(phase) ?? 0) + 1);
      if (o.spec.paused) paused += 1;
      const reconciling = o.status?.conditions?.find((c) => c.type === 'Reconciling');
      if (phase === 'Stalled' || (reconciling && Date.now() - Date.parse(reconciling.lastTransitionTime) > stuckAfterMs)) stuck += 1;
    }
    this.metrics.installations.reset();
    for (const [phase, n] of byPhase) this.metrics.installations.set({ phase }, n);
    this.metrics.paused.set(paused);
    this.metrics.stuck.set(stuck);
  }

  /** Stops taking work, lets running reconciles finish, gives up the lease, stops watches. */
  async stop(): Promise<void> {
    this.queue.shutdown();
    const deadline = Date.now() + 20_000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    this.stopping = true;
    await Promise.all(this.workers);
    this.workers = [];
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.gaugeTimer) clearInterval(this.gaugeTimer);
    await this.elector?.stop();
    this.leading = false;
    this.metrics.leader.set(0);
    await Promise.all([this.installations.stop(), ...Object.values(this.children).map((c) => c.stop())]);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.api.close();
  }
}
