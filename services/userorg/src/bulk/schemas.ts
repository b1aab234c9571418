/**
 * Schemas of the bulk upload routes. Uploads come as upstream accepts them: multipart/form-data with
 * the CSV as a file part, application/x-www-form-urlencoded with the CSV in `data`, or JSON
 * `{request: {data: "<csv>"}}`; the first two are turned into the JSON shape before validation
 * (plugin.ts), so one schema describes all three.
 */
import { Type } from '@lern/kit';

const envelope = <T extends Parameters<typeof Type.Object>[0]>(request: T) =>
  Type.Object(
    {
      id: Type.Optional(Type.String()),
      ver: Type.Optional(Type.String()),
      ts: Type.Optional(Type.String()),
      params: Type.Optional(Type.Object({}, { additionalProperties: true })),
      request: Type.Object(request, { additionalProperties: true }),
    },
    { additionalProperties: true },
  );

/** The CSV: missing is "Missing file attachment." (0035), too long "Max allowed size is 10MB" (0014). */
const Data = (maxFileBytes: number) => Type.String({ maxLength: maxFileBytes, description: `The CSV file (header line, then one line per row), at most ${maxFileBytes} bytes.` });

/** POST /v1/user/upload and /v1/org/upload. */
export const uploadBody = (maxFileBytes: number) => envelope({ data: Data(maxFileBytes) });

/** POST /v1/bulk/location/upload: `type` is the type of every location of the file. */
export const locationUploadBody = (maxFileBytes: number) =>
  envelope({
    data: Data(maxFileBytes),
    type: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S', description: 'Mandatory: the location type (state, district, block, cluster, school).' }),
  });

/** Result of an upload. */
export const UploadResult = Type.Object({ processId: Type.String() });

/** GET /v1/upload/status/:processId. */
export const StatusParams = Type.Object({ processId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

const Results = Type.Array(Type.Object({}, { additionalProperties: true }));

/** Result of the status read. */
export const StatusResult = Type.Object({
  response: Type.Array(
    Type.Object({
      processId: Type.String(),
      status: Type.Enum(['NOT STARTED', 'IN PROGRESS', 'COMPLETED', 'FAILED']),
      message: Type.String({ examples: ['Operation is completed.'] }),
      objectType: Type.Optional(Type.Enum(['user', 'organisation', 'location'])),
      successResult: Type.Optional(Results),
      failureResult: Type.Optional(Results),
    }),
  ),
});
