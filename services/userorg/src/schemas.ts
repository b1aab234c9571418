/**
 * Schema pieces every resource uses: the Sunbird request envelope and field shapes (names, ids,
 * emails, phones, lists) with upstream's limits. Optional fields also accept null: upstream clients
 * send `"rootOrgId": null` for "not given".
 */
import { Type, type TSchema } from '@lern/kit';
import { EMAIL_PATTERN } from './pii.ts';

/** Longest id, key or code accepted anywhere. */
export const MAX_ID = 256;

/** A mandatory identifier: present and not blank. */
export const Id = (description: string) => Type.String({ minLength: 1, maxLength: MAX_ID, pattern: '\\S', description });

/** A mandatory text: present, not blank, at most `maxLength`. */
export const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, pattern: '\\S', description });

/** An optional field that may also be null. */
export const Nullable = <T extends TSchema>(schema: T, description?: string) => Type.Optional(Type.Union([schema, Type.Null()], description ? { description } : {}));

/** An optional text of at most `maxLength` (null and '' count as not given). */
export const OptionalText = (maxLength: number, description: string) => Nullable(Type.String({ maxLength }), description);

/** A list of short texts. */
export const TextList = (description: string, maxItems = 100) => Type.Array(Type.String({ maxLength: MAX_ID }), { maxItems, description });

/** Upstream's email rule (ProjectUtil.isEmailvalid); '' is "not given". */
export const EMAIL_OR_BLANK = `^$|${EMAIL_PATTERN.source}`;

/** An optional email address ('' and null: not given). */
export const OptionalEmail = (description: string) => Nullable(Type.String({ maxLength: 254, pattern: EMAIL_OR_BLANK }), description);

/** A field that must not be sent (e.g. a field an update may not change); the route maps the issue to upstream's reason. */
export const Forbidden = (description: string) => Type.Optional(Type.Unsafe<never>({ not: {}, description }));

/** Sunbird's request envelope: `{ id?, ver?, ts?, params?, request: {...} }`; other envelope fields are ignored. */
export function requestBody<T extends TSchema>(request: T) {
  return Type.Object(
    {
      id: Type.Optional(Type.String({ maxLength: MAX_ID })),
      ver: Type.Optional(Type.String({ maxLength: 32 })),
      ts: Type.Optional(Type.String({ maxLength: 64 })),
      params: Type.Optional(Type.Unknown()),
      request,
    },
    { additionalProperties: true },
  );
}

/** `{ response: "SUCCESS" }`, with the route's extra fields. */
export const SuccessResult = Type.Object({ response: Type.Literal('SUCCESS') }, { additionalProperties: true });

/** The result of a route that returns `{ response: <object> }`. */
export const ResponseResult = Type.Object({ response: Type.Unknown() });
