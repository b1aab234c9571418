/**
 * Certificate issue (`POST /v1/course/batch/cert/issue`): batch staff ask for the certificates of a
 * batch that has templates; one `issue.certificate.request` instruction per user (the listed users,
 * or every active participant) goes through the outbox, which the collection-cert-pre-processor job
 * checks against each template's criteria. Upstream's answers: "No such batchId exists", "batchId is
 * not linked with courseId", "No certificate templates associated with <batchId>" (400).
 */
import { LernError, defineRoute, kafkaEntry, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { requireBatchStaff } from '../enrolments/operations.ts';
import { courseOrCollectionReading, lmsValidation } from '../errors.ts';
import { ISSUE_CERTIFICATE_TOPIC, issueCertificateEvent } from './issue-events.ts';
import { IssueBody, IssueQuery, IssueResult } from './issue-schemas.ts';

/** Instructions per outbox write (each is well under a kilobyte; a logged batch stays small). */
const PER_WRITE = 40;

const clientError = (message: string) => new LernError('CLIENT_ERROR', 'CLIENT_ERROR', message);

/** Publishes the issue instructions of a batch; returns how many users they name. */
export async function issueCertificates(
  deps: LmsDeps,
  input: { courseId: string; batchId: string; userIds?: readonly string[]; reIssue: boolean },
): Promise<number> {
  const users = input.userIds ? [...new Set(input.userIds)] : await deps.participants.participants(input.batchId, true);
  for (let i = 0; i < users.length; i += PER_WRITE) {
    const entries = users
      .slice(i, i + PER_WRITE)
      .map((userId) => kafkaEntry(ISSUE_CERTIFICATE_TOPIC, input.batchId, issueCertificateEvent({ batchId: input.batchId, courseId: input.courseId, userId, reIssue: input.reIssue })));
    await deps.outbox.write([], entries);
  }
  return users.length;
}

/** The certificate issue route. */
export function certificateIssueRoutes(deps: LmsDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/course/batch/cert/issue',
      // Narrowed in the handler to the batch's staff.
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(courseOrCollectionReading),
      schema: { body: IssueBody, querystring: IssueQuery, result: IssueResult },
      summary: 'Issue the certificates of a batch you manage (all active participants, or the listed users)',
      tags: ['certificates'],
      async handler(req) {
        const r = req.body.request;
        const courseId = (r.courseId ?? r.collectionId)!;
        const batch = await deps.batches.get(r.batchId);
        if (!batch) throw clientError('No such batchId exists');
        if (batch.courseId !== courseId) throw clientError('batchId is not linked with courseId');
        await requireBatchStaff(deps, req.caller, batch);
        if (Object.keys(batch.certTemplates).length === 0) throw clientError(`No certificate templates associated with ${r.batchId}`);
        const userCount = await issueCertificates(deps, { courseId, batchId: r.batchId, userIds: r.userIds, reIssue: req.query.reIssue === true });
        return {
          result: {
            status: `Certificates issue action for Course Batch Id ${r.batchId} submitted Successfully!`,
            batchId: r.batchId,
            courseId,
            collectionId: courseId,
            userCount,
          },
        };
      },
    }),
  ];
}
