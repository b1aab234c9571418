/**
 * A small in-process memo in front of a read that rarely changes (course structures): a value is
 * kept `ttlMs` (so a change is seen within that time on every replica), at most `capacity` values,
 * and a failed read is not kept. It saves a Redis round trip on the request paths that read a
 * structure for every request (course lists, progress updates).
 */

/** Memoises `load` per key. */
export class Memo<T> {
  private readonly entries = new Map<string, { value: Promise<T>; until: number }>();
  private readonly load: (key: string) => Promise<T>;
  private readonly ttlMs: number;
  private readonly capacity: number;
  private readonly now: () => number;

  constructor(load: (key: string) => Promise<T>, options: { ttlMs?: number; capacity?: number; now?: () => number } = {}) {
    this.load = load;
    this.ttlMs = options.ttlMs ?? 5_000;
    this.capacity = options.capacity ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** The value of `key`: the kept one while fresh, else loaded (concurrent callers share one load). */
  get(key: string): Promise<T> {
    const now = this.now();
    const held = this.entries.get(key);
    if (held && held.until > now) return held.value;
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    const value = this.load(key);
    this.entries.set(key, { value, until: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
