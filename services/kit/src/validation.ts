import { MESSAGES, REASON, REASON_KEY, displayValue, formatMessage } from './errors.ts';

/** One schema violation, in Sunbird terms. */
export interface ValidationIssue {
  /** missing: required absent; empty: blank string/array; format: pattern or format; type; enum; unknown: extra property; invalid: anything else; request: the whole body is unusable */
  kind: 'missing' | 'empty' | 'format' | 'type' | 'enum' | 'unknown' | 'invalid' | 'request';
  /** The innermost property name, e.g. `firstName`. Empty for kind `request`. */
  field: string;
  /** Dotted path from the request part, e.g. `request.firstName`. */
  path: string;
  /** The expected type, or the allowed values joined by ", ". */
  expected?: string;
  /** The offending value when known. */
  value?: unknown;
}

/** Turns a validation issue into Sunbird's `err` and `errmsg`. */
export type ValidationErrorMapper = (issue: ValidationIssue) => { err: string; errmsg: string };

/** The subset of an Ajv error the kit reads. */
export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  data?: unknown;
}

const text = displayValue;

function pathSegments(instancePath: string): string[] {
  return instancePath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The last non-index segment: `/request/emails/0` -> `emails`. */
function fieldOf(segments: string[]): string {
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i]!;
    if (!/^\d+$/.test(s)) return s;
  }
  return '';
}

/** Maps one Ajv error to a Sunbird validation issue (pure). */
export function issueFromAjv(error: AjvErrorLike): ValidationIssue {
  const segments = pathSegments(error.instancePath);
  const p = error.params;
  switch (error.keyword) {
    case 'required': {
      const missing = text(p.missingProperty);
      return { kind: 'missing', field: missing, path: [...segments, missing].join('.') };
    }
    case 'additionalProperties': {
      const extra = text(p.additionalProperty);
      return { kind: 'unknown', field: extra, path: [...segments, extra].join('.') };
    }
    default:
      break;
  }
  const field = fieldOf(segments);
  const path = segments.join('.');
  if (segments.length === 0) return { kind: 'request', field: '', path: '', value: error.data };
  switch (error.keyword) {
    case 'format':
    case 'pattern':
      return { kind: 'format', field, path, value: error.data };
    case 'type':
      if (error.data === null) return { kind: 'missing', field, path };
      return { kind: 'type', field, path, expected: text(p.type), value: error.data };
    case 'enum':
      return { kind: 'enum', field, path, expected: Array.isArray(p.allowedValues) ? p.allowedValues.join(', ') : '', value: error.data };
    case 'const':
      return { kind: 'enum', field, path, expected: text(p.allowedValue), value: error.data };
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      if (Number(p.limit) === 1) return { kind: 'empty', field, path, value: error.data };
      return { kind: 'invalid', field, path, value: error.data };
    default:
      return { kind: 'invalid', field, path, value: error.data };
  }
}

function shown(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json.length > 64 ? `${json.slice(0, 61)}...` : json;
}

/** Which reason and message each kind of issue gets (upstream ResponseMessage). */
function reasonOf(issue: ValidationIssue): { reason: keyof typeof REASON; errmsg: string } {
  switch (issue.kind) {
    case 'missing':
      return { reason: 'mandatoryParamsMissing', errmsg: formatMessage(MESSAGES.mandatoryParamsMissing, issue.field) };
    case 'empty':
      return { reason: 'errorMandatoryParamsEmpty', errmsg: formatMessage(MESSAGES.errorMandatoryParamsEmpty, issue.field) };
    case 'format':
      return { reason: 'dataFormatError', errmsg: formatMessage(MESSAGES.dataFormatError, issue.field) };
    case 'type':
      return { reason: 'dataTypeError', errmsg: formatMessage(MESSAGES.dataTypeError, issue.field, issue.expected) };
    case 'enum':
      return { reason: 'invalidValue', errmsg: formatMessage(MESSAGES.invalidValue, issue.field, shown(issue.value), issue.expected) };
    case 'unknown':
      return { reason: 'invalidRequestParameter', errmsg: formatMessage(MESSAGES.invalidRequestParameter, issue.field) };
    case 'request':
      return { reason: 'invalidRequestData', errmsg: MESSAGES.invalidRequestData };
    case 'invalid':
      return { reason: 'invalidParameterValue', errmsg: formatMessage(MESSAGES.invalidParameterValue, shown(issue.value), issue.field) };
  }
}

/** The Sunbird message for an issue, e.g. "Mandatory parameter firstName is missing.". */
export function validationMessage(issue: ValidationIssue): string {
  return reasonOf(issue).errmsg;
}

/**
 * Upstream's validation errors: with an operation prefix (`UOS_USRCRT`) the err is prefix + reason
 * code (`UOS_USRCRT0030`); without one it is the reason's key (`MANDATORY_PARAMETER_MISSING`).
 */
export function sunbirdValidationError(prefix?: string): ValidationErrorMapper {
  return (issue) => {
    const { reason, errmsg } = reasonOf(issue);
    return { err: prefix ? `${prefix}${REASON[reason]}` : REASON_KEY[reason], errmsg };
  };
}
