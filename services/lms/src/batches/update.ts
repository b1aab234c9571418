/**
 * Changing a batch (upstream CourseBatchManagementActor.updateCourseBatch): only its manager may
 * (creator or mentor holding a staff role, or an administrator of one of its organisations); moving
 * it into further organisations needs the rights a creation there would need; the date rules of an
 * update apply; absent fields keep their value.
 */
import type { Caller, LernError, Static } from '@lern/kit';
import { mayCreateBatch, mayManageBatch } from '../access.ts';
import type { LmsDeps } from '../context.ts';
import { forbiddenError, lmsError } from '../errors.ts';
import { courseIdOf } from './create.ts';
import { checkUpdateDates, statusOnUpdate } from './dates.ts';
import { writeBatchChange } from './effects.ts';
import { checkMentors } from './mentors.ts';
import type { UpdateBatchBody } from './schemas.ts';
import type { BatchRecord } from './store.ts';

/** The `request` of an update call. */
export type UpdateBatchRequest = Static<typeof UpdateBatchBody>['request'];

/**
 * Reads the batch (of the course, when given) and checks the caller manages it; throws `missing()`
 * when there is no such batch, 403 when the caller may not manage it.
 */
export async function managedBatch(
  deps: LmsDeps,
  courseId: string | null,
  batchId: string,
  caller: Caller,
  missing: () => LernError = () => lmsError('invalidCourseBatchId'),
): Promise<BatchRecord> {
  const batch = courseId === null ? await deps.batches.get(batchId) : await deps.batches.getIn(courseId, batchId);
  if (!batch) throw missing();
  const orgs = await deps.directory.orgs(batch.createdFor);
  if (!mayManageBatch(caller, { createdBy: batch.createdBy, mentors: batch.mentors, orgs: [...orgs.values()] })) throw forbiddenError();
  return batch;
}

/** Applies the update. */
export async function updateBatch(deps: LmsDeps, request: UpdateBatchRequest, caller: Caller): Promise<void> {
  const stored = await managedBatch(deps, courseIdOf(request), request.id, caller);
  const createdFor = request.createdFor ? [...new Set(request.createdFor)] : stored.createdFor;
  const added = createdFor.filter((id) => !stored.createdFor.includes(id));
  if (added.length > 0) {
    const orgs = await deps.directory.orgs(added);
    const unknownOrg = added.find((id) => !orgs.has(id));
    if (unknownOrg !== undefined) throw lmsError('invalidOrgId', [unknownOrg]);
    if (!mayCreateBatch(caller.grants, [...orgs.values()])) throw forbiddenError();
  }
  const today = deps.today();
  const dateError = checkUpdateDates(stored, request, today);
  if (dateError) throw lmsError(dateError);
  const mentors = request.mentors ? [...new Set(request.mentors)] : stored.mentors;
  if (request.mentors) await checkMentors(deps, stored.createdBy, mentors.filter((id) => !stored.mentors.includes(id)));

  const updated: BatchRecord = {
    ...stored,
    name: request.name ?? stored.name,
    description: request.description === undefined ? stored.description : request.description,
    enrollmentType: request.enrollmentType ?? stored.enrollmentType,
    startDate: request.startDate,
    endDate: request.endDate ?? stored.endDate,
    enrollmentEndDate: request.enrollmentEndDate ?? stored.enrollmentEndDate,
    createdFor,
    mentors,
    status: statusOnUpdate(stored, request.startDate, today),
    updatedDate: deps.now(),
    tandc: request.tandc ?? stored.tandc,
  };
  await writeBatchChange(deps, [deps.batches.update(updated)], stored.batchId);
}
