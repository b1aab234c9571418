/**
 * Request and result schemas of enrolment (upstream's field names): enrol and unenrol, by the user
 * or by batch staff, in bulk from a CSV, and the lists of a user's courses.
 */
import { Type } from '@lern/kit';
import { Id, IdList, requestBody } from '../schemas.ts';

/** Most user ids one bulk request may name (over all its rows). */
export const BULK_MAX_USERS = 500;
/** Longest bulk CSV text (upstream's upload size limit is configured; this is Lern's). */
export const BULK_MAX_CSV = 65_536;

/** `courseId` or (upstream's newer name) `collectionId`: one of them is required. */
const courseRef = {
  courseId: Type.Optional(Id('The course (collection) id; `collectionId` is accepted instead.')),
  collectionId: Type.Optional(Id('The course (collection) id, when `courseId` is not given.')),
};
const courseOrCollection = { anyOf: [{ required: ['courseId'] }, { required: ['collectionId'] }] };

/** Body of `/v1/course/enroll` and `/v1/course/unenroll`: the user is the caller (or the managed user acted for). */
export const SelfEnrolBody = requestBody(
  Type.Object(
    {
      ...courseRef,
      batchId: Id('The batch.'),
      userId: Type.Optional(Id('The user; must be the caller (or the managed user the caller acts for). Defaults to the caller.')),
    },
    { additionalProperties: false, ...courseOrCollection },
  ),
);

/** Body of `/v1/course/admin/enroll` and `/v1/course/admin/unenroll`. */
export const StaffEnrolBody = requestBody(
  Type.Object(
    {
      ...courseRef,
      batchId: Id('The batch.'),
      userId: Id('The user to enrol or unenrol.'),
    },
    { additionalProperties: false, ...courseOrCollection },
  ),
);

/** Body of `/v1/batch/bulk/enrollment` and `/v1/batch/bulk/unenrollment`: upstream's JSON variant, the CSV in `data`. */
export const BulkBody = requestBody(
  Type.Object(
    {
      data: Type.String({
        minLength: 1,
        maxLength: BULK_MAX_CSV,
        description: 'CSV with the header `batchId,userIds` and one row per invite-only batch; `userIds` lists user ids separated by commas (quote the cell).',
      }),
    },
    { additionalProperties: false },
  ),
);

/** One user's outcome per batch: `{ "<userId>": "SUCCESS" | "<why not>" }`. */
const UserOutcome = Type.Record(Type.String(), Type.String());

/** Result of bulk (un)enrolment: upstream's success and failure lists, per batch. */
export const BulkResult = Type.Object({
  response: Type.Literal('SUCCESS'),
  successResult: Type.Array(Type.Record(Type.String(), Type.Array(UserOutcome)), { description: '`[{ "<batchId>": [{ "<userId>": "SUCCESS" }] }]`' }),
  failureResult: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: '`[{ "<batchId>": [{ "<userId>": "<message>" }] }]`, or a whole row `{ batchId, userIds, errorMsg }` when its batch cannot take users.',
  }),
});

/** Query of the list routes (upstream's): content fields, batch fields to add, and whether the cached list may answer. */
export const ListQuery = Type.Object(
  {
    fields: Type.Optional(Type.String({ maxLength: 1000, pattern: '^[A-Za-z0-9_.,]*$', description: 'Content fields (accepted for compatibility; the course facts are always given).' })),
    batchDetails: Type.Optional(
      Type.String({ maxLength: 1000, pattern: '^[A-Za-z0-9_,]*$', description: 'Batch fields to add as `batch`, comma-separated, e.g. `name,endDate,enrollmentEndDate`.' }),
    ),
    cache: Type.Optional(Type.Boolean({ description: 'false reads the enrolments again instead of the cached list. @default true' })),
  },
  { additionalProperties: false },
);

/** Path of `GET /v1/user/courses/list/:uid`. */
export const ListParams = Type.Object({ uid: Id('The user; must be the caller (or the managed user the caller acts for).') });

/** Body of `POST /v2/user/courses/list`. */
export const ListBody = requestBody(
  Type.Object(
    {
      userId: Type.Optional(Id('The user; must be the caller (or the managed user acted for). Defaults to the caller.')),
      courseIds: Type.Optional(IdList('Only these courses.', 100)),
      filters: Type.Optional(Type.Object({}, { additionalProperties: true, maxProperties: 20, description: 'Content search filters (accepted for compatibility).' })),
    },
    { additionalProperties: false },
  ),
);

/** Body of `POST /v2/user/courses/admin/list`. */
export const AdminListBody = requestBody(
  Type.Object(
    {
      userId: Id('The user whose courses are listed.'),
      courseIds: Type.Optional(IdList('Only these courses.', 100)),
      filters: Type.Optional(Type.Object({}, { additionalProperties: true, maxProperties: 20, description: 'Content search filters (accepted for compatibility).' })),
    },
    { additionalProperties: false },
  ),
);

/** One enrolment in a user's list (upstream's fields). */
export const CourseEnrolment = Type.Object(
  {
    userId: Type.String(),
    courseId: Type.String(),
    collectionId: Type.String(),
    contentId: Type.String(),
    batchId: Type.String(),
    active: Type.Boolean(),
    addedBy: Type.Union([Type.String(), Type.Null()]),
    status: Type.Integer({ description: '0 not started, 1 in progress, 2 completed' }),
    progress: Type.Integer({ description: 'Leaf contents completed.' }),
    completionPercentage: Type.Integer(),
    leafNodesCount: Type.Integer(),
    contentStatus: Type.Record(Type.String(), Type.Integer()),
    enrolledDate: Type.Union([Type.String(), Type.Null()], { description: 'Sunbird timestamp text.' }),
    dateTime: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds.' }),
    completedOn: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds.' }),
    lastContentAccessTime: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds.' }),
    lastReadContentId: Type.Union([Type.String(), Type.Null()]),
    lastReadContentStatus: Type.Union([Type.Integer(), Type.Null()]),
    issuedCertificates: Type.Array(Type.Record(Type.String(), Type.String())),
    certificates: Type.Array(Type.Record(Type.String(), Type.String())),
    courseName: Type.Union([Type.String(), Type.Null()]),
    description: Type.Union([Type.String(), Type.Null()]),
    courseLogoUrl: Type.Union([Type.String(), Type.Null()]),
    content: Type.Object({}, { additionalProperties: true, description: 'The course as Lern knows it (identifier, name, channel, status, leafNodes).' }),
    batch: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'The fields `batchDetails` asked for.' })),
  },
  { additionalProperties: false },
);

/** Result of the list routes. */
export const ListResult = Type.Object({ courses: Type.Array(CourseEnrolment) });
