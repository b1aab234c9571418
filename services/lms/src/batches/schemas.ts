/**
 * Request and result schemas of the batch routes, with upstream's field names
 * (CourseBatchRequestValidator, coursebatchmanapi.yaml). The course is named by `courseId` or
 * `collectionId` (upstream accepts either); unknown fields are refused, as upstream refuses
 * `participants` ("Invalid parameter participants in request.").
 */
import { Type } from '@lern/kit';
import { BatchDocument, DateString, Id, IdList, OptionalDate, OptionalText, Text, requestBody } from '../schemas.ts';
import { MAX_LIMIT, MAX_WINDOW } from './search.ts';

/** Upstream's enrolment types. */
export const ENROLLMENT_TYPES = ['open', 'invite-only'] as const;

/** Longest batch name and description. */
const MAX_NAME = 500;
const MAX_DESCRIPTION = 5000;

/** One of courseId and collectionId must be given (schema-level, read as "courseId/collectionId"). */
const COURSE_OR_COLLECTION = { anyOf: [{ required: ['courseId'] }, { required: ['collectionId'] }] };

const courseRef = {
  courseId: Type.Optional(Id('The course (collection) the batch is for.')),
  collectionId: Type.Optional(Id('Same as courseId (upstream accepts either).')),
};

const ignoredCaller = {
  createdBy: Type.Optional(Id('Ignored: the creator is always the caller.')),
  userId: Type.Optional(Id('Ignored: the caller is taken from the token.')),
};

/** POST /v1/course/batch/create. */
export const CreateBatchBody = requestBody(
  Type.Object(
    {
      ...courseRef,
      name: Text(MAX_NAME, 'Batch name.'),
      enrollmentType: Type.Enum([...ENROLLMENT_TYPES], { description: 'open: anyone enrols; invite-only: mentors and administrators enrol users.' }),
      startDate: DateString('First day (yyyy-MM-dd), today or later.'),
      endDate: OptionalDate('Last day (yyyy-MM-dd), after the start; none: open-ended.'),
      enrollmentEndDate: OptionalDate('Last day to enrol (yyyy-MM-dd), between start and end.'),
      description: OptionalText(MAX_DESCRIPTION, 'Description.'),
      createdFor: Type.Optional(IdList('Organisations the batch is for; the caller must be course staff or an administrator in each.')),
      mentors: Type.Optional(IdList('Mentors: users of the creator\'s root organisation.')),
      tandc: Type.Optional(Type.Boolean({ description: 'Terms and conditions apply.' })),
      ...ignoredCaller,
    },
    { additionalProperties: false, ...COURSE_OR_COLLECTION },
  ),
);

/** PATCH /v1/course/batch/update: the start date is always sent; absent fields keep their value. */
export const UpdateBatchBody = requestBody(
  Type.Object(
    {
      ...courseRef,
      id: Id('The batch.'),
      startDate: DateString('First day (yyyy-MM-dd); a batch that has started keeps its start date.'),
      name: Type.Optional(Text(MAX_NAME, 'Batch name.')),
      enrollmentType: Type.Optional(Type.Enum([...ENROLLMENT_TYPES])),
      endDate: OptionalDate('Last day (yyyy-MM-dd); null or absent keeps the stored one.'),
      enrollmentEndDate: OptionalDate('Last day to enrol (yyyy-MM-dd); null or absent keeps the stored one.'),
      description: OptionalText(MAX_DESCRIPTION, 'Description.'),
      createdFor: Type.Optional(IdList('Organisations the batch is for (replaces the list).')),
      mentors: Type.Optional(IdList('Mentors (replaces the list).')),
      tandc: Type.Optional(Type.Boolean()),
      ...ignoredCaller,
    },
    { additionalProperties: false, ...COURSE_OR_COLLECTION },
  ),
);

/** GET /v1/course/batch/read/:batchId. */
export const BatchIdParams = Type.Object({ batchId: Id('The batch.') });

const FIELD_NAME = '^[A-Za-z_][A-Za-z0-9_.]{0,63}$';
const Scalar = Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]);
const Bound = Type.Union([Type.String({ maxLength: 64 }), Type.Number()]);
const Range = Type.Object(
  { '>=': Type.Optional(Bound), '<=': Type.Optional(Bound), '>': Type.Optional(Bound), '<': Type.Optional(Bound) },
  { additionalProperties: false, minProperties: 1 },
);

/** POST /v1/course/batch/search. */
export const SearchBatchBody = requestBody(
  Type.Object(
    {
      filters: Type.Record(Type.String({ pattern: FIELD_NAME }), Type.Union([Type.Null(), Scalar, Type.Array(Scalar, { maxItems: 1000 }), Range]), {
        additionalProperties: false,
        maxProperties: 30,
        description: 'field -> value | [values] | {">=": v, "<=": v, ">": v, "<": v} | null (field absent); e.g. courseId, batchId, status, enrollmentType, createdFor, mentors, startDate.',
      }),
      query: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()], { description: 'Free text over name and description.' })),
      limit: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: MAX_LIMIT }), Type.Null()], { description: `Page size, default 100, at most ${MAX_LIMIT}.` })),
      offset: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: MAX_WINDOW }), Type.Null()])),
      sort_by: Type.Optional(
        Type.Union([Type.Record(Type.String({ pattern: FIELD_NAME }), Type.String({ pattern: '^(?:[aA][sS][cC]|[dD][eE][sS][cC])$' }), { additionalProperties: false, maxProperties: 5 }), Type.Null()], {
          description: '{ field: "asc" | "desc" }',
        }),
      ),
      fields: Type.Optional(Type.Union([Type.Array(Type.String({ pattern: FIELD_NAME }), { maxItems: 50 }), Type.Null()], { description: 'Fields to return.' })),
    },
    { additionalProperties: false },
  ),
);

/** POST /v1/batch/participants/list. */
export const ParticipantsBody = requestBody(
  Type.Object(
    {
      batch: Type.Object(
        {
          batchId: Id('The batch.'),
          active: Type.Optional(Type.Boolean({ description: 'true (default): enrolled users; false: users who unenrolled.' })),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
);

/** Result of create. */
export const CreateBatchResult = Type.Object({ response: Type.Literal('SUCCESS'), batchId: Type.String() });
/** Result of read. */
export const ReadBatchResult = Type.Object({ response: BatchDocument });
/** Result of search. */
export const SearchBatchResult = Type.Object({
  response: Type.Object({ count: Type.Integer(), content: Type.Array(Type.Partial(BatchDocument)) }),
});
/** Result of the participants list. */
export const ParticipantsResult = Type.Object({ batch: Type.Object({ count: Type.Integer(), participants: Type.Array(Type.String()) }) });
