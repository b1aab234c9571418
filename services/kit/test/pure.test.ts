import { describe, expect, it } from 'vitest';
import {
  apiIdFromPath,
  requestIdFrom,
  sunbirdTimestamp,
  successEnvelope,
  errorEnvelope,
  formatMessage,
  isDependencyUnavailable,
  classifyError,
  DEFAULT_ERROR_CODES,
  sunbirdValidationError,
  issueFromAjv,
  userIdFromSubject,
  bearerToken,
  hasAnyRole,
  LernError,
} from '@lern/kit';

describe('apiIdFromPath', () => {
  it.each([
    ['/v1/user/create', 'api.user.create', 'v1'],
    ['/v3/user/create', 'api.user.create', 'v3'],
    ['/v1/user/read/:userId', 'api.user.read', 'v1'],
    ['/v1/user/exists/:key/:value', 'api.user.exists', 'v1'],
    ['/private/user/v1/read/:id', 'api.private.user.read', 'v1'],
    ['/v2/org/preferences/create', 'api.org.preferences.create', 'v2'],
    ['/health', 'api.all.health', 'v1'],
    ['/service/health', 'api.all.health', 'v1'],
    ['/v1/user/create?x=1', 'api.user.create', 'v1'],
    ['/v1/nothing/here', 'api.nothing.here', 'v1'],
  ])('%s -> %s %s', (path, id, ver) => {
    expect(apiIdFromPath(path)).toEqual({ id, ver });
  });
});

describe('sunbirdTimestamp', () => {
  it('formats yyyy-MM-dd HH:mm:ss:SSSZ in UTC', () => {
    expect(sunbirdTimestamp(new Date(Date.UTC(2025, 2, 9, 13, 42, 10, 514)))).toBe('2025-03-09 13:42:10:514+0000');
    expect(sunbirdTimestamp(new Date(Date.UTC(2024, 0, 1, 0, 0, 0, 5)))).toBe('2024-01-01 00:00:00:005+0000');
  });
});

