/**
 * Request and result schemas of progress (upstream's field names and codes): the content state
 * update (contents and assessment attempts, or neither for an enrolment recomputation) and read.
 */
import { Type, formatMessage, sunbirdValidationError, type ValidationErrorMapper } from '@lern/kit';
import { Id, IdList, requestBody } from '../schemas.ts';

/** Most contents one update may carry. */
export const MAX_CONTENTS = 100;
/** Most assessment attempts one update may carry. */
export const MAX_ASSESSMENTS = 20;
/** Most telemetry events of one attempt. */
export const MAX_ASSESS_EVENTS = 200;

/** Sunbird's timestamp text `yyyy-MM-dd HH:mm:ss:SSSZ`, e.g. `2020-11-23 12:58:35:179+0000`. */
const SunbirdTime = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}[+-]\\d{4}$', maxLength: 28 });
const OptionalTime = Type.Optional(Type.Union([SunbirdTime, Type.Null()]));
const courseOrCollection = { anyOf: [{ required: ['courseId'] }, { required: ['collectionId'] }] };

/** One content's state. */
export const ContentState = Type.Object(
  {
    contentId: Id('The content (a leaf of the course).'),
    batchId: Id('The batch the user consumes the course in.'),
    courseId: Type.Optional(Id('The course; `collectionId` is accepted instead.')),
    collectionId: Type.Optional(Id('The course, when `courseId` is not given.')),
    status: Type.Integer({ minimum: 0, maximum: 2, description: '0 not started, 1 in progress, 2 completed' }),
    userId: Type.Optional(Id('The user; the caller (or the managed user acted for) when absent.')),
    progress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    viewCount: Type.Optional(Type.Integer({ minimum: 0 })),
    completedCount: Type.Optional(Type.Integer({ minimum: 0 })),
    lastAccessTime: OptionalTime,
    lastCompletedTime: OptionalTime,
    lastUpdatedTime: OptionalTime,
    progressdetails: Type.Optional(Type.Object({}, { additionalProperties: true, maxProperties: 50, description: 'Player state (stored as JSON).' })),
  },
  { additionalProperties: false, ...courseOrCollection },
);

/** One assessment attempt with its telemetry ASSESS events. */
export const AssessmentAttempt = Type.Object(
  {
    assessmentTs: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,15}$' })], { description: 'Epoch milliseconds of the attempt.' }),
    batchId: Id('The batch.'),
    courseId: Id('The course.'),
    contentId: Id('The assessment content (a leaf of the course).'),
    userId: Id('The user (must be the caller or the managed user acted for).'),
    attemptId: Type.String({ minLength: 1, maxLength: 256 }),
    events: Type.Array(Type.Object({}, { additionalProperties: true }), { maxItems: MAX_ASSESS_EVENTS }),
  },
  { additionalProperties: false },
);

/** Body of `PATCH /v1/content/state/update`. */
export const UpdateBody = requestBody(
  Type.Object(
    {
      userId: Type.Optional(Id('The user; must be the caller (or the managed user acted for). Defaults to the caller.')),
      contents: Type.Optional(Type.Array(ContentState, { minItems: 1, maxItems: MAX_CONTENTS })),
      assessments: Type.Optional(Type.Array(AssessmentAttempt, { minItems: 1, maxItems: MAX_ASSESSMENTS })),
      // Without contents and assessments: recompute this enrolment from its stored consumption.
      courseId: Type.Optional(Id('The course (enrolment recomputation).')),
      collectionId: Type.Optional(Id('The course (enrolment recomputation).')),
      batchId: Type.Optional(Id('The batch (enrolment recomputation).')),
    },
    {
      additionalProperties: false,
      anyOf: [{ required: ['contents'] }, { required: ['assessments'] }, { required: ['batchId'], ...courseOrCollection }],
    },
  ),
);

/** Result of the update: `{ "<contentId>": "SUCCESS", "<batchId>": "SUCCESS" (assessments), BATCH_NOT_EXISTS: [...], NOT_A_ON_GOING_BATCH: [...] }`. */
export const UpdateResult = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));

