/**
 * Enrolment failures as lms-service answers them: upstream's ResponseCode keys in `err` and its
 * messages (ResponseMessage.java; reference/upstream-api/_reference/lms_error_catalog.json).
 */
import { LernError, formatMessage, type ResponseCode } from '@lern/kit';

/** err code, message template and HTTP meaning of each enrolment failure. */
export const ENROLMENT_ERRORS = {
  invalidCourseBatchId: { err: 'INVALID_COURSE_BATCH_ID', message: 'Invalid course batch id ', code: 'CLIENT_ERROR' },
  batchCompleted: { err: 'COURSE_BATCH_ALREADY_COMPLETED', message: 'Course batch is already completed.', code: 'CLIENT_ERROR' },
  enrolmentEnded: { err: 'COURSE_BATCH_ENROLLMENT_DATE_ENDED', message: 'Course batch enrollment date has ended.', code: 'CLIENT_ERROR' },
  enrolmentType: { err: 'ENROLLMENT_TYPE_VALIDATION', message: 'Enrollment type should be invite-only.', code: 'CLIENT_ERROR' },
  /** Self-enrolment into an invite-only batch: the batch takes participants its staff enrols. */
  inviteOnly: {
    err: 'ENROLLMENT_TYPE_VALIDATION',
    message: 'The batch is invite-only: its mentors or administrators enrol its participants.',
    code: 'FORBIDDEN',
  },
  notEnrolled: { err: 'USER_NOT_ENROLLED_COURSE', message: 'User is not enrolled to given course batch.', code: 'CLIENT_ERROR' },
  alreadyCompleted: { err: 'USER_ALREADY_COMPLETED_COURSE', message: 'User already completed given course batch.', code: 'CLIENT_ERROR' },
  createdForNull: { err: 'COURSE_CREATED_FOR_NULL', message: 'Batch does not belong to any organization .', code: 'CLIENT_ERROR' },
  invalidUserId: { err: 'INVALID_USER_ID', message: 'User Id does not exists in our records', code: 'CLIENT_ERROR' },
  notInRootOrg: { err: 'USER_NOT_ASSOCIATED_TO_ROOT_ORG', message: 'User (ID = {0}) not associated to course batch creator root org.', code: 'CLIENT_ERROR' },
  notBatchStaff: { err: 'FORBIDDEN', message: 'You are forbidden from accessing specified resource.', code: 'FORBIDDEN' },
  emptyCsv: { err: 'EMPTY_CSV_FILE', message: 'CSV file is Empty.', code: 'CLIENT_ERROR' },
  noDataRows: { err: 'ERROR_CSV_NO_DATA_ROWS', message: 'No data rows in CSV.', code: 'CLIENT_ERROR' },
  invalidColumns: { err: 'INVALID_COLUMNS', message: 'Invalid column: {0}. Valid columns are: {1}.', code: 'CLIENT_ERROR' },
  invalidCsv: { err: 'INVALID_CSV_FILE', message: 'Please provide valid csv file.', code: 'CLIENT_ERROR' },
  dataSizeExceeded: { err: 'DATA_SIZE_EXCEEDED', message: 'Maximum upload data size should be {0}', code: 'CLIENT_ERROR' },
} as const satisfies Record<string, { err: string; message: string; code: ResponseCode }>;

/** One of {@link ENROLMENT_ERRORS}. */
export type EnrolmentErrorKey = keyof typeof ENROLMENT_ERRORS;

/** The error of `key`, its message filled from `args`. */
export function enrolmentError(key: EnrolmentErrorKey, ...args: unknown[]): LernError {
  const { err, message, code } = ENROLMENT_ERRORS[key];
  return new LernError(code, err, formatMessage(message, ...args));
}

/** The message of `key` (per-user results of bulk enrolment). */
export function enrolmentMessage(key: EnrolmentErrorKey, ...args: unknown[]): string {
  return formatMessage(ENROLMENT_ERRORS[key].message, ...args);
}
