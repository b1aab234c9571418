/**
 * The date rules of a course batch, as upstream applies them (CourseBatchRequestValidator and
 * CourseBatchManagementActor): pure functions over `yyyy-MM-dd` texts (which order like the dates)
 * and today's date in the installation's zone. Each returns the first broken rule's error key, or
 * null when the dates are acceptable.
 */
import type { CalendarDate } from '../dates.ts';
import type { LmsErrorKey } from '../errors.ts';

/** Upstream's ProgressStatus of a batch. */
export const BATCH_STATUS = { notStarted: 0, started: 1, completed: 2 } as const;

/** The dates a create request carries. */
export interface RequestedDates {
  startDate: CalendarDate;
  endDate?: CalendarDate | null;
  enrollmentEndDate?: CalendarDate | null;
}

/** A stored batch's dates and status. */
export interface StoredDates {
  startDate: CalendarDate | null;
  endDate: CalendarDate | null;
  enrollmentEndDate: CalendarDate | null;
  status: number;
}

/** The error keys these rules produce. */
export type DateRuleError = Extract<
  LmsErrorKey,
  | 'courseBatchStartDateInvalid'
  | 'endDateError'
  | 'enrollmentEndDateStartError'
  | 'enrollmentEndDateEndError'
  | 'enrollmentEndDateUpdateError'
  | 'invalidBatchStartDateError'
  | 'invalidBatchEndDateError'
  | 'courseBatchEndDateError'
>;

const given = (d: CalendarDate | null | undefined): d is CalendarDate => typeof d === 'string' && d !== '';

/**
 * A new batch: it starts today or later; it ends after it starts; enrolment closes neither before
 * the start nor after the end.
 */
export function checkCreateDates(requested: RequestedDates, today: CalendarDate): DateRuleError | null {
  const { startDate, endDate, enrollmentEndDate } = requested;
  if (startDate < today) return 'courseBatchStartDateInvalid';
  if (given(endDate) && startDate >= endDate) return 'endDateError';
  if (given(enrollmentEndDate) && enrollmentEndDate < startDate) return 'enrollmentEndDateStartError';
  if (given(enrollmentEndDate) && given(endDate) && enrollmentEndDate > endDate) return 'enrollmentEndDateEndError';
  return null;
}

/** The status a new batch gets: started when it starts today. */
export function statusOnCreate(startDate: CalendarDate, today: CalendarDate): number {
  return startDate === today ? BATCH_STATUS.started : BATCH_STATUS.notStarted;
}

/**
 * An update (the request always carries the start date, as upstream requires; an absent or null end
 * or enrolment end keeps the stored one):
 * - the end follows the start and is not in the past;
 * - a batch that has started keeps its start date, and a new start date is not in the past;
 * - a closed batch (stored end in the past, or completed) is not changed;
 * - enrolment closes neither before the start nor after the end, and a changed enrolment end is not
 *   in the past; a kept enrolment end must still fit a moved end date.
 */
export function checkUpdateDates(stored: StoredDates, requested: RequestedDates, today: CalendarDate): DateRuleError | null {
  const start = requested.startDate;
  const end = given(requested.endDate) ? requested.endDate : stored.endDate;
  const enrolEnd = given(requested.enrollmentEndDate) ? requested.enrollmentEndDate : stored.enrollmentEndDate;
  if (given(requested.endDate) && start >= requested.endDate) return 'endDateError';
  if (given(requested.endDate) && requested.endDate < today) return 'invalidBatchEndDateError';
  const storedStart = stored.startDate;
  if (storedStart !== null && storedStart <= today && start !== storedStart) return 'invalidBatchStartDateError';
  if (start < today && start !== storedStart) return 'invalidBatchStartDateError';
  if (end !== null && start > end) return 'invalidBatchEndDateError';
  if ((end !== null && end < today) || (stored.endDate !== null && stored.endDate < today)) return 'courseBatchEndDateError';
  if (stored.status === BATCH_STATUS.completed) return 'courseBatchEndDateError';
  if (given(requested.enrollmentEndDate)) {
    const requestedEnrolEnd = requested.enrollmentEndDate;
    if (requestedEnrolEnd < start) return 'enrollmentEndDateStartError';
    if (end !== null && requestedEnrolEnd > end) return 'enrollmentEndDateEndError';
    if (requestedEnrolEnd !== stored.enrollmentEndDate && requestedEnrolEnd < today) return 'enrollmentEndDateUpdateError';
  } else if (enrolEnd !== null && end !== null && enrolEnd > end) {
    return 'enrollmentEndDateEndError';
  }
  return null;
}

/** The status after an update: a batch whose start is today has started (upstream sets it on update). */
export function statusOnUpdate(stored: StoredDates, startDate: CalendarDate, today: CalendarDate): number {
  if (stored.status === BATCH_STATUS.notStarted && startDate === today) return BATCH_STATUS.started;
  return stored.status;
}
