/**
 * The service's error catalogue: the kit's reason codes and message templates (upstream
 * ResponseCode / ResponseMessage), extended by the reasons only User-Org uses and by upstream's
 * operation codes (ActorOperations). A client sees `err` = `UOS_` + operation code + reason code,
 * e.g. `UOS_USRCRT0030` = createUser + mandatory parameter missing, so clients that match on
 * `params.err` keep working.
 */
import { LernError, MESSAGES, REASON, formatMessage, sunbirdValidationError } from '@lern/kit';
import type { ErrorCodes, ResponseCode, ValidationErrorMapper, ValidationIssue } from '@lern/kit';

/** Operation codes (upstream ActorOperations), keyed by our operation name. */
export const OPERATION_CODES = {
  createUser: 'USRCRT',
  updateUser: 'USRUPD',
  readUser: 'USRRED',
  getUserByKey: 'USRRED',
  userSearch: 'USRSER',
  userLookup: 'USRLKP',
  checkUserExistence: 'UEXIST',
  blockUser: 'USRBLOK',
  unblockUser: 'USRUNBLOK',
  deleteUser: 'USRDLT',
  assignRoles: 'ROLUPD',
  getRoles: 'ROLERED',
  getUserRolesById: 'UROLERED',
  createOrg: 'ORGCRT',
  updateOrg: 'ORGUPD',
  updateOrgStatus: 'OSTSUPD',
  getOrgDetails: 'ORGRED',
  orgSearch: 'ORGSER',
  createLocation: 'LOCCRT',
  updateLocation: 'LOCUPD',
  searchLocation: 'LOCSER',
  deleteLocation: 'LOCDEL',
  getSystemSetting: 'SYSRED',
  setSystemSetting: 'SYSCRT',
  createTenantPreference: 'TPREFCRT',
  updateTenantPreference: 'TPREFUPD',
  getTenantPreference: 'TPREFRED',
  sync: 'ESSYNC',
  healthCheck: 'HLTHCHK',
} as const;

/** One of our operation names. */
export type Operation = keyof typeof OPERATION_CODES;

/** Message templates of the kit plus those only User-Org answers with. */
export const USERORG_MESSAGES = {
  ...MESSAGES,
  errorParamExists: '{0} already exists',
  userStatusError: 'User is already {0}.',
  onlyEmailOrPhoneOrManagedBy: 'Please provide only email or phone or managed by',
  passwordValidation: 'Password must contain a minimum of 8 characters including numerals, lower and upper case alphabets and special characters',
  invalidLocationDeleteRequest: 'One or more locations have a parent reference to given location and hence cannot be deleted.',
  unupdatableField: 'Update of {0} is not allowed.',
  parentNotAllowed: 'For top level location, {0} is not allowed.',
  managedByNotAllowed: 'managedBy cannot be updated.',
  inactiveUser: 'User is Inactive. Please make it active to proceed.',
  roleProcessingInvalidOrgError: 'Error while processing assign role. Invalid Organisation Id',
  cannotDeleteUser: 'User is restricted from deleting account based on roles!',
} as const;

/** Reason codes of the kit plus those only User-Org answers with. */
export const USERORG_REASON = {
  ...REASON,
  errorParamExists: '0002',
  userStatusError: '0008',
  onlyEmailOrPhoneOrManagedBy: '0011',
  passwordValidation: '0024',
  invalidLocationDeleteRequest: '0029',
  unupdatableField: '0033',
  parentNotAllowed: '0034',
  managedByNotAllowed: '0065',
  inactiveUser: '0073',
  roleProcessingInvalidOrgError: '0076',
  cannotDeleteUser: '0083',
} as const;

/** A reason with both a code and a message. */
export type Reason = keyof typeof USERORG_REASON & keyof typeof USERORG_MESSAGES;

/** `params.err` prefix of the operation, e.g. `UOS_USRCRT`. */
export function errorPrefix(operation: Operation): string {
  return `UOS_${OPERATION_CODES[operation]}`;
}

/** err codes of the kit's own failures (auth, unknown route, dependency down, unusable body). */
export const KIT_ERROR_CODES: Readonly<ErrorCodes> = {
  unauthorized: `UOS_${USERORG_REASON.unAuthorized}`,
  forbidden: `UOS_${USERORG_REASON.errorForbidden}`,
  serverError: `UOS_${USERORG_REASON.serverError}`,
  notFound: `UOS_${USERORG_REASON.resourceNotFound}`,
  serviceUnavailable: `UOS_${USERORG_REASON.serviceUnavailable}`,
  invalidRequest: `UOS_${USERORG_REASON.invalidRequestData}`,
};

/** `UOS_<operation><reason>` with the message formatted from `args`; a client error unless told otherwise. */
export function uosError(operation: Operation, reason: Reason, args: readonly unknown[] = [], responseCode: ResponseCode = 'CLIENT_ERROR'): LernError {
  return new LernError(responseCode, `${errorPrefix(operation)}${USERORG_REASON[reason]}`, formatMessage(USERORG_MESSAGES[reason], ...args));
}

/** Shorthands for the common failures. */
export const fail = {
  missing: (op: Operation, param: string) => uosError(op, 'mandatoryParamsMissing', [param]),
  duplicate: (op: Operation, value: string, param: string) => uosError(op, 'errorDuplicateEntry', [value, param]),
  invalidValue: (op: Operation, value: string, param: string) => uosError(op, 'invalidParameterValue', [value.slice(0, 64), param]),
  /** 404; upstream's message is sometimes a bare word ("user"), given as `message`. */
  notFound: (op: Operation, what: string, message?: string) =>
    new LernError('RESOURCE_NOT_FOUND', `${errorPrefix(op)}${USERORG_REASON.resourceNotFound}`, message ?? formatMessage(USERORG_MESSAGES.resourceNotFound, what)),
  forbidden: (op: Operation) => uosError(op, 'errorForbidden', [], 'FORBIDDEN'),
};

/** A route's own reading of a schema violation: which reason, with which message arguments (none: the bare template). */
export type IssueReading = (issue: ValidationIssue) => { reason: Reason; args?: readonly unknown[] } | undefined;

/**
 * Validation errors as upstream reports them: operation prefix + reason code, except a body that is
 * not a JSON object at all, which upstream rejects before any operation is known (`UOS_0028`).
 * `reading` maps the issues a route's cross-field rules produce to upstream's reasons.
 */
export function uosValidation(operation: Operation, reading?: IssueReading): ValidationErrorMapper {
  const standard = sunbirdValidationError(errorPrefix(operation));
  const bare = sunbirdValidationError('UOS_');
  return (issue) => {
    if (issue.kind === 'request') return bare(issue);
    const own = reading?.(issue);
    if (!own) return standard(issue);
    const template = USERORG_MESSAGES[own.reason];
    return { err: `${errorPrefix(operation)}${USERORG_REASON[own.reason]}`, errmsg: own.args ? formatMessage(template, ...own.args) : template };
  };
}

/** What every route of an operation sets the same way, to spread into defineRoute: its error codes and its OpenAPI tag. */
export function operationOf(operation: Operation, tag: string, reading?: IssueReading): { errorPrefix: string; validationError: ValidationErrorMapper; tags: string[] } {
  return { errorPrefix: errorPrefix(operation), validationError: uosValidation(operation, reading), tags: [tag] };
}
