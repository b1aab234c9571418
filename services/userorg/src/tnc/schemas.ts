/**
 * Request and result schemas of terms acceptance (upstream UserTnCController / UserTnCRequestValidator).
 */
import { Type } from '@lern/kit';

/** The terms type whose acceptance lives in tncacceptedversion/tncacceptedon (upstream JsonKey.TNC_CONFIG). */
export const DEFAULT_TNC_TYPE = 'tncConfig';

/** POST /v1/user/tnc/accept. */
export const AcceptTncBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    ver: Type.Optional(Type.String()),
    ts: Type.Optional(Type.String()),
    params: Type.Optional(Type.Object({}, { additionalProperties: true })),
    request: Type.Object(
      {
        version: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S', description: "Mandatory: the version accepted; must be the terms type's latestVersion (system setting)." }),
        tncType: Type.Optional(
          Type.String({
            minLength: 1,
            maxLength: 64,
            pattern: '^[A-Za-z][A-Za-z0-9_.-]*$',
            description: `Terms type, the name of the system setting holding {"latestVersion": ...}. Default ${DEFAULT_TNC_TYPE}; orgAdminTnc needs ORG_ADMIN and reportViewerTnc REPORT_VIEWER or REPORT_ADMIN in the user's root organisation.`,
          }),
        ),
        userId: Type.Optional(Type.String({ format: 'uuid', description: 'A managed user the caller accepts for (default: the caller, or the managed user acted for).' })),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

/** Result of acceptance. */
export const AcceptTncResult = Type.Object({ response: Type.Literal('SUCCESS') });
