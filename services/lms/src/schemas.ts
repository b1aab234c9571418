/**
 * Schema pieces every LMS resource uses: Sunbird's request envelope, identifiers, dates and the
 * common results. Limits are in the schemas so the kit's validator answers with upstream's codes.
 */
import { Type, type TSchema } from '@lern/kit';

/** Longest identifier (course, batch, user, organisation, content). */
export const MAX_ID = 128;

/**
 * Identifiers as the Sunbird platforms make them (`do_1137...`, numeric batch and organisation ids,
 * UUIDs): letters, digits, `_`, `.`, `:`, `-`.
 */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';

/** A mandatory identifier. */
export const Id = (description: string) => Type.String({ minLength: 1, maxLength: MAX_ID, pattern: ID_PATTERN, description });

/** A list of identifiers (at most `maxItems`). */
export const IdList = (description: string, maxItems = 100) => Type.Array(Id('An identifier.'), { maxItems, description });

/** A calendar date `yyyy-MM-dd` (the batch dates). */
export const DateString = (description: string) => Type.String({ format: 'date', maxLength: 10, description });

/** An optional date that may also be null ("not given"). */
export const OptionalDate = (description: string) => Type.Optional(Type.Union([DateString(description), Type.Null()], { description }));

/** A mandatory, non-blank text of at most `maxLength`. */
export const Text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, pattern: '\\S', description });

/** An optional text that may also be null. */
export const OptionalText = (maxLength: number, description: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], { description }));

/** Sunbird's request envelope `{ id?, ver?, ts?, params?, request: {...} }`; other envelope fields are ignored. */
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

/** The fields of a course batch as the API returns it (read, search and the index). */
export const BatchDocument = Type.Object(
  {
    identifier: Type.String(),
    id: Type.String(),
    batchId: Type.String(),
    courseId: Type.String(),
    collectionId: Type.String(),
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    enrollmentType: Type.String(),
    startDate: Type.Union([Type.String(), Type.Null()]),
    endDate: Type.Union([Type.String(), Type.Null()]),
    enrollmentEndDate: Type.Union([Type.String(), Type.Null()]),
    createdFor: Type.Array(Type.String()),
    mentors: Type.Array(Type.String()),
    status: Type.Integer({ description: '0 not started, 1 started, 2 completed' }),
    createdBy: Type.Union([Type.String(), Type.Null()]),
    createdDate: Type.Union([Type.String(), Type.Null()]),
    updatedDate: Type.Union([Type.String(), Type.Null()]),
    tandc: Type.Union([Type.Boolean(), Type.Null()]),
    cert_templates: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true })),
    certTemplates: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);
