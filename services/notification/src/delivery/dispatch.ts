/**
 * Synchronous delivery: one job notification through its channel's adapter, retried with backoff;
 * the outcome says why it failed so the caller can dead-letter it (nothing is dropped silently).
 */
import { retryDelays, type JobNotification } from '../send/operations.ts';
import type { RetryOptions } from '../options.ts';
import type { Adapters, OutgoingMessage } from './adapter.ts';

export type DeliveryOutcome = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

/** The message a job notification sends (pure). */
export function outgoing(job: JobNotification): OutgoingMessage {
  return {
    to: job.ids,
    body: job.template?.data ?? '',
    ...(job.config.subject !== undefined ? { subject: job.config.subject } : {}),
    ...(job.config.sender !== undefined ? { from: job.config.sender } : {}),
    ...(job.rawData ? { rawData: job.rawData } : {}),
    ...(job.config.topic !== undefined ? { topic: job.config.topic } : {}),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function deliverNow(adapters: Adapters, job: JobNotification, retry: RetryOptions, wait: (ms: number) => Promise<void> = sleep): Promise<DeliveryOutcome> {
  const adapter = adapters[job.mode];
  if (!adapter) return { ok: false, attempts: 0, reason: `no ${job.mode} provider is configured` };
  const delays = retryDelays(retry.attempts, retry.baseDelayMs);
  let reason = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    try {
      await adapter.send(outgoing(job));
      return { ok: true, attempts: attempt };
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
      const delay = delays[attempt - 1];
      if (delay !== undefined) await wait(delay);
    }
  }
  return { ok: false, attempts: retry.attempts, reason };
}
