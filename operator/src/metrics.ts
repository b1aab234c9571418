/**
 * Prometheus metrics and the health endpoints, on their own port (LERN_OPERATOR_METRICS_PORT).
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The operator's metrics. */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({ name: 'lern_operator_reconcile_total', help: 'Reconciles by result', labelNames: ['result'] as const, registers: [this.registry] });
  readonly reconcileErrors = new Counter({ name: 'lern_operator_reconcile_errors_total', help: 'Reconciles that failed', registers: [this.registry] });
  readonly reconcileDuration = new Histogram({
    name: 'lern_operator_reconcile_duration_seconds',
    help: 'Time per reconcile',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({ name: 'lern_operator_queue_depth', help: 'Keys queued, delayed or in progress', registers: [this.registry] });
  readonly installations = new Gauge({ name: 'lern_operator_installations', help: 'Installations by phase', labelNames: ['phase'] as const, registers: [this.registry] });
  readonly paused = new Gauge({ name: 'lern_operator_installations_paused', help: 'Installations with spec.paused', registers: [this.registry] });
  readonly stuck = new Gauge({
    name: 'lern_operator_installations_stuck',
    help: 'Installations Stalled, or reconciling for longer than the stuck threshold',
    registers: [this.registry],
  });
  readonly apiRequests = new Counter({ name: 'lern_operator_api_requests_total', help: 'Kubernetes API requests', labelNames: ['verb', 'code'] as const, registers: [this.registry] });
  readonly writes = new Counter({ name: 'lern_operator_writes_total', help: 'Writes to children and status', labelNames: ['kind', 'action'] as const, registers: [this.registry] });
  readonly leader = new Gauge({ name: 'lern_operator_leader', help: '1 while this replica holds the leader Lease', registers: [this.registry] });
  readonly watchErrors = new Counter({ name: 'lern_operator_watch_errors_total', help: 'Watch failures (restarted)', labelNames: ['kind'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'lern_operator_' });
  }
}

/** Health answers. */
export interface Health {
  /** The process works (event loop turns). */
  live(): boolean;
  /** Caches are synced (leader or standby). */
  ready(): boolean;
}

/** Serves /metrics, /healthz and /readyz. */
export function serveMetrics(metrics: OperatorMetrics, health: Health, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      metrics.registry
        .metrics()
        .then((text) => {
          res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
          res.end(text);
        })
        .catch((e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        });
      return;
    }
    if (path === '/healthz' || path === '/readyz') {
      const ok = path === '/healthz' ? health.live() : health.ready();
      res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' });
      res.end(ok ? 'ok\n' : 'not ready\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
