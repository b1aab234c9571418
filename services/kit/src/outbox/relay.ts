/**
 * The background relay: every poll it reads each bucket from its cursor, delivers the due entries of
 * the buckets whose lease it can hold, records failures with their backoff, deletes leftovers and
 * moves the cursors on. Runs in every replica; leases keep two replicas off one bucket.
 */
import { afterFailure, groupDeliveries, isBacklog, nextCursor, planBucket, rememberScan, sliceOf, slicesToRead, type RetryPolicy, type ScanMemory } from './decide.ts';
import { attemptDelivery, type DeliveryContext } from './deliver.ts';
import { destinationOf, type StoredEntry } from './entries.ts';
import type { BucketLeases } from './lease.ts';
import { OUTBOX_BUCKETS } from './schema.ts';

/** The relay's timing (see OutboxTiming for the meaning and defaults). */
export interface RelayTiming {
  pollIntervalMs: number;
  relayDeliveryTimeoutMs: number;
  maxClockSkewMs: number;
  maxRowsPerBucket: number;
  maxSlicesPerPass: number;
  retry: RetryPolicy;
}

/** What the last scan saw: the backlog /health and the request path look at. */
export interface OutboxBacklog {
  /** Undelivered entries seen (fresh ones still left to the request path included). */
  pending: number;
  /** Age of the oldest of them, in seconds; 0 when there is none. */
  oldestPendingSeconds: number;
  /** Destinations with entries that failed or are overdue (`kafka:<topic>`, `index:<target>`). */
  destinations: string[];
  /** When the scan ended (epoch ms); null before the first. */
  scannedAt: number | null;
}

/** One pass's counts. */
export interface RelayPassReport {
  delivered: number;
  failed: number;
  backlog: OutboxBacklog;
}

interface BucketOutcome {
  delivered: number;
  failed: number;
  remaining: StoredEntry[];
  backlogDestinations: Set<string>;
}

/** The relay loop of one outbox. */
export class OutboxRelay {
  private readonly ctx: DeliveryContext;
  private readonly leases: BucketLeases;
  private readonly timing: RelayTiming;
  private readonly ready: () => Promise<void>;
  private loop: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  private last: OutboxBacklog = { pending: 0, oldestPendingSeconds: 0, destinations: [], scannedAt: null };
  private backlogSet: ReadonlySet<string> = new Set();
  private passing: Promise<unknown> = Promise.resolve();
  /** Per bucket, which closed slices are known empty or known to hold rows. */
  private readonly memory = new Map<number, ScanMemory>();

  constructor(ctx: DeliveryContext, leases: BucketLeases, timing: RelayTiming, ready: () => Promise<void>) {
    this.ctx = ctx;
    this.leases = leases;
    this.timing = timing;
    this.ready = ready;
  }

  /** Destinations with backlog, as of the last scan. */
  get backlogDestinations(): ReadonlySet<string> {
    return this.backlogSet;
  }

