/**
 * Error codes of the User-Org service, in upstream's shape: `UOS_` + operation code + reason code
 * (e.g. `UOS_USRCRT0030` = createUser + mandatory parameter missing). The tables below hold the
 * operation codes and reason codes read from upstream's catalog (ActorOperations / ResponseCode),
 * so clients that match on `params.err` keep working.
 */
import { LernError, type ResponseCode } from '@lern/kit';

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

/** Reason codes and message templates (upstream ResponseCode / ResponseMessage). */
export const REASONS = {
  invalidRequestData: { code: '0028', message: 'Requested data for this operation is not valid.' },
  errorDuplicateEntry: { code: '0004', message: 'Value {0} for {1} is already in use.' },
  errorParamExists: { code: '0002', message: '{0} already exists' },
  dataTypeError: { code: '0003', message: 'Data type of {0} should be {1}.' },
  userStatusError: { code: '0008', message: 'User is already {0}.' },
  dataFormatError: { code: '0009', message: 'Invalid format for given {0}.' },
  resourceNotFound: { code: '0013', message: 'Requested {0} resource not found' },
  invalidParameterValue: { code: '0017', message: 'Invalid value {0} for parameter {1}. Please provide a valid value.' },
  invalidValue: { code: '0018', message: 'Invalid {0}: {1}. Valid values are: {2}.' },
  invalidParameter: { code: '0019', message: 'Please provide valid {0}.' },
  invalidRequestParameter: { code: '0021', message: 'Invalid parameter {0} in request.' },
  passwordValidation: {
    code: '0024',
    message:
      'Password must contain a minimum of 8 characters including numerals, lower and upper case alphabets and special characters',
  },
  invalidLocationDeleteRequest: {
    code: '0029',
    message: 'One or more locations have a parent reference to given location and hence cannot be deleted.',
  },
  mandatoryParamsMissing: { code: '0030', message: 'Mandatory parameter {0} is missing.' },
  errorMandatoryParamsEmpty: { code: '0031', message: 'Mandatory parameter {0} is empty.' },
  unupdatableField: { code: '0033', message: 'Update of {0} is not allowed.' },
  parentNotAllowed: { code: '0034', message: 'For top level location, {0} is not allowed.' },
  dependentParameterMissing: { code: '0041', message: 'Missing parameter {0} which is dependent on {1}.' },
  errorUnsupportedField: { code: '0051', message: 'Unsupported field {0}.' },
  invalidPropertyError: { code: '0052', message: 'Invalid property {0}.' },
  serviceUnAvailable: { code: '0064', message: 'SERVICE UNAVAILABLE' },
  managedByNotAllowed: { code: '0065', message: 'managedBy cannot be updated.' },
  unAuthorized: { code: '0070', message: 'You are not authorized.' },
  errorForbidden: { code: '0071', message: 'You are forbidden from accessing specified resource.' },
  inactiveUser: { code: '0073', message: 'User is Inactive. Please make it active to proceed.' },
  roleProcessingInvalidOrgError: { code: '0076', message: 'Error while processing assign role. Invalid Organisation Id' },
  cannotDeleteUser: { code: '0083', message: 'User is restricted from deleting account based on roles!' },
  serverError: { code: '0069', message: 'server error' },
} as const;

/** One of the reason keys above. */
export type Reason = keyof typeof REASONS;

/** Fills `{0}`, `{1}`... like Java's MessageFormat (missing values leave the placeholder). */
export function formatMessage(template: string, values: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => values[Number(index)] ?? whole);
}

/** `params.err` prefix of a validation failure of the operation, e.g. `UOS_USRCRT`. */
export function errorPrefix(operation: Operation): string {
  return `UOS_${OPERATION_CODES[operation]}`;
}

/** Codes the kit uses for its own failures (auth, unknown route, dependency down). */
export const KIT_ERROR_CODES = {
  unauthorized: 'UOS_0070',
  forbidden: 'UOS_0071',
  serverError: 'UOS_0069',
  notFound: 'UOS_0013',
  serviceUnavailable: 'UOS_0064',
  invalidRequest: 'UOS_0028',
} as const;

/** `UOS_<operation><reason>` with the formatted message; client error unless told otherwise. */
export function uosError(
  operation: Operation | null,
  reason: Reason,
  values: readonly string[] = [],
  responseCode: ResponseCode = 'CLIENT_ERROR',
): LernError {
  const r = REASONS[reason];
  const op = operation === null ? '' : OPERATION_CODES[operation];
  return new LernError(responseCode, `UOS_${op}${r.code}`, formatMessage(r.message, values));
}

/** Shorthands for the common failures. */
export const fail = {
  missing: (op: Operation, param: string) => uosError(op, 'mandatoryParamsMissing', [param]),
  format: (op: Operation, param: string) => uosError(op, 'dataFormatError', [param]),
  invalid: (op: Operation) => uosError(op, 'invalidRequestData'),
  duplicate: (op: Operation, value: string, param: string) => uosError(op, 'errorDuplicateEntry', [value, param]),
  notFound: (op: Operation, what: string, message?: string) =>
    new LernError(
      'RESOURCE_NOT_FOUND',
      `UOS_${OPERATION_CODES[op]}${REASONS.resourceNotFound.code}`,
      message ?? formatMessage(REASONS.resourceNotFound.message, [what]),
    ),
  forbidden: (op: Operation | null) => uosError(op, 'errorForbidden', [], 'FORBIDDEN'),
  unauthorized: (op: Operation | null) => uosError(op, 'unAuthorized', [], 'UNAUTHORIZED'),
  unavailable: (op: Operation | null) => uosError(op, 'serviceUnAvailable', [], 'SERVICE_UNAVAILABLE'),
};
