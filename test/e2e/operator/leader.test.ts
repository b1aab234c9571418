/**
 * Two `lern operator` processes on one Lease: never both leading, the standby writes nothing, the
 * standby takes over when the leader dies. Also the metrics and health endpoints.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInstallation, cleanup, cluster, freePort, manifest, metric, spawnOperator, stopProcess, waitFor, waitReady, type Cluster } from './helpers.ts';

let c: Cluster;
const procs: { child: ChildProcess; port: number }[] = [];
const NAME = 'elect';

async function sample(port: number): Promise<{ leader: number; writes: number } | undefined> {
  try {
    return { leader: (await metric(port, 'lern_operator_leader')) ?? 0, writes: (await metric(port, 'lern_operator_writes_total')) ?? 0 };
  } catch {
    return undefined; // not up yet, or killed
  }
}

beforeAll(async () => {
  c = await cluster(import.meta.url);
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    procs.push({ child: spawnOperator(c, ['--metrics-port', String(port)]), port });
  }
  await Promise.all(procs.map((p) => waitFor('operator metrics', async () => (await fetch(`http://127.0.0.1:${p.port}/readyz`)).status === 200)));
});

afterAll(async () => {
  await Promise.all(procs.map((p) => stopProcess(p.child)));
  await cleanup(c);
});

describe('leader election', () => {
  it('exactly one replica acts; the other writes nothing', async () => {
    await applyInstallation(c, manifest(NAME));
    let bothLeading = 0;
    let samples = 0;
    let done = false;
    const ready = waitReady(c, NAME).finally(() => (done = true));
    while (!done) {
      const [a, b] = await Promise.all(procs.map((p) => sample(p.port)));
      if (a && b) {
        samples += 1;
        if (a.leader === 1 && b.leader === 1) bothLeading += 1;
        if (a.leader === 1) expect(b.writes).toBe(0);
        if (b.leader === 1) expect(a.writes).toBe(0);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await ready;
    expect(samples).toBeGreaterThan(3);
    expect(bothLeading).toBe(0);
    const states = await Promise.all(procs.map((p) => sample(p.port)));
    expect(states.map((s) => s!.leader).sort()).toEqual([0, 1]);
  });

  it('serves metrics and health', async () => {
    const port = procs[0]!.port;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of ['lern_operator_reconcile_total', 'lern_operator_reconcile_duration_seconds', 'lern_operator_queue_depth', 'lern_operator_installations_paused', 'lern_operator_installations_stuck', 'lern_operator_api_requests_total', 'lern_operator_process_resident_memory_bytes']) {
      expect(text, name).toContain(name);
    }
  });

  it('the standby takes over when the leader dies, and only then acts', async () => {
    const states = await Promise.all(procs.map((p) => sample(p.port)));
    const leaderIndex = states.findIndex((s) => s?.leader === 1);
    const leader = procs[leaderIndex]!;
    const standby = procs[1 - leaderIndex]!;
    await stopProcess(leader.child, 'SIGKILL');
    await waitFor('the standby leads', async () => (await sample(standby.port))?.leader === 1, 60_000);
    await applyInstallation(c, manifest(NAME, { services: { userorg: { replicas: 2 } } }));
    await waitReady(c, NAME);
    const d = await c.api.get<{ spec: { replicas: number } }>('Deployment', 'elect-userorg', c.namespace);
    expect(d.spec.replicas).toBe(2);
    expect((await sample(standby.port))!.writes).toBeGreaterThan(0);
  });
});
