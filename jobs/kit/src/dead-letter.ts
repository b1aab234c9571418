/**
 * Dead letters: an event the job gave up on goes to `<topic>.failed` (same prefix) with its key,
 * its value byte for byte and its headers, so it can be re-driven by copying it back; why it failed
 * travels in `lern-*` headers. The value is not wrapped in JSON on purpose: a poison message may
 * not be JSON (or UTF-8) at all.
 */
import type { JobEvent } from './define.ts';

/** Suffix of a topic's dead-letter topic. */
export const DEAD_LETTER_SUFFIX = '.failed';

/** Headers a dead letter carries besides the original ones. */
export const DEAD_LETTER_HEADERS = {
  error: 'lern-error',
  attempts: 'lern-attempts',
  job: 'lern-job',
  topic: 'lern-source-topic',
  partition: 'lern-source-partition',
  offset: 'lern-source-offset',
  failedAt: 'lern-failed-at',
} as const;

/** Longest error text kept in a header. */
const MAX_ERROR_LENGTH = 2_000;

/** The dead-letter topic of a topic (both without the prefix). */
export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

/** A dead letter ready for the producer. */
export interface DeadLetter {
  /** Unprefixed topic name. */
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** What went wrong with an event. */
export interface Failure {
  job: string;
  reason: string;
  /** Attempts that failed because of the event. */
  attempts: number;
  /** The raw value, exactly as consumed. */
  raw: Buffer | null;
  at: Date;
}

/** Builds the dead letter of an event (pure). */
export function toDeadLetter(event: JobEvent, failure: Failure): DeadLetter {
  const h = DEAD_LETTER_HEADERS;
  return {
    topic: deadLetterTopic(event.topic),
    key: event.key,
    value: failure.raw,
    headers: {
      ...event.headers,
      [h.error]: failure.reason.length > MAX_ERROR_LENGTH ? `${failure.reason.slice(0, MAX_ERROR_LENGTH)}...` : failure.reason,
      [h.attempts]: String(failure.attempts),
      [h.job]: failure.job,
      [h.topic]: event.topic,
      [h.partition]: String(event.partition),
      [h.offset]: event.offset,
      [h.failedAt]: failure.at.toISOString(),
    },
  };
}
