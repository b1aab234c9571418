/**
 * The Argo CD health check run by the real Lua 5.1 interpreter against installations the operator
 * really wrote (examples/argocd/testdata, captured by the e2e suites with LERN_CAPTURE_ARGOCD=1).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../up.ts';
import { argoHealth, HEALTH_LUA, toLua } from './lua.ts';

interface HealthCase {
  healthStatus: { status: string; message: string };
  inputPath: string;
}

const dir = resolve(REPO_ROOT, 'examples', 'argocd');
const cases = (parse(readFileSync(resolve(dir, 'health_test.yaml'), 'utf8')) as { tests: HealthCase[] }).tests;
const load = (path: string) => parse(readFileSync(resolve(dir, path), 'utf8')) as { metadata: { generation: number }; status?: Record<string, unknown>; spec: Record<string, unknown> };

describe('Argo CD health check (lua5.1)', () => {
  it('covers every health Argo CD can show for an installation', () => {
    expect(new Set(cases.map((c) => c.healthStatus.status))).toEqual(new Set(['Progressing', 'Healthy', 'Degraded', 'Suspended']));
  });

  it.each(cases.map((c) => [c.inputPath, c] as const))('%s', (_path, c) => {
    expect(argoHealth(load(c.inputPath))).toEqual(c.healthStatus);
  });

  it('a spec the operator has not observed yet is Progressing, not the old Healthy', () => {
    const healthy = load('testdata/healthy.yaml');
    healthy.metadata.generation += 1;
    expect(argoHealth(healthy)).toEqual({ status: 'Progressing', message: `Waiting for the Lern operator to observe generation ${healthy.metadata.generation}` });
  });

  it('an installation without status is Progressing', () => {
    const fresh = load('testdata/healthy.yaml');
    delete fresh.status;
    expect(argoHealth(fresh).status).toBe('Progressing');
  });

  it('argocd-cm.yaml carries health.lua verbatim', () => {
    const cm = parse(readFileSync(resolve(dir, 'argocd-cm.yaml'), 'utf8')) as { data: Record<string, string> };
    expect(cm.data['resource.customizations.health.lern.sunbird.org_LernInstallation']).toBe(readFileSync(HEALTH_LUA, 'utf8'));
  });

  it('converts JSON to Lua tables', () => {
    expect(toLua({ a: [1, 'x'], b: null, c: { d: true } })).toBe('{["a"] = {1, "x"}, ["c"] = {["d"] = true}}');
  });
});
