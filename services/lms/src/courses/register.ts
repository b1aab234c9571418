/**
 * Registering a course's hierarchy by hand, for installations without a content platform (Lern's own
 * addition): an administrator of the owning root organisation (`channel`) sends the hierarchy; a
 * course already owned by another channel stays with it unless a system administrator replaces it.
 */
import { administers, isSystemAdmin, type Caller, type Static } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { forbiddenError, lmsError } from '../errors.ts';
import { parseHierarchy } from './hierarchy.ts';
import type { RegisterHierarchyBody } from './schemas.ts';

/** What a registration did. */
export interface Registration {
  courseId: string;
  leafNodes: number;
  units: number;
  applied: boolean;
}

/** Stores the hierarchy's structure. */
export async function registerHierarchy(deps: LmsDeps, request: Static<typeof RegisterHierarchyBody>['request'], caller: Caller): Promise<Registration> {
  const parsed = parseHierarchy(request.hierarchy, {
    name: request.name ?? null,
    channel: request.channel,
    status: request.status ?? 'Live',
    pkgVersion: request.pkgVersion ?? null,
  });
  if (!parsed.ok) throw lmsError('invalidParameterValue', [parsed.error, 'hierarchy']);
  const structure = parsed.value;
  const org = (await deps.directory.orgs([request.channel])).get(request.channel);
  if (!org) throw lmsError('invalidOrgId', [request.channel]);
  if (!administers(caller.grants, { orgIds: [org.id], rootOrgId: org.rootOrgId })) throw forbiddenError();
  const stored = await deps.structures.get(structure.courseId);
  if (stored?.channel && stored.channel !== request.channel && !isSystemAdmin(caller.grants)) throw forbiddenError();
  const applied = await deps.structures.apply(structure, 'api', caller.userId);
  return { courseId: structure.courseId, leafNodes: structure.leafNodes.length, units: Object.keys(structure.unitLeafNodes).length, applied };
}
