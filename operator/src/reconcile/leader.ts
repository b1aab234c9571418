/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: the holder renews every
 * retry period; a candidate takes over only after it has seen the same record unchanged for a
 * whole lease duration (its own clock, never the holder's); a leader that cannot renew within the
 * renew deadline stops acting before its lease can expire, so two replicas never act at once.
 */
import type { Logger } from 'pino';
import { isConflict, isNotFound, type AnyObject, type KubeApi } from './kube.ts';

/** Election settings. */
export interface LeaderOptions {
  namespace: string;
  /** @default "lern-operator" */
  name?: string;
  identity: string;
  /** @default 15000 */
  leaseDurationMs?: number;
  /** @default 10000 */
  renewDeadlineMs?: number;
  /** @default 2000 */
  retryPeriodMs?: number;
  log: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

interface LeaseObject {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string | null; leaseDurationSeconds?: number; acquireTime?: string | null; renewTime?: string | null; leaseTransitions?: number };
}

/** MicroTime as the Lease wants it (microseconds). */
const microTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

/** The elector. */
export class LeaderElector {
  private readonly o: Required<Omit<LeaderOptions, 'log' | 'onStartedLeading' | 'onStoppedLeading'>> & Pick<LeaderOptions, 'log' | 'onStartedLeading' | 'onStoppedLeading'>;
  private readonly api: KubeApi;
  private leading = false;
  private lastRenewMs = 0;
  private observed?: { record: string; at: number };
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(api: KubeApi, options: LeaderOptions) {
    this.api = api;
    this.o = { name: 'lern-operator', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...options };
  }

  /** True while this replica holds a lease it renewed within the renew deadline. */
  isLeading(): boolean {
    return this.leading && Date.now() - this.lastRenewMs < this.o.renewDeadlineMs;
  }

  /** Starts campaigning. */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.o.retryPeriodMs);
  }

  private async tick(): Promise<void> {
    try {
      const ok = await this.tryAcquireOrRenew();
      if (ok) {
        this.lastRenewMs = Date.now();
        if (!this.leading) {
          this.leading = true;
          this.o.log.info({ identity: this.o.identity, lease: this.o.name }, 'started leading');
          this.o.onStartedLeading();
        }
      }
    } catch (e) {
      this.o.log.warn({ err: String(e) }, 'lease renewal failed');
    }
    if (this.leading && !this.isLeading()) {
      this.leading = false;
      this.o.log.warn({ identity: this.o.identity }, 'stopped leading: the lease was not renewed in time');
      this.o.onStoppedLeading();
    }
    this.schedule();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const desired = (lease?: LeaseObject): LeaseObject => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.o.name, namespace: this.o.namespace, ...(lease?.metadata.resourceVersion ? { resourceVersion: lease.metadata.resourceVersion } : {}) },
      spec: {
        holderIdentity: this.o.identity,
        leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
        acquireTime: lease?.spec.holderIdentity === this.o.identity && lease.spec.acquireTime ? lease.spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (lease?.spec.leaseTransitions ?? 0) + (lease && lease.spec.holderIdentity !== this.o.identity ? 1 : 0),
      },
    });
    let lease: LeaseObject;
    try {
      lease = await this.api.get<LeaseObject>('Lease', this.o.name, this.o.namespace);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        await this.api.create(desired() as unknown as AnyObject);
        return true;
      } catch (err) {
        if (isConflict(err)) return false;
        throw err;
      }
    }
    const holder = lease.spec.holderIdentity ?? '';
    const record = JSON.stringify([holder, lease.spec.renewTime, lease.spec.leaseTransitions]);
    if (!this.observed || this.observed.record !== record) this.observed = { record, at: now };
    const expired = holder === '' || now - this.observed.at > (lease.spec.leaseDurationSeconds ?? 15) * 1000;
    if (holder !== this.o.identity && !expired) return false;
    try {
      await this.api.replace(desired(lease) as unknown as AnyObject);
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  /** Stops campaigning and, if leading, gives the lease up so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.api.get<LeaseObject>('Lease', this.o.name, this.o.namespace);
      if (lease.spec.holderIdentity === this.o.identity) {
        await this.api.replace({ ...lease, spec: { ...lease.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(Date.now()) } });
      }
    } catch (e) {
      this.o.log.warn({ err: String(e) }, 'could not release the lease');
    }
  }
}
