/**
 * Adding and removing a batch's certificate templates (upstream CourseBatchCertificateActor): the
 * caller manages the batch, the batch belongs to the course named; the template is stored on the
 * batch and the batch re-indexed, in one outbox write.
 */
import type { Caller, Static } from '@lern/kit';
import { writeBatchChange } from '../batches/effects.ts';
import type { BatchRecord } from '../batches/store.ts';
import { managedBatch } from '../batches/update.ts';
import type { LmsDeps } from '../context.ts';
import { lmsError, lmsErrorWithMessage } from '../errors.ts';
import { MAX_TEMPLATES_PER_BATCH, type AddTemplateBody, type RemoveTemplateBody } from './schemas.ts';
import { toStoredTemplate } from './templates.ts';

/** The batch of a template request, checked as upstream does (400s), for a caller who manages it. */
async function templateBatch(deps: LmsDeps, ref: { courseId: string; batchId: string }, caller: Caller): Promise<BatchRecord> {
  const batch = await managedBatch(deps, null, ref.batchId, caller, () => lmsErrorWithMessage('invalidCourseBatchId', 'No such batchId exists'));
  if (batch.courseId !== ref.courseId) throw lmsErrorWithMessage('invalidCourseBatchId', 'batchId is not linked with courseId');
  return batch;
}

/** Adds (or replaces) a template. */
export async function addTemplate(deps: LmsDeps, request: Static<typeof AddTemplateBody>['request'], caller: Caller): Promise<void> {
  const batch = await templateBatch(deps, request.batch, caller);
  const { template } = request.batch;
  const count = Object.keys(batch.certTemplates).length;
  if (!(template.identifier in batch.certTemplates) && count >= MAX_TEMPLATES_PER_BATCH) {
    throw lmsError('invalidParameterValue', [template.identifier, `template (a batch holds at most ${MAX_TEMPLATES_PER_BATCH})`]);
  }
  const statement = deps.batches.addTemplate(batch.courseId, batch.batchId, template.identifier, toStoredTemplate(template), deps.now());
  await writeBatchChange(deps, [statement], batch.batchId);
}

/** Removes a template (nothing happens when the batch does not have it). */
export async function removeTemplate(deps: LmsDeps, request: Static<typeof RemoveTemplateBody>['request'], caller: Caller): Promise<void> {
  const batch = await templateBatch(deps, request.batch, caller);
  const id = request.batch.template.identifier;
  if (!(id in batch.certTemplates)) return;
  await writeBatchChange(deps, [deps.batches.removeTemplate(batch.courseId, batch.batchId, id, deps.now())], batch.batchId);
}
