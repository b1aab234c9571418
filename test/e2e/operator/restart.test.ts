/**
 * The operator is killed (SIGKILL) at random points of an upgrade and started again; the installation
 * converges: every component at the new version, each migration run once, status truthful.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInstallation, childrenOf, cleanup, cluster, freePort, getInstallation, imageOf, manifest, spawnOperator, stopProcess, waitReady, type Cluster } from './helpers.ts';

let c: Cluster;
let child: ChildProcess | undefined;
const NAME = 'crash';

async function start(): Promise<void> {
  child = spawnOperator(c, ['--no-leader-elect', '--metrics-port', String(await freePort())]);
}

beforeAll(async () => {
  c = await cluster(import.meta.url);
  await start();
  await applyInstallation(c, manifest(NAME));
  await waitReady(c, NAME);
});

afterAll(async () => {
  if (child) await stopProcess(child);
  await cleanup(c);
});

describe('restarts during an upgrade', () => {
  it('converges after being killed at random points', async () => {
    const seed = Date.now();
    let state = seed;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    await applyInstallation(c, manifest(NAME, { version: '1.1.0' }));
    const phases: string[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 300 + random() * 2_500));
      phases.push((await getInstallation(c, NAME)).status?.phase ?? '');
      await stopProcess(child!, 'SIGKILL');
      await start();
    }
    const ready = await waitReady(c, NAME, 180_000);
    expect(ready.status, `seed ${seed}, phases at kills: ${phases.join(',')}`).toMatchObject({ version: '1.1.0', schemaVersion: '1.1.0', phase: 'Ready' });
    const deployments = await childrenOf(c, 'Deployment', NAME);
    expect(deployments).toHaveLength(14);
    expect(deployments.every((d) => imageOf(d as never).endsWith(':1.1.0'))).toBe(true);
    const jobs = await childrenOf<{ metadata: { name: string }; status?: { succeeded?: number } }>(c, 'Job', NAME);
    const newJobs = jobs.filter((j) => j.metadata.name.includes('-1-1-0-'));
    expect(newJobs).toHaveLength(3);
    expect(newJobs.every((j) => j.status?.succeeded === 1)).toBe(true);
  });
});
