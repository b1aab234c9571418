/**
 * The Kafka message of an enrolment change (pure): upstream's telemetry AUDIT event of enrol and
 * unenrol (CourseEnrolmentActor.generateTelemetryAudit), which upstream's analytics count per batch
 * (collection summary: `eid` AUDIT, `edata.type` enrol, `context.cdata` the batch,
 * `object.rollup.l1` the course). Lern publishes it on `telemetry.audit`, keyed by the user id, in
 * the same outbox batch as the enrolment row, once per change (a repeated enrolment publishes nothing):
 *
 * ```json
 * {"eid":"AUDIT","ets":1700000000000,"ver":"3.0","mid":"LMS.6f0c...",
 *  "actor":{"id":"<userId>","type":"User"},
 *  "context":{"channel":"<channel or empty>","pdata":{"id":"org.sunbird.lms","pid":"lms-service","ver":"1.0"},
 *    "env":"CourseBatch","cdata":[{"id":"<courseId>","type":"Course"},{"id":"<batchId>","type":"CourseBatch"}],"rollup":{}},
 *  "object":{"id":"<userId>","type":"User","rollup":{"l1":"<courseId>"}},
 *  "edata":{"state":"Create","type":"enrol","props":["userId","courseId","batchId","enrolledDate","active"]}}
 * ```
 * `state` is `Create` for a first enrolment and `Update` when an enrolment is made active again or
 * inactive (`type` `unenrol`); `actor` is who made the change (the user, or the staff member who
 * enrolled them).
 */
import { randomUUID } from 'node:crypto';

/** Topic (without the installation's prefix) of the enrolment audit events. */
export const ENROLMENT_AUDIT_TOPIC = 'telemetry.audit';

/** What happened to an enrolment. */
export type EnrolmentChange = 'enrol' | 'reenrol' | 'unenrol';

/** Input of {@link enrolmentAuditEvent}. */
export interface EnrolmentAuditInput {
  change: EnrolmentChange;
  userId: string;
  courseId: string;
  batchId: string;
  /** Who made the change. */
  actorId: string;
  channel?: string | null;
  /** @default Date.now() */
  ets?: number;
  /** @default a random UUID */
  mid?: string;
}

/** The AUDIT event of one enrolment change. */
export function enrolmentAuditEvent(input: EnrolmentAuditInput): Record<string, unknown> {
  const enrol = input.change !== 'unenrol';
  return {
    eid: 'AUDIT',
    ets: input.ets ?? Date.now(),
    ver: '3.0',
    mid: `LMS.${input.mid ?? randomUUID()}`,
    actor: { id: input.actorId, type: 'User' },
    context: {
      channel: input.channel ?? '',
      pdata: { id: 'org.sunbird.lms', pid: 'lms-service', ver: '1.0' },
      env: 'CourseBatch',
      cdata: [
        { id: input.courseId, type: 'Course' },
        { id: input.batchId, type: 'CourseBatch' },
      ],
      rollup: {},
    },
    object: { id: input.userId, type: 'User', rollup: { l1: input.courseId } },
    edata: {
      state: input.change === 'enrol' ? 'Create' : 'Update',
      type: enrol ? 'enrol' : 'unenrol',
      props: enrol ? ['userId', 'courseId', 'batchId', 'enrolledDate', 'active'] : ['userId', 'courseId', 'batchId', 'active'],
    },
  };
}
