import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CEL_RULES, celField, lernInstallationCrd, lernInstallationCrdYaml, requiredEncryptionKeyRule, requiredStoreRule } from './crd.ts';
import { JOB_CATALOGUE, JOB_NAMES, SERVICE_CATALOGUE, SERVICE_NAMES } from './components.ts';
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

  it('the encryption key Secret is required exactly while a component that needs it is enabled', () => {
    const users = [
      ...SERVICE_NAMES.filter((n) => SERVICE_CATALOGUE[n].encryptionKey).map((n) => `self.services.${celField(n)}.enabled`),
      ...JOB_NAMES.filter((n) => JOB_CATALOGUE[n].encryptionKey).map((n) => `self.jobs.${celField(n)}.enabled`),
    ];
    expect(users).toContain('self.services.userorg.enabled');
    expect(requiredEncryptionKeyRule()).toMatchObject({
      rule: `has(self.encryptionKeySecretRef) || !(${users.join(' || ')})`,
      reason: 'FieldValueRequired',
      fieldPath: '.encryptionKeySecretRef',
    });
    expect(JSON.stringify(lernInstallationCrd())).toContain(JSON.stringify(requiredEncryptionKeyRule().rule));
  });

  it('enabled defaults to whether this version can run the component', () => {
    type Props = { properties: Record<string, { properties: Record<string, { properties: { enabled: { default: boolean } } }> }> };
    const spec = (lernInstallationCrd().spec as { versions: { schema: { openAPIV3Schema: { properties: { spec: Props } } } }[] }).versions[0]!.schema.openAPIV3Schema.properties.spec;
    for (const n of SERVICE_NAMES) expect(spec.properties.services!.properties[n]!.properties.enabled.default, n).toBe(SERVICE_CATALOGUE[n].runnable);
    for (const n of JOB_NAMES) expect(spec.properties.jobs!.properties[n]!.properties.enabled.default, n).toBe(JOB_CATALOGUE[n].runnable);
  });

  it('spec.networkPolicy is on by default and documented', () => {
    type Np = { default: unknown; description: string; properties: { enabled: { default: boolean }; publicFrom: { description: string } } };
    const np = (lernInstallationCrd().spec as { versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: { networkPolicy: Np } } } } } }[] }).versions[0]!.schema.openAPIV3Schema.properties.spec.properties.networkPolicy;
    expect(np.default).toEqual({});
    expect(np.properties.enabled.default).toBe(true);
    expect(np.description).toMatch(/9000.*9001/);
    expect(np.properties.publicFrom.description).toContain('Absent: any source');
  });
});
