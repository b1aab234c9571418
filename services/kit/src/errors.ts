/** Sunbird `responseCode` values and the HTTP status each one travels with. */
export type ResponseCode =
  | 'OK'
  | 'CLIENT_ERROR'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RESOURCE_NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE';

/** HTTP status per response code. */
export const HTTP_STATUS: Readonly<Record<ResponseCode, number>> = {
  OK: 200,
  CLIENT_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RESOURCE_NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** Sunbird message templates (upstream ResponseMessage); `{0}`, `{1}` are filled by formatMessage. */
export const MESSAGES = {
  mandatoryParamsMissing: 'Mandatory parameter {0} is missing.',
  errorMandatoryParamsEmpty: 'Mandatory parameter {0} is empty.',
  dataFormatError: 'Invalid format for given {0}.',
  dataTypeError: 'Data type of {0} should be {1}.',
  invalidValue: 'Invalid {0}: {1}. Valid values are: {2}.',
  invalidRequestParameter: 'Invalid parameter {0} in request.',
  invalidParameterValue: 'Invalid value {0} for parameter {1}. Please provide a valid value.',
  invalidParameter: 'Please provide valid {0}.',
  resourceNotFound: 'Requested {0} resource not found',
  errorDuplicateEntry: 'Value {0} for {1} is already in use.',
  invalidRequestData: 'Requested data for this operation is not valid.',
  unAuthorized: 'You are not authorized.',
  errorForbidden: 'You are forbidden from accessing specified resource.',
  serverError: 'server error',
  serviceUnavailable: 'SERVICE UNAVAILABLE',
  inactiveAccount: 'User account is blocked or deleted.',
  routeNotFound: 'Requested resource not found',
} as const;

/** Sunbird reason codes (upstream ResponseMessage.Key numeric codes), appended to an operation prefix. */
export const REASON = {
  errorDuplicateEntry: '0004',
  dataTypeError: '0003',
  dataFormatError: '0009',
  resourceNotFound: '0013',
  invalidParameterValue: '0017',
  invalidValue: '0018',
  invalidParameter: '0019',
  invalidRequestParameter: '0021',
  invalidRequestData: '0028',
  mandatoryParamsMissing: '0030',
  errorMandatoryParamsEmpty: '0031',
  invalidPropertyError: '0052',
  serviceUnavailable: '0064',
  serverError: '0069',
  unAuthorized: '0070',
  errorForbidden: '0071',
} as const;

/** Upstream's key names, the `err` used when a service gives no operation prefix (lms style). */
export const REASON_KEY: Readonly<Record<keyof typeof REASON, string>> = {
  errorDuplicateEntry: 'ERROR_DUPLICATE_ENTRY',
  dataTypeError: 'DATA_TYPE_ERROR',
  dataFormatError: 'DATA_FORMAT_ERROR',
  resourceNotFound: 'RESOURCE_NOT_FOUND',
  invalidParameterValue: 'INVALID_PARAMETER_VALUE',
  invalidValue: 'INVALID_VALUE',
  invalidParameter: 'INVALID_PARAMETER',
  invalidRequestParameter: 'INVALID_REQUEST_PARAMETER',
  invalidRequestData: 'INVALID_REQUESTED_DATA',
  mandatoryParamsMissing: 'MANDATORY_PARAMETER_MISSING',
  errorMandatoryParamsEmpty: 'ERROR_MANDATORY_PARAMETER_EMPTY',
  invalidPropertyError: 'INVALID_PROPERTY_ERROR',
  serviceUnavailable: 'SERVICE_UNAVAILABLE',
  serverError: 'SERVER_ERROR',
  unAuthorized: 'UNAUTHORIZED_USER',
  errorForbidden: 'FORBIDDEN',
};

/** A value as message text: strings as they are, objects as JSON. */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined || value === null || typeof value === 'function' || typeof value === 'symbol') return '';
  return JSON.stringify(value);
}

/** Fills `{0}`, `{1}`, ... with the arguments; a missing argument leaves the placeholder. */
export function formatMessage(template: string, ...args: unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : displayValue(value);
  });
}

/** The err codes the kit itself answers with; a service sets its own (userorg: `UOS_0070`, ...). */
export interface ErrorCodes {
  /** 401 */
  unauthorized: string;
  /** 403 */
  forbidden: string;
  /** 404 for an unknown route */
  notFound: string;
  /** 500 */
  serverError: string;
  /** 503 */
  serviceUnavailable: string;
  /** 400 for a malformed or missing body */
  invalidRequest: string;
}

