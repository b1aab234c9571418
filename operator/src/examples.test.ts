import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withDefaults } from './api/defaults.ts';
import { validateSpec } from './api/validate.ts';
import { plan } from './plan/plan.ts';
import { NOTHING_OBSERVED } from './plan/observed.ts';
import { REPO_ROOT } from './up.ts';
import { lernInstallationCrdYaml } from './api/crd.ts';
import type { LernInstallation } from './api/types.ts';
import { SERVICE_CATALOGUE, SERVICE_NAMES } from './api/components.ts';

const example = (file: string) => parse(readFileSync(resolve(REPO_ROOT, 'examples', file), 'utf8')) as LernInstallation;

describe('examples', () => {
  it.each(['minimal.yaml', 'production.yaml'])('%s is valid and plans its migrations first', (file) => {
    const inst = example(file);
    inst.metadata.namespace ??= 'lern';
    const spec = withDefaults(inst.spec);
    expect(validateSpec(spec)).toEqual([]);
    const p = plan({ ...inst, spec }, NOTHING_OBSERVED);
    expect(p.phase).toBe('Migrating');
    // what the CRD's CEL rule asks: the key is referenced while a component that needs it runs
    const needsKey = SERVICE_NAMES.some((n) => spec.services[n].enabled && SERVICE_CATALOGUE[n].encryptionKey);
    expect(needsKey && spec.encryptionKeySecretRef === undefined).toBe(false);
    // and every component it runs by default is one this version's program can run
    const enabled = SERVICE_NAMES.filter((n) => spec.services[n].enabled);
    expect(enabled.every((n) => SERVICE_CATALOGUE[n].runnable), enabled.join(',')).toBe(true);
  });

  it('the chart ships the same CRD as crds/', () => {
    expect(readFileSync(resolve(REPO_ROOT, 'charts', 'lern-operator', 'crds', 'lern.sunbird.org_lerninstallations.yaml'), 'utf8')).toBe(lernInstallationCrdYaml());
  });
});
