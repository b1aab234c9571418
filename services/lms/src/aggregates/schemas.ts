/**
 * Request and result schemas of the aggregate routes (upstream's field names): a batch's collection
 * summary and a group's activity aggregates.
 */
import { Type } from '@lern/kit';
import { Id, requestBody } from '../schemas.ts';

/** Body of `POST /v1/collection/summary`. */
export const SummaryBody = requestBody(
  Type.Object(
    {
      filters: Type.Object(
        {
          collectionId: Type.Optional(Id('The collection (course).')),
          courseId: Type.Optional(Id('The course, when `collectionId` is not given.')),
          batchId: Id('The batch.'),
        },
        { additionalProperties: false, anyOf: [{ required: ['collectionId'] }, { required: ['courseId'] }] },
      ),
      granularity: Type.Optional(Type.Literal('ALL', { description: 'The whole life of the batch (the only period the aggregates keep).' })),
    },
    { additionalProperties: false },
  ),
);

/** One metric of a summary. */
const Metric = Type.Object({ type: Type.String({ description: '`enrolment` (active participants), `start` (completed one content or more), `complete` (completed every leaf)' }), count: Type.Integer() });

/** Result of the summary. */
export const SummaryResult = Type.Object({
  metrics: Type.Array(Metric),
  collectionId: Type.String(),
  batchId: Type.String(),
  lastUpdatedOn: Type.Integer({ description: 'Epoch milliseconds the figures were computed (they are cached for a minute).' }),
});

/** Body of `POST /v1/group/activity/agg`. */
export const GroupAggBody = requestBody(
  Type.Object(
    {
      groupId: Id('The group.'),
      activityId: Id('The activity (a course).'),
      activityType: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z]+$', description: 'The activity type, e.g. `Course`.' }),
    },
    { additionalProperties: false },
  ),
);

/** One aggregate of a member. */
const MemberAgg = Type.Object({
  metric: Type.String(),
  value: Type.Number(),
  lastUpdatedOn: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch milliseconds.' }),
});

/** Result of the group aggregates (upstream's shape). */
export const GroupAggResult = Type.Object({
  groupId: Type.String(),
  activity: Type.Object({
    id: Type.String(),
    type: Type.String(),
    agg: Type.Array(Type.Object({ metric: Type.Literal('enrolmentCount'), lastUpdatedOn: Type.Integer(), value: Type.Integer() })),
  }),
  members: Type.Array(
    Type.Object({
      userId: Type.String(),
      name: Type.Union([Type.String(), Type.Null()]),
      role: Type.Union([Type.String(), Type.Null()]),
      status: Type.Union([Type.String(), Type.Null()]),
      createdBy: Type.Union([Type.String(), Type.Null()]),
      agg: Type.Array(MemberAgg),
    }),
  ),
});

/** Upstream's codes for the group request's missing fields. */
export const GROUP_AGG_CODES: Record<string, { err: string; message: string }> = {
  groupId: { err: 'GROUP_ID_MISSING', message: 'GroupId is mandatory.' },
  activityId: { err: 'ACTIVITY_ID_MISSING', message: 'ActivityId is mandatory.' },
  activityType: { err: 'ACTIVITY_TYPE_MISSING', message: 'ActivityType is mandatory.' },
};