/** Upstream key names. */
export const DEFAULT_ERROR_CODES: Readonly<ErrorCodes> = {
  unauthorized: 'UNAUTHORIZED_USER',
  forbidden: 'FORBIDDEN',
  notFound: 'RESOURCE_NOT_FOUND',
  serverError: 'SERVER_ERROR',
  serviceUnavailable: 'SERVICE_UNAVAILABLE',
  invalidRequest: 'INVALID_REQUESTED_DATA',
};

/** An error a client sees as a Sunbird envelope: its response code, `err` and `errmsg`. */
export class LernError extends Error {
  readonly responseCode: ResponseCode;
  readonly status: number;
  readonly err: string;
  readonly errmsg: string;

  constructor(responseCode: ResponseCode, err: string, errmsg: string, options?: { cause?: unknown }) {
    super(errmsg, options);
    this.name = 'LernError';
    this.responseCode = responseCode;
    this.status = HTTP_STATUS[responseCode];
    this.err = err;
    this.errmsg = errmsg;
  }
}

/** 400 CLIENT_ERROR. */
export function clientError(err: string, errmsg: string): LernError {
  return new LernError('CLIENT_ERROR', err, errmsg);
}

/** 404 RESOURCE_NOT_FOUND. */
export function notFound(err: string, errmsg: string): LernError {
  return new LernError('RESOURCE_NOT_FOUND', err, errmsg);
}

/** 401 UNAUTHORIZED. */
export function unauthorized(err: string = DEFAULT_ERROR_CODES.unauthorized, errmsg: string = MESSAGES.unAuthorized): LernError {
  return new LernError('UNAUTHORIZED', err, errmsg);
}

/** 403 FORBIDDEN. */
export function forbidden(err: string = DEFAULT_ERROR_CODES.forbidden, errmsg: string = MESSAGES.errorForbidden): LernError {
  return new LernError('FORBIDDEN', err, errmsg);
}

/** 503 SERVICE_UNAVAILABLE: a dependency is down; the client may retry. */
export function serviceUnavailable(
  err: string = DEFAULT_ERROR_CODES.serviceUnavailable,
  errmsg: string = MESSAGES.serviceUnavailable,
  cause?: unknown,
): LernError {
  return new LernError('SERVICE_UNAVAILABLE', err, errmsg, { cause });
}

/** 500 SERVER_ERROR: our bug. */
export function serverError(err: string = DEFAULT_ERROR_CODES.serverError, errmsg: string = MESSAGES.serverError, cause?: unknown): LernError {
  return new LernError('SERVER_ERROR', err, errmsg, { cause });
}

const UNAVAILABLE_NAMES = new Set([
  'NoHostAvailableError', // cassandra-driver: every host down
  'OperationTimedOutError', // cassandra-driver: the client gave up on a host
  'BusyConnectionError',
  'ConnectionError', // @elastic/elasticsearch, @opensearch-project/opensearch
  'TimeoutError',
  'NoLivingConnectionsError',
  'KafkaJSConnectionError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNonRetriableError',
  'MaxRetriesPerRequestError', // ioredis
]);

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', '57P01', '57P03']);

/** Cassandra server-side "not enough replicas / timed out" response codes (protocol spec). */
const CASSANDRA_UNAVAILABLE_RESPONSE_CODES = new Set([0x1000, 0x1001, 0x1100, 0x1200, 0x1300, 0x1400]);

/**
 * True for errors meaning a dependency is down or unreachable rather than a bug or bad input, so the
 * client gets 503 SERVICE_UNAVAILABLE and may retry.
 */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
  if (typeof e.name === 'string' && UNAVAILABLE_NAMES.has(e.name)) {
    // KafkaJSNonRetriableError wraps everything once retries stop; only count it when its cause is a connection error.
    if (e.name !== 'KafkaJSNonRetriableError') return true;
  }
  if (e.name === 'ResponseError' && typeof e.code === 'number' && CASSANDRA_UNAVAILABLE_RESPONSE_CODES.has(e.code)) return true;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && /Connection is closed|connect ECONNREFUSED|Connection terminated|Command timed out/.test(e.message)) return true;
  return isDependencyUnavailable(e.cause, depth + 1) || isDependencyUnavailable(e.originalError, depth + 1);
}
