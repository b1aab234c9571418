/**
 * The outbox's decisions, as pure functions: where an entry is stored, when it is tried again, what
 * a relay pass delivers, how far the cursor may move, when to take the lease, and whether the
 * request path delivers itself. The I/O lives in relay.ts and outbox.ts.
 */
import { destinationOf, type OutboxEntry, type StoredEntry } from './entries.ts';
import { OUTBOX_BUCKETS, OUTBOX_SLICE_MS } from './schema.ts';

/** The time slice (partition part) of an epoch-ms time. */
export function sliceOf(ms: number): number {
  return Math.floor(ms / OUTBOX_SLICE_MS);
}

/**
 * What must stay in order: one Kafka key of one topic, or one id of one index target. Null for a
 * Kafka message without a key (Kafka orders those nowhere either).
 */
export function orderingKeyOf(entry: OutboxEntry): string | null {
  if (entry.kind === 'kafka') return entry.key === null ? null : `kafka\u0000${entry.topic}\u0000${entry.key}`;
  return `index\u0000${entry.target}\u0000${entry.id}`;
}

/** FNV-1a (32 bit): stable across processes and versions, unlike anything seeded. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The bucket of an entry: one per ordering key, so a key's entries share a partition and its order. */
export function bucketOf(entry: OutboxEntry, rowId: string): number {
  return fnv1a(orderingKeyOf(entry) ?? rowId) % OUTBOX_BUCKETS;
}

/** Backoff of failed deliveries. */
export interface RetryPolicy {
  /** Delay after the first failure. @default 1000 */
  baseMs: number;
  /** Longest delay; an entry is tried at least this often for as long as it is undelivered. @default 60000 */
  maxMs: number;
  /** Spread, as a fraction of the delay either way, so replicas and entries do not retry in step. @default 0.2 */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.2 };

/** Delay before the next try after `failures` failed deliveries (>= 1): doubling from baseMs, capped at maxMs. */
export function retryDelayMs(failures: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const plain = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const spread = plain * policy.jitter * (2 * random() - 1);
  return Math.round(Math.min(policy.maxMs, Math.max(0, plain + spread)));
}

/** The new delivery state of an entry whose delivery failed at `now`. */
export function afterFailure(row: Pick<StoredEntry, 'attempts'>, error: unknown, now: number, policy: RetryPolicy, random?: () => number) {
  const attempts = row.attempts + 1;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { attempts, nextAttemptAt: now + retryDelayMs(attempts, policy, random), lastError: message.slice(0, 500) };
}

/** A bucket's rows sorted into what one relay pass does with them. */
export interface BucketPlan {
  /** Due entries, in stored order; deliver them in this order. */
  deliver: StoredEntry[];
  /** Leftover rows without an entry: delete them. */
  leftovers: StoredEntry[];
  /** Entries left for a later pass (not due, being delivered, or behind one of those in order). */
  waiting: StoredEntry[];
}

/**
 * Picks a pass's deliveries from a bucket's rows (in stored order). An entry waits when it is not
 * due, when its delivery is still in flight in this process (a timed-out send may yet succeed:
 * trying again now would duplicate it), or when an earlier entry with its ordering key waits, so
 * one key's entries never overtake each other.
 */
export function planBucket(rows: readonly StoredEntry[], now: number, inFlight: ReadonlySet<string>): BucketPlan {
  const plan: BucketPlan = { deliver: [], leftovers: [], waiting: [] };
  const held = new Set<string>();
  for (const row of rows) {
    if (!row.entry) {
      plan.leftovers.push(row);
      continue;
    }
    const key = orderingKeyOf(row.entry) ?? row.id;
    if (held.has(key) || inFlight.has(row.id) || row.nextAttemptAt > now) {
      held.add(key);
      plan.waiting.push(row);
      continue;
    }
    plan.deliver.push(row);
  }
  return plan;
}

/** Entries delivered by one call: several Kafka messages of one topic, or one index update. */
export type DeliveryGroup = { destination: string; rows: StoredEntry[] };

/**
 * Groups due entries for delivery: consecutive Kafka messages of a topic go in one send (up to
 * `maxMessages`), in their order; each index update is its own call. The groups keep the entries'
 * order within every destination.
 */
export function groupDeliveries(rows: readonly StoredEntry[], maxMessages = 100): DeliveryGroup[] {
  const groups: DeliveryGroup[] = [];
  const open = new Map<string, DeliveryGroup>();
  for (const row of rows) {
    if (!row.entry) continue;
    const destination = destinationOf(row.entry);
    if (row.entry.kind === 'index') {
      groups.push({ destination, rows: [row] });
      continue;
    }
    let group = open.get(destination);
    if (!group || group.rows.length >= maxMessages) {
      group = { destination, rows: [] };
      open.set(destination, group);
      groups.push(group);
    }
    group.rows.push(row);
  }
  return groups;
}

