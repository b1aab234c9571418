/**
 * A user's course list (pure), as upstream's CourseEnrolmentActor.list builds it: active enrolments
 * only, newest enrolment first (at most the configured count), each with its course's facts and its
 * completion computed from the leaves completed against the course's leaf count; then the list
 * ordered by last content access, most recent first, enrolments never accessed last.
 */
import type { Static } from '@lern/kit';
import { sunbirdTimestampIn } from '../dates.ts';
import { completionPercentage, completionStatus } from './decide.ts';
import type { CourseEnrolment } from './schemas.ts';
import type { EnrolmentRecord } from './store.ts';

/** One item of the list. */
export type CourseEnrolmentView = Static<typeof CourseEnrolment>;

/** What the list shows of a course (from its learnt structure). */
export interface CourseFacts {
  courseId: string;
  name: string | null;
  channel: string | null;
  status: string | null;
  leafNodes: readonly string[];
}

/** Most enrolments a list holds (upstream's `enrollment_list_size`). */
export const DEFAULT_LIST_SIZE = 1000;

const time = (d: Date | null): number => (d ? d.getTime() : Number.NEGATIVE_INFINITY);

/** Active enrolments, newest enrolment first (undated ones after), at most `limit`. */
export function activeEnrolments(records: readonly EnrolmentRecord[], limit = DEFAULT_LIST_SIZE): EnrolmentRecord[] {
  return records
    .filter((r) => r.active)
    .sort((a, b) => time(b.enrolledDate) - time(a.enrolledDate))
    .slice(0, limit);
}

/** The list item of one enrolment (`course` null: the course's structure is not known). */
export function enrolmentView(r: EnrolmentRecord, course: CourseFacts | null, timeZone: string): CourseEnrolmentView {
  const leafNodesCount = course?.leafNodes.length ?? 0;
  const epoch = (d: Date | null): number | null => (d ? d.getTime() : null);
  return {
    userId: r.userId,
    courseId: r.courseId,
    collectionId: r.courseId,
    contentId: r.courseId,
    batchId: r.batchId,
    active: r.active,
    addedBy: r.addedBy,
    status: completionStatus(r.progress, leafNodesCount),
    progress: r.progress,
    completionPercentage: completionPercentage(r.progress, leafNodesCount),
    leafNodesCount,
    contentStatus: r.contentStatus,
    enrolledDate: r.enrolledDate ? sunbirdTimestampIn(r.enrolledDate, timeZone) : r.oldEnrolledDate,
    dateTime: epoch(r.dateTime),
    completedOn: epoch(r.completedOn),
    lastContentAccessTime: epoch(r.lastContentAccessTime),
    lastReadContentId: r.lastReadContentId,
    lastReadContentStatus: r.lastReadContentStatus,
    issuedCertificates: r.issuedCertificates,
    certificates: r.certificates,
    courseName: course?.name ?? null,
    description: null,
    courseLogoUrl: null,
    content: course
      ? { identifier: course.courseId, name: course.name, channel: course.channel, status: course.status, leafNodes: [...course.leafNodes], leafNodesCount }
      : { identifier: r.courseId },
  };
}

/** Orders items by last content access, most recent first; never-accessed ones keep their order, last. */
export function byLastAccess(items: readonly CourseEnrolmentView[]): CourseEnrolmentView[] {
  const accessed = items.filter((i) => i.lastContentAccessTime !== null).sort((a, b) => b.lastContentAccessTime! - a.lastContentAccessTime!);
  return [...accessed, ...items.filter((i) => i.lastContentAccessTime === null)];
}

/** The requested batch fields of a batch document, with its ids (upstream adds `batchId` and `identifier`). */
export function pickBatchFields(document: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of new Set([...fields, 'batchId', 'identifier'])) if (f in document) out[f] = document[f];
  return out;
}

/** The fields named in a comma-separated query value. */
export function fieldList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
