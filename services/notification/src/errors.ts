/**
 * The Notification error catalogue. Upstream notification-service answers client errors with
 * `err` INVALID_REQUESTED_DATA (older feed responses: MANDATORY_PARAMETER_MISSING) and its send
 * validation with JSON-schema messages such as `#/notifications/0: required key [action] not found`.
 */
import {
  DEFAULT_ERROR_CODES,
  LernError,
  sunbirdValidationError,
  validationMessage,
  type ErrorCodes,
  type ResponseCode,
  type ValidationErrorMapper,
} from '@lern/kit';

/** err of every client error this service raises itself. */
export const INVALID_REQUESTED_DATA = 'INVALID_REQUESTED_DATA';

/** err codes of the kit's own failures, as notification-service answers them. */
export const KIT_ERROR_CODES: Readonly<ErrorCodes> = { ...DEFAULT_ERROR_CODES, serverError: 'INTERNAL_ERROR' };

/** A failure with INVALID_REQUESTED_DATA (400 unless told). */
export function invalidRequest(errmsg: string, responseCode: ResponseCode = 'CLIENT_ERROR'): LernError {
  return new LernError(responseCode, INVALID_REQUESTED_DATA, errmsg);
}

const standard = sunbirdValidationError();

/** Feed routes: the platform's keys and messages; an empty list is "missing", as upstream answers `ids: []`. */
export const feedValidation: ValidationErrorMapper = (issue) => standard(issue.kind === 'empty' ? { ...issue, kind: 'missing' } : issue);

/** Template and OTP routes: INVALID_REQUESTED_DATA with the platform's message, without the final period. */
export const plainValidation: ValidationErrorMapper = (issue) => ({ err: INVALID_REQUESTED_DATA, errmsg: validationMessage(issue).replace(/\.$/, '') });

/** `request.notifications.0.action` -> `#/notifications/0` (the parent, as a JSON pointer without `request`). */
export function jsonPointerOfParent(path: string): string {
  const parts = path.split('.').filter((p) => p !== '');
  if (parts[0] === 'request') parts.shift();
  parts.pop();
  return `#${parts.map((p) => `/${p}`).join('')}`;
}

/** Send routes: INVALID_REQUESTED_DATA with the JSON-schema wording upstream's send validation uses. */
export const sendValidation: ValidationErrorMapper = (issue) => {
  if (issue.kind === 'missing') return { err: INVALID_REQUESTED_DATA, errmsg: `${jsonPointerOfParent(issue.path)}: required key [${issue.field}] not found` };
  return plainValidation(issue);
};
