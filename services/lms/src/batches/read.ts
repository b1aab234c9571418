/** Reading batches: one by id (Cassandra), a search (the `course-batch` index), a batch's participants (the enrolments). */
import type { Caller, Static } from '@lern/kit';
import { INDEX, type LmsDeps } from '../context.ts';
import { lmsError } from '../errors.ts';
import type { ParticipantsBody } from './schemas.ts';
import { toBatchSearch, type BatchSearch } from './search.ts';
import { managedBatch } from './update.ts';
import { batchView, type BatchView } from './view.ts';

/** A batch's document; 404 when there is no such batch. */
export async function readBatch(deps: LmsDeps, batchId: string): Promise<BatchView> {
  const batch = await deps.batches.get(batchId);
  if (!batch) throw lmsError('invalidCourseBatchId', [], 'RESOURCE_NOT_FOUND');
  return batchView(batch, deps.timeZone);
}

/** A page of batches matching the request, with the total count. */
export async function searchBatches(deps: LmsDeps, request: BatchSearch): Promise<{ count: number; content: Partial<BatchView>[] }> {
  const result = await deps.search.search<Partial<BatchView>>(INDEX.batch, toBatchSearch(request));
  return { count: result.total, content: result.hits.map((hit) => hit.source) };
}

/** The users enrolled in a batch (or who left it, with `active: false`); for those who manage the batch. */
export async function listParticipants(
  deps: LmsDeps,
  request: Static<typeof ParticipantsBody>['request'],
  caller: Caller,
): Promise<{ count: number; participants: string[] }> {
  const batch = await managedBatch(deps, null, request.batch.batchId, caller);
  const participants = await deps.participants.participants(batch.batchId, request.batch.active ?? true);
  return { count: participants.length, participants };
}
