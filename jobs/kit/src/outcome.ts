/**
 * What a handler says about one event. The kit, not the handler, turns it into a commit, a retry or
 * a dead letter (decide.ts), so every job treats failures the same way.
 */

/** The event's effect is durable: its offset may be committed. */
export interface Done {
  kind: 'done';
}

/** Something transient went wrong: try the same event again, after `delayMs` when given. */
export interface Retry {
  kind: 'retry';
  reason: string;
  /** Wait at least this long before the next attempt. @default the policy's backoff */
  delayMs?: number;
}

/** The event can never succeed (malformed, refers to something impossible): dead-letter it now. */
export interface Fail {
  kind: 'fail';
  reason: string;
}

/** A handler's verdict on one event. */
export type Outcome = Done | Retry | Fail;

const DONE: Done = Object.freeze({ kind: 'done' });

/** The effect is durable. */
export function done(): Done {
  return DONE;
}

/** Try again later; `delayMs` overrides the backoff (still capped by the policy's maximum). */
export function retry(reason: string, delayMs?: number): Retry {
  return delayMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, delayMs };
}

/** Give up on this event: it goes to the dead-letter topic with `reason`. */
export function fail(reason: string): Fail {
  return { kind: 'fail', reason };
}

/**
 * What one attempt at an event produced: the handler's outcome, or an error it threw. A thrown error
 * that means a dependency is down (Cassandra, Redis, Kafka, the search engine unreachable) is not
 * the event's fault and is kept apart.
 */
export type AttemptResult = { kind: 'outcome'; outcome: Outcome } | { kind: 'error'; message: string; dependencyDown: boolean };
