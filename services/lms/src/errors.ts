/**
 * The LMS error catalogue: upstream lms-service puts the key of its ResponseCode straight into
 * `params.err` (no service prefix), e.g. `MANDATORY_PARAMETER_MISSING`, `END_DATE_ERROR`. The kit's
 * reason codes cover the validation errors; the entries below are the lms-only ones, with upstream's
 * messages (ResponseMessage.java, reference/upstream-api/_reference/lms_error_catalog.json).
 */
import {
  DEFAULT_ERROR_CODES,
  LernError,
  MESSAGES,
  formatMessage,
  sunbirdValidationError,
  type ErrorCodes,
  type ResponseCode,
  type ValidationErrorMapper,
  type ValidationIssue,
} from '@lern/kit';

/** err code and message template of every lms-specific failure. */
export const LMS_ERRORS = {
  mandatoryParamsMissing: { err: 'MANDATORY_PARAMETER_MISSING', message: MESSAGES.mandatoryParamsMissing },
  invalidParameterValue: { err: 'INVALID_PARAMETER_VALUE', message: MESSAGES.invalidParameterValue },
  invalidRequestData: { err: 'INVALID_REQUESTED_DATA', message: MESSAGES.invalidRequestData },
  dateFormatError: { err: 'DATE_FORMAT_ERRROR', message: 'Date format error.' },
  endDateError: { err: 'END_DATE_ERROR', message: 'End date should be greater than start date.' },
  courseBatchStartDateInvalid: { err: 'COURSE_BATCH_START_DATE_INVALID', message: 'Batch start date should be either today or future date.' },
  enrollmentEndDateStartError: { err: 'ENROLLMENT_END_DATE_START_ERROR', message: 'Enrollment End date should be greater than course batch start date.' },
  enrollmentEndDateEndError: { err: 'ENROLLMENT_END_DATE_END_ERROR', message: 'Enrollment End date should be lesser than course batch end date.' },
  enrollmentEndDateUpdateError: { err: 'ENROLLMENT_END_DATE_UPDATE_ERROR', message: 'Invalid Enrollment End date. Please provide future date.' },
  invalidBatchStartDateError: { err: 'INVALID_BATCH_START_DATE_ERROR', message: 'Please provide valid Start Date.' },
  invalidBatchEndDateError: { err: 'INVALID_BATCH_END_DATE_ERROR', message: 'Please provide valid End Date.' },
  courseBatchEndDateError: { err: 'COURSE_BATCH_END_DATE_ERROR', message: 'Batch has been closed.' },
  invalidCourseId: { err: 'INVALID_COURSE_ID', message: 'Course doesnot exist. Please provide a valid course identifier' },
  invalidCourseBatchId: { err: 'INVALID_COURSE_BATCH_ID', message: 'Invalid course batch id' },
  invalidOrgId: { err: 'INVALID_ORG_ID', message: 'Organisation {0} does not exist.' },
  invalidUserId: { err: 'INVALID_USER_ID', message: 'User Id does not exists in our records' },
  userNotAssociatedToRootOrg: { err: 'USER_NOT_ASSOCIATED_TO_ROOT_ORG', message: 'User (ID = {0}) not associated to course batch creator root org.' },
  resourceNotFound: { err: 'RESOURCE_NOT_FOUND', message: 'Requested resource not found' },
  forbidden: { err: 'FORBIDDEN', message: MESSAGES.errorForbidden },
} as const;

/** One entry of {@link LMS_ERRORS}. */
export type LmsErrorKey = keyof typeof LMS_ERRORS;

/** err codes of the kit's own failures, as lms-service answers them. */
export const KIT_ERROR_CODES: Readonly<ErrorCodes> = { ...DEFAULT_ERROR_CODES, serverError: 'INTERNAL_ERROR' };

/** The error of `key` with its message filled from `args`; a client error unless told otherwise. */
export function lmsError(key: LmsErrorKey, args: readonly unknown[] = [], responseCode: ResponseCode = 'CLIENT_ERROR'): LernError {
  const { err, message } = LMS_ERRORS[key];
  return new LernError(responseCode, err, formatMessage(message, ...args));
}

/** The error of `key` with upstream's wording for one operation (e.g. "No such batchId exists"). */
export function lmsErrorWithMessage(key: LmsErrorKey, message: string, responseCode: ResponseCode = 'CLIENT_ERROR'): LernError {
  return new LernError(responseCode, LMS_ERRORS[key].err, message);
}

/** 403 for a caller the handler refuses after looking at the resource. */
export const forbiddenError = (): LernError => lmsError('forbidden', [], 'FORBIDDEN');

/** Request fields holding a `yyyy-MM-dd` date: a malformed one is upstream's DATE_FORMAT_ERRROR. */
export const DATE_FIELDS: ReadonlySet<string> = new Set(['startDate', 'endDate', 'enrollmentEndDate']);

/** A route's own reading of a schema violation (undefined: the standard mapping). */
export type IssueReading = (issue: ValidationIssue) => { key: LmsErrorKey; args?: readonly unknown[] } | undefined;

/** Reads "one of courseId and collectionId is missing" (an anyOf over both) as upstream words it. */
export const courseOrCollectionReading: IssueReading = (issue) =>
  issue.kind === 'missing' && issue.field === 'courseId' && issue.path === 'request.courseId' ? { key: 'mandatoryParamsMissing', args: ['courseId/collectionId'] } : undefined;

function shown(value: unknown): string {
  if (typeof value === 'string') return value.slice(0, 64);
  const json = JSON.stringify(value) ?? '';
  return json.length > 64 ? `${json.slice(0, 61)}...` : json;
}

/**
 * Validation errors as lms-service reports them: the unprefixed Sunbird keys, a malformed date as
 * DATE_FORMAT_ERRROR, a value outside an enumeration as INVALID_PARAMETER_VALUE ("Invalid value join
 * for parameter enrollmentType. ..."), and whatever the route's `reading` says first.
 */
export function lmsValidation(reading?: IssueReading): ValidationErrorMapper {
  const standard = sunbirdValidationError();
  return (issue) => {
    const own = reading?.(issue);
    if (own) {
      const { err, message } = LMS_ERRORS[own.key];
      return { err, errmsg: formatMessage(message, ...(own.args ?? [])) };
    }
    if (issue.kind === 'format' && DATE_FIELDS.has(issue.field)) return { err: LMS_ERRORS.dateFormatError.err, errmsg: LMS_ERRORS.dateFormatError.message };
    if (issue.kind === 'enum') {
      return { err: LMS_ERRORS.invalidParameterValue.err, errmsg: formatMessage(LMS_ERRORS.invalidParameterValue.message, shown(issue.value), issue.field) };
    }
    return standard(issue);
  };
}