/** Body of `POST /v1/content/state/read`. */
export const ReadBody = requestBody(
  Type.Object(
    {
      userId: Type.Optional(Id('The user; must be the caller (or the managed user acted for). Defaults to the caller.')),
      courseId: Type.Optional(Id('The course; `collectionId` is accepted instead.')),
      collectionId: Type.Optional(Id('The course, when `courseId` is not given.')),
      courseIds: Type.Optional(IdList('Upstream’s older form: the first is the course.', 1)),
      batchId: Id('The batch.'),
      contentIds: Type.Optional(IdList('Only these contents.', 500)),
      fields: Type.Optional(Type.Array(Type.Union([Type.Literal('progress'), Type.Literal('score')]), { maxItems: 2, description: '`score` adds the assessment attempts.' })),
    },
    { additionalProperties: false, anyOf: [{ required: ['courseId'] }, { required: ['collectionId'] }, { required: ['courseIds'] }] },
  ),
);

/** One content's state as read. */
export const ContentStateView = Type.Object(
  {
    contentId: Type.String(),
    courseId: Type.String(),
    collectionId: Type.String(),
    batchId: Type.String(),
    status: Type.Integer(),
    progress: Type.Integer(),
    viewCount: Type.Union([Type.Integer(), Type.Null()]),
    completedCount: Type.Union([Type.Integer(), Type.Null()]),
    completionPercentage: Type.Union([Type.Number(), Type.Null()]),
    lastAccessTime: Type.Union([Type.String(), Type.Null()], { description: 'Sunbird timestamp text.' }),
    lastCompletedTime: Type.Union([Type.String(), Type.Null()]),
    lastUpdatedTime: Type.Union([Type.String(), Type.Null()]),
    progressdetails: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
    score: Type.Optional(
      Type.Array(
        Type.Object({
          attemptId: Type.String(),
          lastAttemptedOn: Type.Union([Type.String(), Type.Null()]),
          totalMaxScore: Type.Union([Type.Number(), Type.Null()]),
          totalScore: Type.Union([Type.Number(), Type.Null()]),
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

/** Result of the read. */
export const ReadResult = Type.Object({ contentList: Type.Array(ContentStateView) });

/** Upstream's codes for the update's missing or malformed fields (RequestValidator.validateUpdateContent). */
const UPDATE_CODES: Record<string, { err: string; message: string }> = {
  contentId: { err: 'CONTENT_ID_REQUIRED_ERROR', message: 'Please provide content id.' },
  status: { err: 'CONTENT_STATUS_MISSING_ERROR', message: 'content status is required .' },
  courseId: { err: 'COURSE_ID_REQUIRED_ERROR', message: 'Please provide course id.' },
  batchId: { err: 'COURSE_BATCH_ID_MISSING', message: 'Course batch Id required' },
  userId: { err: 'USERID_MISSING', message: 'UserId is mandatory.' },
  attemptId: { err: 'ATTEMPT_ID_REQUIRED_ERROR', message: 'Please provide attempt id.' },
  assessmentTs: { err: 'ATTEMPTED_DATE_REQUIRED', message: 'Attempted data is required.' },
  events: { err: 'EVENTS_DATA_MISSING', message: 'Events array is mandatory' },
  // Neither contents nor assessments: the request is an enrolment recomputation, which needs the course.
  contents: { err: 'COURSE_ID_REQUIRED_ERROR', message: 'Please provide course id.' },
};
const TIME_FIELDS = new Set(['lastAccessTime', 'lastCompletedTime', 'lastUpdatedTime']);

/** The update's validation errors in upstream's codes; the rest as lms-service words them. */
export const updateValidation: ValidationErrorMapper = (issue) => {
  if (issue.kind === 'missing' && UPDATE_CODES[issue.field]) return { err: UPDATE_CODES[issue.field]!.err, errmsg: UPDATE_CODES[issue.field]!.message };
  if (issue.kind === 'format' && TIME_FIELDS.has(issue.field)) return { err: 'DATE_FORMAT_ERRROR', errmsg: 'Date format error.' };
  if (issue.field === 'status' && issue.kind === 'invalid') {
    return { err: 'INVALID_PROGRESS_STATUS', errmsg: 'Progress status value should be NOT_STARTED(0), STARTED(1), COMPLETED(2).' };
  }
  return sunbirdValidationError()(issue);
};

/** The read's "course is missing" (an anyOf over its three names) as upstream words it. */
export const readValidation: ValidationErrorMapper = (issue) => {
  if (issue.kind === 'missing' && issue.field === 'courseId' && issue.path === 'request.courseId') {
    return { err: 'MANDATORY_PARAMETER_MISSING', errmsg: formatMessage('Mandatory parameter {0} is missing.', 'courseId') };
  }
  return sunbirdValidationError()(issue);
};
