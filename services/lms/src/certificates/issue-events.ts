/**
 * The certificate issue instruction (pure), upstream's shape (lms-service CertificateActor,
 * InstructionEvent.ISSUE_COURSE_CERTIFICATE), on `issue.certificate.request`, keyed by the batch id:
 *
 * ```json
 * {"eid":"BE_JOB_REQUEST","ets":1700000000000,"mid":"LP.1700000000000.<uuid>",
 *  "actor":{"id":"Course Certificate Generator","type":"System"},
 *  "context":{"pdata":{"id":"org.sunbird.platform","ver":"1.0"}},
 *  "object":{"id":"<sha256 hex of batchId_courseId>","type":"CourseCertificateGeneration"},
 *  "edata":{"userIds":["<userId>"],"batchId":"<batchId>","courseId":"<courseId>",
 *    "action":"issue-certificate","iteration":1,"reIssue":true}}
 * ```
 * Upstream sends one event for the whole batch (no `userIds`) or for the listed users; its
 * collection-cert-pre-processor reads only the first of `userIds` and skips an event without any, so
 * Lern sends one event per user, each with `userIds` of that one user. `reIssue` only when asked.
 */
import { createHash, randomUUID } from 'node:crypto';

/** Topic (without the installation's prefix) of certificate issue instructions. */
export const ISSUE_CERTIFICATE_TOPIC = 'issue.certificate.request';

/** Upstream's object id of a batch's certificate generation: SHA-256 (hex) of `<batchId>_<courseId>`. */
export function certificateObjectId(batchId: string, courseId: string): string {
  return createHash('sha256').update(`${batchId}_${courseId}`, 'utf8').digest('hex');
}

/** The issue instruction for one user of a batch. */
export function issueCertificateEvent(
  input: { batchId: string; courseId: string; userId: string; reIssue: boolean },
  meta: { ets?: number; uuid?: string } = {},
): Record<string, unknown> {
  const ets = meta.ets ?? Date.now();
  return {
    eid: 'BE_JOB_REQUEST',
    ets,
    mid: `LP.${ets}.${meta.uuid ?? randomUUID()}`,
    actor: { id: 'Course Certificate Generator', type: 'System' },
    context: { pdata: { id: 'org.sunbird.platform', ver: '1.0' } },
    object: { id: certificateObjectId(input.batchId, input.courseId), type: 'CourseCertificateGeneration' },
    edata: {
      userIds: [input.userId],
      batchId: input.batchId,
      courseId: input.courseId,
      action: 'issue-certificate',
      iteration: 1,
      ...(input.reIssue ? { reIssue: true } : {}),
    },
  };
}
