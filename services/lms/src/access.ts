/**
 * Who may manage course batches (pure). Upstream's gateway lets callers holding CONTENT_CREATOR,
 * COURSE_CREATOR or COURSE_MENTOR (in any organisation) create batches and change batches they
 * created or mentor (OPA policies of sunbird-devops `kubernetes/opa/lms`, CourseBatchManagementActor
 * `validateUserPermission`). Here the roles keep their scope:
 * - create: a batch for organisations (`createdFor`) needs one of those roles, or administrator
 *   rights, in each of them or in its root organisation; a batch for no organisation needs one of
 *   those roles somewhere;
 * - change (update, certificate templates, participants): the batch's creator or one of its mentors
 *   while holding one of those roles, or an administrator of one of its organisations;
 * - system administrators may do all of it.
 */
import { SYSTEM_SCOPE, administers, isSystemAdmin, type Caller, type Grant } from '@lern/kit';

/** The roles that make a caller batch staff (course creators and mentors). */
export const BATCH_STAFF_ROLES: readonly string[] = ['CONTENT_CREATOR', 'COURSE_CREATOR', 'COURSE_MENTOR'];

/** An organisation a batch is for, with its root. */
export interface OrgScope {
  id: string;
  rootOrgId: string;
}

/** What the change rules need to know about a batch. */
export interface BatchAccessFacts {
  createdBy: string | null;
  mentors: readonly string[];
  /** The batch's organisations (createdFor) that exist, with their roots. */
  orgs: readonly OrgScope[];
}

const staffGrants = (grants: readonly Grant[]): Grant[] => grants.filter((g) => BATCH_STAFF_ROLES.includes(g.role));

/** True when the grants hold a staff role in some organisation. */
export function isBatchStaff(grants: readonly Grant[]): boolean {
  return staffGrants(grants).some((g) => g.orgIds.length > 0);
}

/** True when the grants hold a staff role in the organisation, its root, or the system scope. */
export function isStaffOf(grants: readonly Grant[], org: OrgScope): boolean {
  return staffGrants(grants).some((g) => g.orgIds.includes(org.id) || g.orgIds.includes(org.rootOrgId) || g.orgIds.includes(SYSTEM_SCOPE));
}

const administersOrg = (grants: readonly Grant[], org: OrgScope): boolean => administers(grants, { orgIds: [org.id], rootOrgId: org.rootOrgId });

/** May the caller create a batch for these organisations (none: a batch for no organisation)? */
export function mayCreateBatch(grants: readonly Grant[], createdFor: readonly OrgScope[]): boolean {
  if (isSystemAdmin(grants)) return true;
  if (createdFor.length === 0) return isBatchStaff(grants);
  return createdFor.every((org) => isStaffOf(grants, org) || administersOrg(grants, org));
}

/** May the caller change the batch (update it, its certificate templates) or list its participants? */
export function mayManageBatch(caller: Caller, batch: BatchAccessFacts): boolean {
  const { grants } = caller;
  if (isSystemAdmin(grants)) return true;
  const ownsIt = batch.createdBy === caller.userId || batch.mentors.includes(caller.userId);
  if (ownsIt && isBatchStaff(grants)) return true;
  return batch.orgs.some((org) => administersOrg(grants, org));
}
