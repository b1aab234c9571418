/**
 * Mentor rules (upstream CourseBatchManagementActor.validateMentors): every mentor is an existing,
 * not deleted user of the batch creator's root organisation.
 */
import type { LmsDeps } from '../context.ts';
import type { DirectoryUser } from '../directory.ts';
import { lmsError, type LmsErrorKey } from '../errors.ts';

/** The first mentor problem (pure), or null when every mentor fits. */
export function mentorProblem(
  creatorRootOrgId: string | null,
  mentors: readonly string[],
  users: ReadonlyMap<string, DirectoryUser>,
): { key: Extract<LmsErrorKey, 'invalidUserId' | 'userNotAssociatedToRootOrg'>; args: string[] } | null {
  for (const id of mentors) {
    const user = users.get(id);
    if (!user || user.deleted) return { key: 'invalidUserId', args: [] };
    if (creatorRootOrgId === null || user.rootOrgId !== creatorRootOrgId) return { key: 'userNotAssociatedToRootOrg', args: [id] };
  }
  return null;
}

/** Throws upstream's error when a mentor does not fit the batch created by `creatorId`. */
export async function checkMentors(deps: Pick<LmsDeps, 'directory'>, creatorId: string | null, mentors: readonly string[]): Promise<void> {
  if (mentors.length === 0) return;
  const users = await deps.directory.users(creatorId ? [...mentors, creatorId] : mentors);
  const creatorRoot = creatorId ? (users.get(creatorId)?.rootOrgId ?? null) : null;
  const problem = mentorProblem(creatorRoot, mentors, users);
  if (problem) throw lmsError(problem.key, problem.args);
}
