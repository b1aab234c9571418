/** Schema pieces every Notification resource uses: Sunbird's request envelope, identifiers, results. */
import { Type, type TSchema } from '@lern/kit';

/** Longest identifier (user, feed entry, template). */
export const MAX_ID = 128;

/** Identifiers: letters, digits, `_`, `.`, `:`, `-` (UUIDs, Sunbird ids, template ids). */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';

/** A mandatory identifier. */
export const Id = (description: string) => Type.String({ minLength: 1, maxLength: MAX_ID, pattern: ID_PATTERN, description });

/** Sunbird's request envelope `{ id?, ver?, ts?, params?, request: {...} }`. */
export function requestBody<T extends TSchema>(request: T) {
  return Type.Object(
    {
      id: Type.Optional(Type.String({ maxLength: 256 })),
      ver: Type.Optional(Type.String({ maxLength: 32 })),
      ts: Type.Optional(Type.String({ maxLength: 64 })),
      params: Type.Optional(Type.Object({}, { additionalProperties: true, maxProperties: 20 })),
      request,
    },
    { additionalProperties: true },
  );
}

/** `{ response: "SUCCESS" }`. */
export const SuccessResult = Type.Object({ response: Type.Literal('SUCCESS') });

/** A free JSON object (action details, template params, raw device data), bounded in size. */
export const JsonObject = (description: string) => Type.Record(Type.String(), Type.Unknown(), { maxProperties: 50, description });
