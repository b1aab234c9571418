import { Type, type TSchema } from 'typebox';
import type { ResponseCode } from './errors.ts';

/** Sunbird's `params` block. `err`/`errmsg` are null on success. */
export interface EnvelopeParams {
  resmsgid: string;
  msgid: string;
  err: string | null;
  status: 'SUCCESS' | 'FAILED';
  errmsg: string | null;
}

/** The Sunbird response envelope every service answers with. */
export interface Envelope<R = Record<string, unknown>> {
  id: string;
  ver: string;
  ts: string;
  params: EnvelopeParams;
  responseCode: ResponseCode;
  result: R;
}

/** What an envelope needs besides its result: the api id and version, the request id and the clock. */
export interface EnvelopeMeta {
  id: string;
  ver: string;
  requestId: string;
  /** @default new Date() */
  now?: Date;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Sunbird's `ts`: `yyyy-MM-dd HH:mm:ss:SSSZ` in UTC, e.g. `2025-03-09 13:42:10:514+0000`. */
export function sunbirdTimestamp(date: Date = new Date()): string {
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}:${pad(date.getUTCMilliseconds(), 3)}+0000`
  );
}

/** A SUCCESS envelope around `result` (responseCode OK). */
export function successEnvelope<R>(meta: EnvelopeMeta, result: R): Envelope<R> {
  return {
    id: meta.id,
    ver: meta.ver,
    ts: sunbirdTimestamp(meta.now),
    params: { resmsgid: meta.requestId, msgid: meta.requestId, err: null, status: 'SUCCESS', errmsg: null },
    responseCode: 'OK',
    result,
  };
}

/** A FAILED envelope with Sunbird's `err` code and message and an empty result. */
export function errorEnvelope(
  meta: EnvelopeMeta,
  error: { responseCode: ResponseCode; err: string; errmsg: string },
): Envelope<Record<string, never>> {
  return {
    id: meta.id,
    ver: meta.ver,
    ts: sunbirdTimestamp(meta.now),
    params: { resmsgid: meta.requestId, msgid: meta.requestId, err: error.err, status: 'FAILED', errmsg: error.errmsg },
    responseCode: error.responseCode,
    result: {},
  };
}

/** JSON schema of an envelope whose result is `result`, for the OpenAPI document. */
export function envelopeSchema(result: TSchema = Type.Object({}, { additionalProperties: true })): TSchema {
  return Type.Object({
    id: Type.String({ examples: ['api.user.create'] }),
    ver: Type.String({ examples: ['v1'] }),
    ts: Type.String({ examples: ['2025-03-09 13:42:10:514+0000'] }),
    params: Type.Object({
      resmsgid: Type.String(),
      msgid: Type.String(),
      err: Type.Union([Type.String(), Type.Null()]),
      status: Type.Union([Type.Literal('SUCCESS'), Type.Literal('FAILED')]),
      errmsg: Type.Union([Type.String(), Type.Null()]),
    }),
    responseCode: Type.String({ examples: ['OK'] }),
    result,
  });
}

/** JSON schema of an error envelope (FAILED, `err` and `errmsg` set, empty result), for the OpenAPI document. */
export function errorEnvelopeSchema(): TSchema {
  return Type.Object({
    id: Type.String({ examples: ['api.user.create'] }),
    ver: Type.String({ examples: ['v1'] }),
    ts: Type.String({ examples: ['2025-03-09 13:42:10:514+0000'] }),
    params: Type.Object({
      resmsgid: Type.String(),
      msgid: Type.String(),
      err: Type.String({ examples: ['UOS_USRCRT0030'] }),
      status: Type.Literal('FAILED'),
      errmsg: Type.String({ examples: ['Mandatory parameter firstName is missing.'] }),
    }),
    responseCode: Type.String({ examples: ['CLIENT_ERROR'] }),
    result: Type.Object({}, { additionalProperties: true }),
  });
}
