/**
 * The batch routes. Who may call each (upstream: gateway ACL groups plus the OPA policies of
 * sunbird-devops `kubernetes/opa/lms`, which check unscoped roles; here the roles keep their
 * organisation scope, see access.ts):
 * - create: signed-in callers; the handler admits course staff (CONTENT_CREATOR, COURSE_CREATOR,
 *   COURSE_MENTOR) or administrators of every organisation the batch is for (403 otherwise).
 *   Upstream: ACL createBatch + those roles anywhere.
 * - update, participants: signed-in callers; the handler admits the batch's creator or mentors
 *   holding a staff role, and administrators of its organisations. Upstream: the same roles, and
 *   the actor's creator-or-mentor check (update) / ACL courseCreate (participants).
 * - read: any signed-in user (upstream OPA `getBatch`: the PUBLIC role, i.e. every user).
 * - search: public (upstream ACL anonymousCourseAccess: the course page lists batches to visitors).
 */
import { defineRoute, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { courseOrCollectionReading, lmsValidation } from '../errors.ts';
import { SuccessResult } from '../schemas.ts';
import { createBatch } from './create.ts';
import { listParticipants, readBatch, searchBatches } from './read.ts';
import {
  BatchIdParams,
  CreateBatchBody,
  CreateBatchResult,
  ParticipantsBody,
  ParticipantsResult,
  ReadBatchResult,
  SearchBatchBody,
  SearchBatchResult,
  UpdateBatchBody,
} from './schemas.ts';
import { updateBatch } from './update.ts';

const TAGS = ['batch'];

/** Every batch route. */
export function batchRoutes(deps: LmsDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/course/batch/create',
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(courseOrCollectionReading),
      schema: { body: CreateBatchBody, result: CreateBatchResult },
      summary: 'Create a batch of a course',
      description: 'Course staff (CONTENT_CREATOR, COURSE_CREATOR, COURSE_MENTOR) or administrators of every organisation in createdFor (or of its root organisation).',
      tags: TAGS,
      handler: async (req) => ({ response: 'SUCCESS' as const, batchId: await createBatch(deps, req.body.request, req.caller!) }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/course/batch/update',
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(courseOrCollectionReading),
      schema: { body: UpdateBatchBody, result: SuccessResult },
      summary: 'Update a batch',
      description: "The batch's creator or mentors (holding a course staff role), or administrators of its organisations.",
      tags: TAGS,
      handler: async (req) => {
        await updateBatch(deps, req.body.request, req.caller!);
        return { response: 'SUCCESS' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/course/batch/read/:batchId',
      policy: 'authenticated',
      errors: [404],
      validationError: lmsValidation(),
      schema: { params: BatchIdParams, result: ReadBatchResult },
      summary: 'Read a batch',
      tags: TAGS,
      handler: async (req) => ({ response: await readBatch(deps, req.params.batchId) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/course/batch/search',
      policy: 'public',
      validationError: lmsValidation(),
      schema: { body: SearchBatchBody, result: SearchBatchResult },
      summary: 'Search batches',
      tags: TAGS,
      handler: async (req) => ({ response: await searchBatches(deps, req.body.request) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/batch/participants/list',
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(),
      schema: { body: ParticipantsBody, result: ParticipantsResult },
      summary: "List a batch's participants",
      description: "The batch's creator or mentors (holding a course staff role), or administrators of its organisations.",
      tags: TAGS,
      handler: async (req) => ({ batch: await listParticipants(deps, req.body.request, req.caller!) }),
    }),
  ];
}
