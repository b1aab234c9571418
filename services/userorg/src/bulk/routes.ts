/**
 * Bulk upload routes (upstream controller/conf/routes: POST /v1/user/upload, /v1/org/upload,
 * /v1/bulk/location/upload; GET /v1/upload/status/:pid). Uploading is for administrators; user and
 * organisation uploads belong to the uploader's root organisation, and each row is authorised
 * against the uploader's grants when it runs. Register with registerBulkUploads (plugin.ts), which
 * also accepts the multipart and form bodies.
 */
import { MESSAGES, defineRoute, sunbirdValidationError, unauthorized, type Route, type ValidationErrorMapper } from '@lern/kit';
import type { BulkObjectType } from './columns.ts';
import { StatusParams, StatusResult, UploadResult, locationUploadBody, uploadBody } from './schemas.ts';
import { STATUS_PREFIX, uploadStatus, type StatusDeps } from './status.ts';
import { UPLOAD_PREFIX, acceptUpload, sizeMessage, type UploadDeps, type UploadLimits } from './upload.ts';

/**
 * Validation errors with the operation's prefix, and upstream's own for the file: missing is
 * MISSING_FILE_ATTACHMENT (0035), too long MAX_ALLOWED_SIZE_LIMIT_EXCEED (0014); a body that is not a
 * request at all is UOS_0028.
 */
function uploadValidation(prefix: string, limits: UploadLimits): ValidationErrorMapper {
  const standard = sunbirdValidationError(prefix);
  return (issue) => {
    if (issue.kind === 'request') return { err: 'UOS_0028', errmsg: MESSAGES.invalidRequestData };
    if (issue.field === 'data' && issue.kind === 'missing') return { err: `${prefix}0035`, errmsg: 'Missing file attachment.' };
    if (issue.field === 'data' && issue.kind === 'invalid') return { err: `${prefix}0014`, errmsg: sizeMessage(limits) };
    return standard(issue);
  };
}

const CALLER_REQUIRED = (): never => {
  // The policies admit only verified callers.
  throw unauthorized('UOS_0070');
};

const UPLOAD_DESCRIPTION =
  'multipart/form-data (the CSV as a file part), application/x-www-form-urlencoded (`data`) or JSON `{request: {data}}`. ' +
  'Checked before anything is stored: size (0014), header (0010 empty, 0020 unknown column, 0030 missing column), row count (0007). ' +
  'Rows run in the background; poll GET /v1/upload/status/{processId}.';

/** The bulk upload routes. */
export function bulkRoutes(deps: UploadDeps & StatusDeps): Route[] {
  const upload = (url: string, type: Exclude<BulkObjectType, 'location'>, summary: string) =>
    defineRoute({
      method: 'POST',
      url,
      policy: 'admin',
      validationError: uploadValidation(UPLOAD_PREFIX[type], deps.limits),
      schema: { body: uploadBody(deps.limits.maxFileBytes), result: UploadResult },
      summary,
      description: UPLOAD_DESCRIPTION,
      tags: ['bulk upload'],
      handler: async (req) => {
        if (!req.caller) return CALLER_REQUIRED();
        return acceptUpload(deps, type, req.caller, req.body.request.data, null);
      },
    });
  return [
    upload('/v1/user/upload', 'user', "Create or update users from a CSV file, in the uploader's tenant"),
    upload('/v1/org/upload', 'organisation', "Create or update organisations from a CSV file, in the uploader's tenant"),
    defineRoute({
      method: 'POST',
      url: '/v1/bulk/location/upload',
      policy: 'admin',
      validationError: uploadValidation(UPLOAD_PREFIX.location, deps.limits),
      schema: { body: locationUploadBody(deps.limits.maxFileBytes), result: UploadResult },
      summary: 'Create or update locations of one type from a CSV file (columns code, name, parentCode, parentId)',
      description: UPLOAD_DESCRIPTION,
      tags: ['bulk upload'],
      handler: async (req) => {
        if (!req.caller) return CALLER_REQUIRED();
        return acceptUpload(deps, 'location', req.caller, req.body.request.data, req.body.request.type);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/upload/status/:processId',
      policy: 'admin',
      errors: [404],
      errorPrefix: STATUS_PREFIX,
      schema: { params: StatusParams, result: StatusResult },
      summary: 'Status and per-row results of a bulk upload',
      description: "The uploader, or an administrator of the uploader's root organisation.",
      tags: ['bulk upload'],
      handler: async (req) => {
        if (!req.caller) return CALLER_REQUIRED();
        return uploadStatus(deps, req.caller, req.params.processId);
      },
    }),
  ];
}
