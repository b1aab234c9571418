/**
 * Creating a batch (upstream CourseBatchManagementActor.createCourseBatch): date rules, the course
 * must be known (and published: Live or Unlisted), the organisations must exist and the caller be
 * course staff or an administrator in each, mentors must belong to the creator's root organisation;
 * then a new id is claimed and the batch written with its index update.
 */
import { randomInt } from 'node:crypto';
import { isAnyAdmin, type Caller, type Static } from '@lern/kit';
import { isBatchStaff, mayCreateBatch } from '../access.ts';
import type { LmsDeps } from '../context.ts';
import { isBatchable } from '../courses/structures.ts';
import { forbiddenError, lmsError } from '../errors.ts';
import { checkCreateDates, statusOnCreate } from './dates.ts';
import { writeBatchChange } from './effects.ts';
import { checkMentors } from './mentors.ts';
import type { CreateBatchBody } from './schemas.ts';
import type { BatchRecord } from './store.ts';

/** The `request` of a create call. */
export type CreateBatchRequest = Static<typeof CreateBatchBody>['request'];

/**
 * A batch id in upstream's form: digits, time-ordered (`01` + epoch milliseconds + 4 random
 * digits), e.g. `0117012345678901234`.
 */
export function newBatchId(now: Date, random: number): string {
  return `01${now.getTime()}${String(random % 10_000).padStart(4, '0')}`;
}

/** The course named by a request (the schema guarantees one of the two). */
export function courseIdOf(request: { courseId?: string; collectionId?: string }): string {
  return request.courseId ?? request.collectionId ?? '';
}

const distinct = (ids: readonly string[] | undefined): string[] => [...new Set(ids ?? [])];

/** Claims a fresh id for the course (a clash with an existing id is retried). */
async function claimBatchId(deps: LmsDeps, courseId: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newBatchId(deps.now(), randomInt(10_000));
    if (await deps.batches.claimId(id, courseId)) return id;
  }
  throw new Error('could not claim a new batch id');
}

/** Creates the batch and returns its id. */
export async function createBatch(deps: LmsDeps, request: CreateBatchRequest, caller: Caller): Promise<string> {
  // Nobody without a staff or administrator role anywhere learns anything about courses here.
  if (!isBatchStaff(caller.grants) && !isAnyAdmin(caller.grants)) throw forbiddenError();
  const dateError = checkCreateDates(request, deps.today());
  if (dateError) throw lmsError(dateError);
  const courseId = courseIdOf(request);
  const structure = await deps.structures.get(courseId);
  if (!structure || !isBatchable(structure)) throw lmsError('invalidCourseId');
  const createdFor = distinct(request.createdFor);
  const orgs = await deps.directory.orgs(createdFor);
  const unknownOrg = createdFor.find((id) => !orgs.has(id));
  if (unknownOrg !== undefined) throw lmsError('invalidOrgId', [unknownOrg]);
  if (!mayCreateBatch(caller.grants, [...orgs.values()])) throw forbiddenError();
  const mentors = distinct(request.mentors);
  await checkMentors(deps, caller.userId, mentors);

  const batchId = await claimBatchId(deps, courseId);
  const batch: BatchRecord = {
    courseId,
    batchId,
    name: request.name,
    description: request.description ?? null,
    enrollmentType: request.enrollmentType,
    startDate: request.startDate,
    endDate: request.endDate ?? null,
    enrollmentEndDate: request.enrollmentEndDate ?? null,
    createdFor,
    mentors,
    status: statusOnCreate(request.startDate, deps.today()),
    createdBy: caller.userId,
    createdDate: deps.now(),
    updatedDate: null,
    tandc: request.tandc ?? null,
    certTemplates: {},
  };
  await writeBatchChange(deps, [deps.batches.insert(batch)], batchId);
  return batchId;
}
