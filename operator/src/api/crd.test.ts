import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CEL_RULES, celField, lernInstallationCrd, lernInstallationCrdYaml, requiredStoreRule } from './crd.ts';
import { REPO_ROOT } from '../up.ts';

describe('the CRD', () => {
  it('crds/ holds exactly what the generator makes (run `lern operator crd` after changing it)', () => {
    const file = readFileSync(resolve(REPO_ROOT, 'crds', 'lern.sunbird.org_lerninstallations.yaml'), 'utf8');
    expect(file).toBe(lernInstallationCrdYaml());
    expect(parse(file)).toEqual(lernInstallationCrd());
  });

  it('has the status subresource, the short name and the printer columns', () => {
    const v = (lernInstallationCrd().spec as { versions: Record<string, unknown>[] }).versions[0]!;
    expect(v.subresources).toEqual({ status: {} });
    expect((v.additionalPrinterColumns as { name: string }[]).map((c) => c.name)).toEqual(['Version', 'Ready', 'Phase', 'Target', 'Age']);
    expect((lernInstallationCrd().spec as { names: { shortNames: string[] } }).names.shortNames).toEqual(['lern']);
  });

  it('every CEL rule is used in the schema', () => {
    const text = JSON.stringify(lernInstallationCrd());
    for (const [name, rule] of Object.entries(CEL_RULES)) expect(text.includes(JSON.stringify(rule.rule)), name).toBe(true);
  });

  it('store rules name exactly the components that use the store', () => {
    expect(requiredStoreRule('postgres').rule).toBe('has(self.postgres) || !(self.services.lms.enabled)');
    expect(requiredStoreRule('search').message).toContain('userorg, lms, collection-certificate-generator, user-deletion-cleanup');
    expect(celField('user-cache-updater')).toBe('user__dash__cache__dash__updater');
  });
});