describe('request id', () => {
  it('keeps a sane x-request-id and replaces a missing or hostile one', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    expect(requestIdFrom(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('bad\nid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('x'.repeat(300))).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('envelopes', () => {
  const now = new Date(Date.UTC(2025, 2, 9, 13, 42, 10, 514));
  it('success', () => {
    expect(successEnvelope({ id: 'api.user.create', ver: 'v1', requestId: 'r1', now }, { id: 'u1' })).toEqual({
      id: 'api.user.create',
      ver: 'v1',
      ts: '2025-03-09 13:42:10:514+0000',
      params: { resmsgid: 'r1', msgid: 'r1', err: null, status: 'SUCCESS', errmsg: null },
      responseCode: 'OK',
      result: { id: 'u1' },
    });
  });
  it('error', () => {
    const e = errorEnvelope({ id: 'api.user.create', ver: 'v1', requestId: 'r1', now }, { responseCode: 'CLIENT_ERROR', err: 'UOS_USRCRT0030', errmsg: 'm' });
    expect(e.params).toEqual({ resmsgid: 'r1', msgid: 'r1', err: 'UOS_USRCRT0030', status: 'FAILED', errmsg: 'm' });
    expect(e.responseCode).toBe('CLIENT_ERROR');
    expect(e.result).toEqual({});
  });
});

describe('messages and errors', () => {
  it('formats Sunbird templates', () => {
    expect(formatMessage('Mandatory parameter {0} is missing.', 'firstName')).toBe('Mandatory parameter firstName is missing.');
    expect(formatMessage('Invalid {0}: {1}. Valid values are: {2}.', 'x', { a: 1 }, 'A, B')).toBe('Invalid x: {"a":1}. Valid values are: A, B.');
    expect(formatMessage('{0} and {1}', 'a')).toBe('a and {1}');
  });
  it('LernError carries the HTTP status of its response code', () => {
    expect(new LernError('RESOURCE_NOT_FOUND', 'UOS_ORGRED0013', 'x').status).toBe(404);
    expect(new LernError('SERVICE_UNAVAILABLE', 'x', 'y').status).toBe(503);
  });
  it.each([
    [Object.assign(new Error('All host(s) tried for query failed'), { name: 'NoHostAvailableError' }), true],
    [Object.assign(new Error('x'), { name: 'ResponseError', code: 0x1000 }), true],
    [Object.assign(new Error('syntax'), { name: 'ResponseError', code: 0x2000 }), false],
    [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), true],
    [new Error('wrapped', { cause: Object.assign(new Error('c'), { name: 'ConnectionError' }) }), true],
    [Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' }), true],
    [new Error('Connection is closed.'), true],
    [new TypeError('undefined is not a function'), false],
    ['text', false],
  ])('isDependencyUnavailable #%#', (error, expected) => {
    expect(isDependencyUnavailable(error)).toBe(expected);
  });
  it('classifies thrown errors', () => {
    const mapper = sunbirdValidationError('UOS_USRCRT');
    expect(classifyError(Object.assign(new Error('x'), { name: 'NoHostAvailableError' }), DEFAULT_ERROR_CODES, mapper).status).toBe(503);
    expect(classifyError(new TypeError('bug'), DEFAULT_ERROR_CODES, mapper)).toMatchObject({ status: 500, err: 'SERVER_ERROR', errmsg: 'server error' });
    expect(classifyError(Object.assign(new SyntaxError('Unexpected token'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), DEFAULT_ERROR_CODES, mapper)).toMatchObject({
      status: 400,
      responseCode: 'CLIENT_ERROR',
      err: 'INVALID_REQUESTED_DATA',
    });
    const validation = Object.assign(new Error('v'), { validation: [{ keyword: 'required', instancePath: '/request', params: { missingProperty: 'firstName' } }] });
    expect(classifyError(validation, DEFAULT_ERROR_CODES, mapper)).toMatchObject({ status: 400, err: 'UOS_USRCRT0030', errmsg: 'Mandatory parameter firstName is missing.' });
  });
});

describe('validation mapping', () => {
  const prefixed = sunbirdValidationError('UOS_USRCRT');
  const plain = sunbirdValidationError();
  it.each([
    [{ keyword: 'required', instancePath: '/request', params: { missingProperty: 'firstName' } }, 'UOS_USRCRT0030', 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter firstName is missing.'],
    [{ keyword: 'format', instancePath: '/request/email', params: { format: 'email' }, data: 'x' }, 'UOS_USRCRT0009', 'DATA_FORMAT_ERROR', 'Invalid format for given email.'],
    [{ keyword: 'pattern', instancePath: '/request/phone', params: {}, data: '12' }, 'UOS_USRCRT0009', 'DATA_FORMAT_ERROR', 'Invalid format for given phone.'],
    [{ keyword: 'type', instancePath: '/request/roles', params: { type: 'array' }, data: 5 }, 'UOS_USRCRT0003', 'DATA_TYPE_ERROR', 'Data type of roles should be array.'],
    [{ keyword: 'type', instancePath: '/request/firstName', params: { type: 'string' }, data: null }, 'UOS_USRCRT0030', 'MANDATORY_PARAMETER_MISSING', 'Mandatory parameter firstName is missing.'],
    [{ keyword: 'minLength', instancePath: '/request/firstName', params: { limit: 1 }, data: '' }, 'UOS_USRCRT0031', 'ERROR_MANDATORY_PARAMETER_EMPTY', 'Mandatory parameter firstName is empty.'],
    [{ keyword: 'enum', instancePath: '/request/userType', params: { allowedValues: ['A', 'B'] }, data: 'C' }, 'UOS_USRCRT0018', 'INVALID_VALUE', 'Invalid userType: C. Valid values are: A, B.'],
    [{ keyword: 'additionalProperties', instancePath: '/request', params: { additionalProperty: 'foo' } }, 'UOS_USRCRT0021', 'INVALID_REQUEST_PARAMETER', 'Invalid parameter foo in request.'],
    [{ keyword: 'maximum', instancePath: '/request/age', params: { limit: 5 }, data: 9 }, 'UOS_USRCRT0017', 'INVALID_PARAMETER_VALUE', 'Invalid value 9 for parameter age. Please provide a valid value.'],
    [{ keyword: 'type', instancePath: '', params: { type: 'object' }, data: null }, 'UOS_USRCRT0028', 'INVALID_REQUESTED_DATA', 'Requested data for this operation is not valid.'],
    [{ keyword: 'format', instancePath: '/request/emails/0', params: { format: 'email' }, data: 'x' }, 'UOS_USRCRT0009', 'DATA_FORMAT_ERROR', 'Invalid format for given emails.'],
  ])('%o', (ajvError, prefixedErr, plainErr, message) => {
    const issue = issueFromAjv(ajvError);
    expect(prefixed(issue)).toEqual({ err: prefixedErr, errmsg: message });
    expect(plain(issue)).toEqual({ err: plainErr, errmsg: message });
  });
});

describe('token helpers', () => {
  it('takes the user id after the last colon of sub', () => {
    expect(userIdFromSubject('f:5a8a3f2b-3409-42e0-9001-f913bc0fde31:874ed8a5-782e-4f6c-8f36-e0288455901e')).toBe('874ed8a5-782e-4f6c-8f36-e0288455901e');
    expect(userIdFromSubject('plain-id')).toBe('plain-id');
  });
  it('strips Bearer', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('abc')).toBe('abc');
    expect(bearerToken('  ')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
  it('any-of role check', () => {
    expect(hasAnyRole(['PUBLIC', 'ORG_ADMIN'], ['ORG_ADMIN', 'SYSTEM_ADMINISTRATION'])).toBe(true);
    expect(hasAnyRole(['PUBLIC'], ['ORG_ADMIN'])).toBe(false);
  });
});
