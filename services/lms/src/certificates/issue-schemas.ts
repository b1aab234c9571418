/** Request and result schemas of `POST /v1/course/batch/cert/issue` (upstream's field names). */
import { Type } from '@lern/kit';
import { Id, IdList, requestBody } from '../schemas.ts';

/** Most users one request may name. */
export const MAX_ISSUE_USERS = 1000;

/** Body: the batch, and optionally the users (default: every active participant). */
export const IssueBody = requestBody(
  Type.Object(
    {
      courseId: Type.Optional(Id('The course; `collectionId` is accepted instead.')),
      collectionId: Type.Optional(Id('The course, when `courseId` is not given.')),
      batchId: Id('The batch.'),
      userIds: Type.Optional(IdList('Only these users (default: every active participant of the batch).', MAX_ISSUE_USERS)),
    },
    { additionalProperties: false, anyOf: [{ required: ['courseId'] }, { required: ['collectionId'] }] },
  ),
);

/** Query: `reIssue=true` issues again to users who already hold the certificate. */
export const IssueQuery = Type.Object({ reIssue: Type.Optional(Type.Boolean({ description: 'Issue again to users who already hold it. @default false' })) }, { additionalProperties: false });

/** Result, as upstream nests it: `{ result: { status, batchId, courseId, collectionId } }`. */
export const IssueResult = Type.Object({
  result: Type.Object({
    status: Type.String({ description: '"Certificates issue action for Course Batch Id <id> submitted Successfully!"' }),
    batchId: Type.String(),
    courseId: Type.String(),
    collectionId: Type.String(),
    userCount: Type.Integer({ description: 'Users an issue instruction was published for.' }),
  }),
});
