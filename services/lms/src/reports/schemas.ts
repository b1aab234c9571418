/** Request and result schemas of report job requests (upstream's field names). */
import { Type } from '@lern/kit';
import { ID_PATTERN, Id, requestBody } from '../schemas.ts';

/** A report tag or dataset name: identifier characters, at most 100. */
const Name = (description: string) => Type.String({ minLength: 1, maxLength: 100, pattern: ID_PATTERN, description });

/** Headers: the channel (root organisation) the report is for, as upstream's gateway passes it. */
export const ChannelHeaders = Type.Object(
  { 'x-channel-id': Type.String({ minLength: 1, maxLength: 100, pattern: ID_PATTERN, description: 'The root organisation (channel) the report is for.' }) },
  { additionalProperties: true },
);

/** Body of `POST /v1/jobrequest/submit`. */
export const SubmitBody = requestBody(
  Type.Object(
    {
      tag: Name('What the report is about, e.g. `<courseId>_<batchId>`.'),
      dataset: Name('The report (data product), e.g. `progress-exhaust`.'),
      requestedBy: Type.Optional(Id('Who asks; must be the caller. Defaults to the caller.')),
      datasetConfig: Type.Object({}, { additionalProperties: true, maxProperties: 50, description: "The data product's parameters, e.g. `{ batchId }`; `type` distinguishes requests." }),
      encryptionKey: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "Password of the report's zip (stored encrypted)." })),
      output_format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
    },
    { additionalProperties: false },
  ),
);

/** Path of `GET /v1/jobrequest/list/:tag`. */
export const ListParams = Type.Object({ tag: Name('The tag the requests were submitted with.') });
/** Query of the list. */
export const ListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: '@default 10' })) }, { additionalProperties: false });

/** A request as upstream's JobResponse shows it. */
export const JobView = Type.Object({
  requestId: Type.String(),
  tag: Type.String({ description: '`<tag>:<channel>`' }),
  dataset: Type.Union([Type.String(), Type.Null()]),
  requestedBy: Type.Union([Type.String(), Type.Null()]),
  requestedChannel: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'SUBMITTED, PROCESSING, SUCCESS or FAILED' }),
  lastUpdated: Type.Integer({ description: 'Epoch milliseconds.' }),
  datasetConfig: Type.Object({}, { additionalProperties: true }),
  attempts: Type.Integer(),
  jobStats: Type.Object({
    dtJobSubmitted: Type.Integer(),
    dtJobCompleted: Type.Union([Type.Integer(), Type.Null()]),
    executionTime: Type.Union([Type.Integer(), Type.Null()]),
  }),
  downloadUrls: Type.Array(Type.String()),
  expiresAt: Type.Integer(),
  statusMessage: Type.Union([Type.String(), Type.Null()]),
});

/** Result of the list. */
export const ListResult = Type.Object({ count: Type.Integer(), jobs: Type.Array(JobView) });
