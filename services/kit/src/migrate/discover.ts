import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A service or job that may carry migrations in `<dir>/migrations/<store>/`. */
export interface Component {
  kind: 'service' | 'job';
  name: string;
  /** The component's folder (absolute). */
  dir: string;
}

/** Which components to migrate; absent lists mean "all of that kind" only when both are absent. */
export interface ComponentFilter {
  services?: string[];
  jobs?: string[];
}

/**
 * The components this version of the program can run, by kind: the catalogue in
 * operator/src/api/components.ts, handed over by the cli (the kit never imports the operator).
 */
export interface ComponentCatalogue {
  services: readonly string[];
  jobs: readonly string[];
}

/** The repository (or image) root: four levels above this file. */
export function repoRoot(): string {
  return fileURLToPath(new URL('../../../../', import.meta.url));
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function listKind(root: string, kind: Component['kind']): Promise<Component[]> {
  const parent = join(root, kind === 'service' ? 'services' : 'jobs');
  if (!(await isDir(parent))) return [];
  const names = (await readdir(parent, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  return names.sort().map((name) => ({ kind, name, dir: join(parent, name) }));
}

/** With a catalogue, the folders it names (each must exist); without one, every folder. */
function known(all: Component[], kind: Component['kind'], catalogue: ComponentCatalogue | undefined): Component[] {
  if (!catalogue) return all;
  return (kind === 'service' ? catalogue.services : catalogue.jobs).map((name) => {
    const found = all.find((c) => c.name === name);
    if (!found) throw new Error(`${kind} '${name}' is in the catalogue of components but its folder is missing from this build`);
    return found;
  });
}

/**
 * The components under `services/` and `jobs/`: those of the catalogue when one is given (so folders
 * such as the kit's own are never taken for components), otherwise every folder. With a filter, only
 * the named ones (both kinds when both lists are given); an unknown name is an error, so a typo
 * never silently migrates nothing.
 */
export async function discoverComponents(root: string = repoRoot(), filter: ComponentFilter = {}, catalogue?: ComponentCatalogue): Promise<Component[]> {
  const services = known(await listKind(root, 'service'), 'service', catalogue);
  const jobs = known(await listKind(root, 'job'), 'job', catalogue);
  if (filter.services === undefined && filter.jobs === undefined) return [...services, ...jobs];
  const pick = (all: Component[], names: string[] | undefined, kind: string): Component[] =>
    (names ?? []).map((name) => {
      const found = all.find((c) => c.name === name);
      if (!found) throw new Error(`unknown ${kind} '${name}' (${catalogue ? 'this version runs' : 'known'}: ${all.map((c) => c.name).join(', ') || 'none'})`);
      return found;
    });
  return [...pick(services, filter.services, 'service'), ...pick(jobs, filter.jobs, 'job')];
}
