/**
 * Terms acceptance route (upstream controller/conf/routes: POST /v1/user/tnc/accept). The caller
 * accepts for themself, for the managed user they act for (x-authenticated-for), or for one of their
 * managed users named in `userId`.
 */
import { MESSAGES, defineRoute, sunbirdValidationError, unauthorized, type Route, type ValidationErrorMapper } from '@lern/kit';
import { TNC_PREFIX, acceptTnc, tncTarget, type TncDeps } from './operations.ts';
import { AcceptTncBody, AcceptTncResult } from './schemas.ts';

/** Upstream's messages: a blank version is missing (0030), a malformed userId INVALID_PROPERTY_ERROR (0052). */
export const tncValidation: ValidationErrorMapper = (issue) => {
  const standard = sunbirdValidationError(TNC_PREFIX);
  if (issue.kind === 'request') return { err: 'UOS_0028', errmsg: MESSAGES.invalidRequestData };
  if (issue.field === 'version' && (issue.kind === 'empty' || issue.kind === 'format')) return standard({ ...issue, kind: 'missing' });
  if (issue.field === 'userId' && (issue.kind === 'format' || issue.kind === 'empty')) return { err: `${TNC_PREFIX}0052`, errmsg: 'Invalid property userId.' };
  return standard(issue);
};

/** The terms routes. */
export function tncRoutes(deps: TncDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/user/tnc/accept',
      policy: 'selfOrManaged',
      target: (req) => {
        const userId = tncTarget(req.caller, req.body.request);
        return { userId, scope: () => deps.store.scope(userId) };
      },
      errors: [404],
      validationError: tncValidation,
      schema: { body: AcceptTncBody, result: AcceptTncResult },
      summary: 'Accept terms and conditions',
      description:
        "Records the accepted version and date on the user. The version must be the terms type's latestVersion (400 UOS_TNCACCPT0017); accepting it again changes nothing.",
      tags: ['user'],
      handler: async (req) => {
        // The policy admits only verified callers.
        if (!req.caller) throw unauthorized('UOS_0070');
        return acceptTnc(deps, req.caller, req.body.request);
      },
    }),
  ];
}
