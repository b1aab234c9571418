/**
 * The Groups error catalogue: upstream groups-service's `GS_*` codes and messages
 * (IResponseMessage/ResponseCode, reference/upstream-api/_reference/groups_error_catalog.json).
 * Upstream answers every validation failure of an operation with one code and one message (e.g.
 * GS_CRT02 for any missing or invalid field of a create); so does this service. HTTP statuses are
 * the right ones rather than upstream's (an unknown group is 404, not 400; a caller without the
 * right is 403, not 401).
 */
import { DEFAULT_ERROR_CODES, LernError, formatMessage, type ErrorCodes, type ResponseCode, type ValidationErrorMapper } from '@lern/kit';

/** err code -> upstream's message template. */
export const GS_MESSAGES = {
  GS_CRT02: 'Failed to create group, fields are missing or invalid in the request. Enter the required values and resend the request.',
  GS_CRT04: 'Failed to create group, exceeded number of permissible groups of {0}.',
  GS_CRT05: 'Failed to add member, group, exceeded number of permissible members of {0}.',
  GS_CRT06: 'Failed to add activity in a group, exceeded the number of permissible activity in the group {0}.',
  GS_UDT02: 'Failed to update group, mandatory  are missing or invalid fields value in the request. Enter the required values and resend the request.',
  GS_UDT05: 'Failed to update the group,  exceeded permissible members count of {0}',
  GS_UDT06: 'Failed to update group activity, exceeded permissible activities of {0} in a group',
  GS_UDT07: 'Failed to update, group does not exist. Contact your system administrator.',
  GS_UDT08: 'Failed to update, group inactive. Resend required values in request.',
  GS_UDT09: 'Failed to update group, administrator rights required. Contact your system administrator.',
  GS_RED01: 'Failed to read group details, unauthorised user. Contact your system administrator.',
  GS_RED02: 'Failed to read group details, mandatory fields are missing or invalid fields value in the request. Enter the required values and resend the request.',
  GS_RED07: 'Failed to read details, group not found. Contact your system administrator.',
  GS_LST01: 'Failed to fetch group list, unauthorised user. Contact your system administrator.',
  GS_LST02: 'Failed to fetch group list, mandatory fields are missing or invalid fields value in the request. Enter the required values and resend the request.',
  GS_DLT02: 'Failed to delete group, mandatory fields are missing or invalid fields value in the request. Enter the required values and resend the request.',
  GS_DLT07: 'Failed to delete, group not found. Contact your system administrator.',
  GS_DLT10: 'Failed to delete, group  creators can delete the group. Contact your system administrator.',
  GS_MBRSHP_UDT01: 'Failed to update group member details, unauthorised user. Contact your system administrator.',
  GS_MBRSHP_UDT02: 'Failed to update group member details, mandatory fields are missing or invalid fields value in the request. Enter the required values and resend the request.',
  EXCEEDED_GROUP_MAX_LIMIT: 'Exceeded the group max size limit',
} as const;

/** One `GS_*` (or upstream key) code of {@link GS_MESSAGES}. */
export type GsCode = keyof typeof GS_MESSAGES;

/** The kit's own failures with upstream's codes (401 is GS_UNAUTHORIZED, 500 GS_SERVER_ERROR). */
export const KIT_ERROR_CODES: Readonly<ErrorCodes> = {
  ...DEFAULT_ERROR_CODES,
  unauthorized: 'GS_UNAUTHORIZED',
  serverError: 'GS_SERVER_ERROR',
};

/** The error `code` with its message filled from `args`; a client error unless told otherwise. */
export function gsError(code: GsCode, responseCode: ResponseCode = 'CLIENT_ERROR', ...args: unknown[]): LernError {
  return new LernError(responseCode, code, formatMessage(GS_MESSAGES[code], ...args));
}

/** Every validation failure of an operation as upstream reports it: its one code and message. */
export function gsValidation(code: 'GS_CRT02' | 'GS_UDT02' | 'GS_RED02' | 'GS_LST02' | 'GS_DLT02' | 'GS_MBRSHP_UDT02'): ValidationErrorMapper {
  return () => ({ err: code, errmsg: GS_MESSAGES[code] });
}
