/**
 * One catalogue of components (operator/src/api/components.ts) and the program agree: a component
 * the catalogue calls runnable has a loader for `lern service` or `lern job`, a folder with its
 * migrations for `lern migrate`, and nothing the program can run is missing from the catalogue.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverComponents, repoRoot } from '@lern/kit';
import { JOB_NAMES, RUNNABLE_JOBS, RUNNABLE_SERVICES, SERVICE_NAMES } from '@lern/operator/components';
import { SERVICES, serviceRefusal } from '../../services/registry.ts';
import { JOBS } from '../../jobs/registry.ts';

const root = repoRoot();
const folders = (parent: string): string[] => {
  try {
    return readdirSync(join(root, parent)).filter((n) => statSync(join(root, parent, n)).isDirectory() && n !== 'kit' && n !== 'node_modules');
  } catch {
    return [];
  }
};
const catalogue = { services: RUNNABLE_SERVICES, jobs: RUNNABLE_JOBS };

describe('the catalogue of components and the program', () => {
  it('every runnable service has a loader, and every loader a runnable catalogue entry', () => {
    expect(Object.keys(SERVICES).sort()).toEqual([...RUNNABLE_SERVICES].sort());
  });

  it('every runnable job has a loader, and every loader a runnable catalogue entry', () => {
    expect(Object.keys(JOBS).sort()).toEqual([...RUNNABLE_JOBS].sort());
  });

  it('each loader starts the component it is named after', async () => {
    for (const name of RUNNABLE_SERVICES) expect((await SERVICES[name]!()).name).toBe(name);
    for (const name of RUNNABLE_JOBS) expect((await JOBS[name]!()).name).toBe(name);
  });

  it('every runnable component has its folder, and every folder is a component of the catalogue', () => {
    expect(folders('services')).toEqual(expect.arrayContaining([...RUNNABLE_SERVICES]));
    expect(folders('jobs')).toEqual(expect.arrayContaining([...RUNNABLE_JOBS]));
    for (const f of folders('services')) expect(SERVICE_NAMES, `services/${f}`).toContain(f);
    for (const f of folders('jobs')) expect(JOB_NAMES, `jobs/${f}`).toContain(f);
  });

  it('the migration runner discovers exactly the catalogue, never the kit', async () => {
    const found = await discoverComponents(root, {}, catalogue);
    expect(found.map((c) => `${c.kind}/${c.name}`)).toEqual([...RUNNABLE_SERVICES.map((s) => `service/${s}`), ...RUNNABLE_JOBS.map((j) => `job/${j}`)]);
  });

  it('the migration runner refuses names outside the catalogue, even known ones', async () => {
    for (const notYet of SERVICE_NAMES.filter((n) => !RUNNABLE_SERVICES.includes(n))) {
      await expect(discoverComponents(root, { services: [notYet] }, catalogue)).rejects.toThrow(`unknown service '${notYet}' (this version runs: ${RUNNABLE_SERVICES.join(', ')})`);
    }
    await expect(discoverComponents(root, { services: ['kit'] }, catalogue)).rejects.toThrow(/unknown service 'kit'/);
    for (const notYet of JOB_NAMES.filter((n) => !RUNNABLE_JOBS.includes(n))) {
      await expect(discoverComponents(root, { jobs: [notYet] }, catalogue)).rejects.toThrow(`unknown job '${notYet}'`);
    }
    await expect(discoverComponents(root, {}, { services: ['ghost'], jobs: [] })).rejects.toThrow(/service 'ghost' is in the catalogue of components but its folder is missing/);
  });

  it('`lern service` tells a typo from a service of a later version', () => {
    const runs = `(this version runs: ${RUNNABLE_SERVICES.join(', ')})`;
    for (const name of RUNNABLE_SERVICES) expect(serviceRefusal(name)).toBeUndefined();
    for (const name of SERVICE_NAMES.filter((n) => !RUNNABLE_SERVICES.includes(n))) expect(serviceRefusal(name)).toBe(`service '${name}' is not in this version yet ${runs}`);
    expect(serviceRefusal('usrorg')).toBe(`unknown service 'usrorg' ${runs}`);
  });
});
