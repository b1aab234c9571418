/**
 * Kafka messages of progress (pure), in upstream's shapes (lms-service ContentConsumptionActor,
 * InstructionEventGenerator, InstructionEvent.BATCH_USER_STATE_UPDATE). Topics without the
 * installation's prefix.
 *
 * `coursebatch.job.request`, keyed by the user id, one per user and batch written: the instruction
 * the activity-aggregate-updater job reads to recompute the enrolment's progress:
 * ```json
 * {"eid":"BE_JOB_REQUEST","ets":1700000000000,"mid":"LP.1700000000000.<uuid>",
 *  "actor":{"id":"Course Batch Updater","type":"System"},
 *  "context":{"pdata":{"id":"org.sunbird.platform","ver":"1.0"}},
 *  "object":{"id":"<batchId>_<userId>","type":"CourseBatchEnrolment"},
 *  "edata":{"userId":"<userId>","batchId":"<batchId>","courseId":"<courseId>",
 *    "contents":[{"contentId":"do_1","status":2}],"action":"batch-enrolment-update","iteration":1}}
 * ```
 * `batch.enrolment.sync.request` (a request without contents or assessments: recompute from the
 * stored consumption), same envelope with `edata` `{action:"user-enrolment-sync", iteration:1,
 * batchId, userId, courseId}`.
 *
 * `telemetry.assess`, keyed by the user id: each assessment as sent, its `userId` (and each event's
 * `actor.id`) set to the user the request is for, for the assessment-aggregator job.
 *
 * `contentstate.invalid`, unkeyed: what was not recorded, `{validUserIds, invalidContents?,
 * invalidAssessments?, ets}` (upstream's shape; each item carries `reason`: `other-user`,
 * `not-enrolled`, `unknown-content`, `batch-not-running`).
 */
import { randomUUID } from 'node:crypto';

/** Progress instructions for the activity-aggregate-updater. */
export const INSTRUCTION_TOPIC = 'coursebatch.job.request';
/** Enrolment recomputation requests for the enrolment-reconciliation job. */
export const ENROLMENT_SYNC_TOPIC = 'batch.enrolment.sync.request';
/** Assessment attempts for the assessment-aggregator. */
export const ASSESS_TOPIC = 'telemetry.assess';
/** What a progress request could not record. */
export const INVALID_TOPIC = 'contentstate.invalid';

/** Envelope fields every instruction shares. */
interface InstructionMeta {
  /** @default Date.now() */
  ets?: number;
  /** @default a random UUID */
  uuid?: string;
}

function instruction(objectId: string, edata: Record<string, unknown>, meta: InstructionMeta): Record<string, unknown> {
  const ets = meta.ets ?? Date.now();
  return {
    eid: 'BE_JOB_REQUEST',
    ets,
    mid: `LP.${ets}.${meta.uuid ?? randomUUID()}`,
    actor: { id: 'Course Batch Updater', type: 'System' },
    context: { pdata: { id: 'org.sunbird.platform', ver: '1.0' } },
    object: { id: objectId, type: 'CourseBatchEnrolment' },
    edata,
  };
}

/** The progress instruction of one user in one batch. */
export function progressInstruction(
  input: { userId: string; batchId: string; courseId: string; contents: readonly { contentId: string; status: number }[] },
  meta: InstructionMeta = {},
): Record<string, unknown> {
  return instruction(
    `${input.batchId}_${input.userId}`,
    {
      userId: input.userId,
      batchId: input.batchId,
      courseId: input.courseId,
      contents: input.contents.map((c) => ({ contentId: c.contentId, status: c.status })),
      action: 'batch-enrolment-update',
      iteration: 1,
    },
    meta,
  );
}

/** The request to recompute one enrolment from its stored consumption. */
export function enrolmentSyncRequest(input: { userId: string; batchId: string; courseId: string }, meta: InstructionMeta = {}): Record<string, unknown> {
  return instruction(
    `${input.batchId}_${input.userId}`,
    { action: 'user-enrolment-sync', iteration: 1, batchId: input.batchId, userId: input.userId, courseId: input.courseId },
    meta,
  );
}

/** An assessment as published: the request's assessment with the user (and each event's actor) set to `userId`. */
export function assessmentMessage(assessment: { events: readonly object[]; [field: string]: unknown }, userId: string): Record<string, unknown> {
  const events = assessment.events.map((event) => {
    const actor: unknown = (event as { actor?: unknown }).actor;
    if (typeof actor !== 'object' || actor === null || Array.isArray(actor) || Object.keys(actor).length === 0) return event;
    return { ...event, actor: { ...(actor as Record<string, unknown>), id: userId } };
  });
  return { ...assessment, userId, events };
}

/** What a request could not record. */
export function invalidStateMessage(
  input: { validUserIds: readonly string[]; invalidContents?: readonly Record<string, unknown>[]; invalidAssessments?: readonly Record<string, unknown>[] },
  ets: number = Date.now(),
): Record<string, unknown> {
  return {
    validUserIds: [...input.validUserIds],
    ...(input.invalidContents && input.invalidContents.length > 0 ? { invalidContents: [...input.invalidContents] } : {}),
    ...(input.invalidAssessments && input.invalidAssessments.length > 0 ? { invalidAssessments: [...input.invalidAssessments] } : {}),
    ets,
  };
}