/**
 * Whether an entry counts as backlog: it failed before, or it is due and nobody delivered it. A
 * fresh entry still within the request path's grace is not backlog.
 */
export function isBacklog(row: StoredEntry, now: number): boolean {
  return row.entry !== null && (row.attempts > 0 || row.nextAttemptAt <= now);
}

/**
 * What a relay remembers of a bucket between passes. Slices older than the clock-skew margin are
 * closed: no writer adds rows to them any more, deliveries only remove rows. So a closed slice read
 * empty never needs reading again, and one that held rows needs reading until it is empty.
 */
export interface ScanMemory {
  /** Every closed slice from the cursor up to this one has been read. */
  through: number;
  /** Those of them that held rows when last read. */
  withRows: number[];
}

/**
 * The slices a pass reads for a bucket, ascending: the closed slices known to hold rows, then the
 * unread ones from the cursor (or where the last pass stopped) up to now, at most `maxNewSlices`
 * of those. A row stuck in an old slice thus never keeps the relay from newer ones.
 */
export function slicesToRead(cursor: number, memory: ScanMemory | undefined, nowSlice: number, maxNewSlices: number): number[] {
  const known = memory ? memory.withRows.filter((s) => s >= cursor && s <= memory.through) : [];
  const from = memory ? Math.max(cursor, memory.through + 1) : cursor;
  const fresh: number[] = [];
  for (let s = from; s <= nowSlice && fresh.length < maxNewSlices; s++) fresh.push(s);
  return [...known, ...fresh];
}

/** One slice read by a pass: whether it was read whole and whether rows remain in it after the pass. */
export interface SliceRead {
  slice: number;
  complete: boolean;
  hasRows: boolean;
}

/** The memory after a pass read `reads` (ascending), given the closed-slice bound `safeSlice`. */
export function rememberScan(previous: ScanMemory | undefined, cursor: number, reads: readonly SliceRead[], safeSlice: number): ScanMemory {
  let through = Math.max(previous?.through ?? cursor - 1, cursor - 1);
  const withRows: number[] = [];
  for (const read of reads) {
    if (read.slice <= through) {
      if (read.hasRows || !read.complete) withRows.push(read.slice);
      continue;
    }
    if (read.slice !== through + 1 || read.slice >= safeSlice || !read.complete) break;
    through = read.slice;
    if (read.hasRows) withRows.push(read.slice);
  }
  // Known slices this pass did not get to (row limit) still hold rows.
  const readSlices = new Set(reads.map((r) => r.slice));
  for (const s of previous?.withRows ?? []) if (s >= cursor && s <= through && !readSlices.has(s)) withRows.push(s);
  return { through, withRows: [...new Set(withRows)].sort((a, b) => a - b) };
}

/**
 * The bucket's new cursor after a pass. It may pass a slice only when the slice was read whole and
 * holds nothing undelivered, and never reaches slices a writer with a slower clock could still
 * write to (`safeSlice`, from now minus the allowed clock skew). It never moves back.
 */
export function nextCursor(input: { cursor: number; firstSliceWithRows: number | null; firstUnreadSlice: number; safeSlice: number }): number {
  const candidate = Math.min(input.firstSliceWithRows ?? Number.POSITIVE_INFINITY, input.firstUnreadSlice, input.safeSlice);
  return Math.max(input.cursor, candidate);
}

/** What to do about a bucket's lease before delivering from it. */
export type LeaseStep = 'acquire' | 'renew' | 'hold';

/**
 * `heldUntil` is this relay's own conservative estimate (taken before the request that set the
 * TTL), so the lease is really held a little longer. Renew once half the TTL is gone.
 */
export function leaseStep(heldUntil: number | undefined, now: number, ttlMs: number): LeaseStep {
  if (heldUntil === undefined || heldUntil <= now) return 'acquire';
  return heldUntil - now < ttlMs / 2 ? 'renew' : 'hold';
}

/** What the request path knows about a destination. */
export interface FastPathState {
  /** Destinations with backlog seen by the last relay scan. */
  backlog: ReadonlySet<string>;
  /** Last failed request-path delivery per destination (epoch ms). */
  lastFailureAt: ReadonlyMap<string, number>;
}

/**
 * Whether the request path delivers an entry itself. Not while its destination has a backlog (the
 * relay delivers that in order, and a new entry must not overtake it), nor for `cooldownMs` after a
 * request-path failure (so requests do not each wait for a dependency that is down).
 */
export function shouldTryFastPath(destination: string, state: FastPathState, now: number, cooldownMs: number): boolean {
  if (state.backlog.has(destination)) return false;
  const failedAt = state.lastFailureAt.get(destination);
  return failedAt === undefined || now - failedAt >= cooldownMs;
}
