/**
 * A course batch as the API and the `course-batch` index show it (pure): upstream's field names,
 * the batch id repeated as `identifier`/`id`/`batchId`, the course id as `courseId` and
 * `collectionId`, dates as `yyyy-MM-dd`, timestamps as Sunbird text, and the certificate templates
 * under both names upstream uses (`cert_templates`, `certTemplates`).
 */
import type { Static } from '@lern/kit';
import { templatesView } from '../certificates/templates.ts';
import { sunbirdTimestampIn } from '../dates.ts';
import type { BatchDocument } from '../schemas.ts';
import type { BatchRecord } from './store.ts';

/** The API document of a batch. */
export type BatchView = Static<typeof BatchDocument>;

/** The document of a batch in the zone the installation runs in. */
export function batchView(b: BatchRecord, timeZone: string): BatchView {
  const templates = templatesView(b.certTemplates);
  return {
    identifier: b.batchId,
    id: b.batchId,
    batchId: b.batchId,
    courseId: b.courseId,
    collectionId: b.courseId,
    name: b.name,
    description: b.description,
    enrollmentType: b.enrollmentType,
    startDate: b.startDate,
    endDate: b.endDate,
    enrollmentEndDate: b.enrollmentEndDate,
    createdFor: b.createdFor,
    mentors: b.mentors,
    status: b.status,
    createdBy: b.createdBy,
    createdDate: b.createdDate ? sunbirdTimestampIn(b.createdDate, timeZone) : null,
    updatedDate: b.updatedDate ? sunbirdTimestampIn(b.updatedDate, timeZone) : null,
    tandc: b.tandc,
    cert_templates: templates,
    certTemplates: templates,
  };
}