  get backlog(): OutboxBacklog {
    return this.last;
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Makes the next pass start now rather than after the poll interval. */
  kick(): void {
    this.wake?.();
  }

  /** Stops polling and waits for the current pass. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.pass();
      } catch (error) {
        this.ctx.log.warn({ err: error }, 'outbox: relay pass failed; trying again');
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.timing.pollIntervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One pass over every bucket; passes never overlap (a call during one runs after it). */
  pass(): Promise<RelayPassReport> {
    const next = this.passing.then(() => this.passOnce());
    this.passing = next.catch(() => undefined);
    return next;
  }

  private async passOnce(): Promise<RelayPassReport> {
    await this.ready();
    const now = Date.now();
    const cursors = await this.ctx.tables.readCursors();
    const offset = Math.floor(Math.random() * OUTBOX_BUCKETS);
    const report = { delivered: 0, failed: 0 };
    const remaining: StoredEntry[] = [];
    const destinations = new Set<string>();
    // Each replica starts at another bucket, so replicas meet at different leases.
    for (let i = 0; i < OUTBOX_BUCKETS; i++) {
      const bucket = (offset + i) % OUTBOX_BUCKETS;
      const outcome = await this.passBucket(bucket, cursors.get(bucket) ?? sliceOf(now - this.timing.maxClockSkewMs), now);
      report.delivered += outcome.delivered;
      report.failed += outcome.failed;
      remaining.push(...outcome.remaining);
      for (const d of outcome.backlogDestinations) destinations.add(d);
    }
    const oldest = remaining.reduce((min, row) => Math.min(min, row.createdAt), Number.POSITIVE_INFINITY);
    const scannedAt = Date.now();
    this.last = {
      pending: remaining.length,
      oldestPendingSeconds: remaining.length > 0 ? Math.max(0, Math.round((scannedAt - oldest) / 1000)) : 0,
      destinations: [...destinations].sort(),
      scannedAt,
    };
    this.backlogSet = destinations;
    this.ctx.metrics.pending.set(this.last.pending);
    this.ctx.metrics.oldestPendingSeconds.set(this.last.oldestPendingSeconds);
    return { ...report, backlog: this.last };
  }

  /** Reads the bucket's slices worth reading, at most maxRowsPerBucket rows. */
  private async read(bucket: number, cursor: number, now: number): Promise<{ rows: StoredEntry[]; read: { slice: number; complete: boolean }[]; firstUnreadSlice: number }> {
    const slices = slicesToRead(cursor, this.memory.get(bucket), sliceOf(now), this.timing.maxSlicesPerPass);
    const rows: StoredEntry[] = [];
    const read: { slice: number; complete: boolean }[] = [];
    for (const slice of slices) {
      const room = this.timing.maxRowsPerBucket - rows.length;
      if (room <= 0) break;
      const got = await this.ctx.tables.readSlice(bucket, slice, room);
      rows.push(...got);
      // A full page may not be the whole slice.
      read.push({ slice, complete: got.length < room });
      if (got.length === room) break;
    }
    const complete = new Set(read.filter((r) => r.complete).map((r) => r.slice));
    const firstUnreadSlice = slices.find((s) => !complete.has(s)) ?? (slices.at(-1) ?? cursor - 1) + 1;
    return { rows, read, firstUnreadSlice };
  }

  private async passBucket(bucket: number, cursor: number, now: number): Promise<BucketOutcome> {
    const { rows, read, firstUnreadSlice } = await this.read(bucket, cursor, now);
    const plan = planBucket(rows, now, this.ctx.inFlight.ids);
    if (plan.leftovers.length > 0) await this.ctx.tables.remove(plan.leftovers);
    const delivered = new Set<string>();
    const failed = new Set<string>();
    if (plan.deliver.length > 0 && !this.stopped && (await this.leases.hold(bucket))) {
      const downDestinations = new Set<string>();
      for (const group of groupDeliveries(plan.deliver)) {
        // A destination that just failed is not tried again in this pass, and nothing is started
        // that could outlast the lease.
        if (this.stopped || !this.leases.holds(bucket, Date.now(), this.timing.relayDeliveryTimeoutMs)) break;
        if (downDestinations.has(group.destination)) continue;
        const outcome = await attemptDelivery(this.ctx, group, 'relay', this.timing.relayDeliveryTimeoutMs);
        if (outcome.ok) {
          for (const row of group.rows) delivered.add(row.id);
          continue;
        }
        downDestinations.add(group.destination);
        await this.recordFailure(group.rows, group.destination, outcome.error);
        for (const row of group.rows) failed.add(row.id);
      }
    }
    const leftover = new Set(plan.leftovers.map((r) => r.id));
    const remaining = rows.filter((r) => !delivered.has(r.id) && !leftover.has(r.id));
    const backlogDestinations = new Set(remaining.filter((r) => failed.has(r.id) || isBacklog(r, now)).map((r) => destinationOf(r.entry!)));
    const slicesWithRows = new Set(remaining.map((r) => r.slice));
    const firstSliceWithRows = slicesWithRows.size > 0 ? Math.min(...slicesWithRows) : null;
    const safeSlice = sliceOf(now - this.timing.maxClockSkewMs);
    this.memory.set(bucket, rememberScan(this.memory.get(bucket), cursor, read.map((r) => ({ ...r, hasRows: slicesWithRows.has(r.slice) })), safeSlice));
    const moved = nextCursor({ cursor, firstSliceWithRows, firstUnreadSlice, safeSlice });
    if (moved > cursor) await this.ctx.tables.moveCursor(bucket, moved);
    return { delivered: delivered.size, failed: failed.size, remaining, backlogDestinations };
  }

  private async recordFailure(rows: readonly StoredEntry[], destination: string, error: unknown): Promise<void> {
    const now = Date.now();
    this.ctx.metrics.retried.inc({ destination }, rows.length);
    const first = rows[0];
    this.ctx.log.warn(
      { err: error, destination, entries: rows.length, attempts: (first?.attempts ?? 0) + 1 },
      'outbox: delivery failed; will try again',
    );
    await Promise.all(rows.map((row) => this.ctx.tables.markFailed(row, afterFailure(row, error, now, this.timing.retry))));
  }
}
