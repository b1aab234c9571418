/**
 * A work queue in the shape of client-go's: a key is queued at most once, is never handed to two
 * workers at the same time (a key added while it is processed is queued again when it is done),
 * and failures come back after a per-key exponential backoff bounded by an overall token bucket.
 */

/** Backoff settings. */
export interface QueueOptions {
  /** First retry delay. @default 250 */
  baseDelayMs?: number;
  /** Longest retry delay. @default 300000 */
  maxDelayMs?: number;
  /** Overall retry rate (tokens per second). @default 10 */
  qps?: number;
  /** Overall burst. @default 100 */
  burst?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Per-key exponential backoff: base * 2^(failures-1), capped. Pure. */
export function backoffDelay(failures: number, baseDelayMs: number, maxDelayMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(failures - 1, 30));
}

/** The queue. */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly waiters: ((key: string | undefined) => void)[] = [];
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private lastRefill: number;
  private closed = false;

  constructor(options: QueueOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 300_000;
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    this.now = options.now ?? Date.now;
    this.tokens = this.burst;
    this.lastRefill = this.now();
  }

  /** Keys waiting (not counting those being processed or delayed). */
  get length(): number {
    return this.queue.length;
  }

  /** Keys waiting, delayed or being processed. */
  get depth(): number {
    return this.queue.length + this.timers.size + this.processing.size;
  }

  /** Queues a key now. */
  add(key: string): void {
    if (this.closed || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  /** Queues a key after a delay (the earliest of several delays wins). */
  addAfter(key: string, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  /** Queues a key after its backoff; the key's failure count grows. */
  addRateLimited(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = Math.max(backoffDelay(n, this.baseDelayMs, this.maxDelayMs), this.bucketDelay());
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears a key's failure count (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** How many times a key failed in a row. */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  private bucketDelay(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.qps);
    this.lastRefill = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  /** The next key to process; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks a key processed; if it was added meanwhile it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Stops handing out keys; waiting workers get undefined. */
  shutdown(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
