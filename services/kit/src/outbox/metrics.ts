import { Counter, Gauge, type Registry } from 'prom-client';

/** The outbox's Prometheus metrics. `destination` is `kafka:<topic>` or `index:<target>`. */
export interface OutboxMetrics {
  /** Entries written with a change. */
  written: Counter<'destination'>;
  /** Entries delivered; `path` is `request` (right after the write) or `relay`. */
  delivered: Counter<'destination' | 'path'>;
  /** Failed deliveries, each scheduled to be tried again. */
  retried: Counter<'destination'>;
  /** Undelivered entries seen by this process's last relay scan (fresh ones included). */
  pending: Gauge;
  /** Age of the oldest undelivered entry seen by the last scan; 0 when there is none. */
  oldestPendingSeconds: Gauge;
}

/** Registers the outbox metrics on `registry` (one outbox per registry). */
export function createOutboxMetrics(registry: Registry): OutboxMetrics {
  const registers = [registry];
  return {
    written: new Counter({ name: 'lern_outbox_written_total', help: 'Outbox entries written with a change', labelNames: ['destination'] as const, registers }),
    delivered: new Counter({ name: 'lern_outbox_delivered_total', help: 'Outbox entries delivered', labelNames: ['destination', 'path'] as const, registers }),
    retried: new Counter({ name: 'lern_outbox_retried_total', help: 'Failed outbox deliveries, to be tried again', labelNames: ['destination'] as const, registers }),
    pending: new Gauge({ name: 'lern_outbox_pending', help: 'Undelivered outbox entries seen by the last relay scan', registers }),
    oldestPendingSeconds: new Gauge({ name: 'lern_outbox_oldest_pending_seconds', help: 'Age of the oldest undelivered outbox entry', registers }),
  };
}
