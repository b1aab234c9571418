/**
 * Self-declaration route (upstream controller/conf/routes: PATCH /v1/user/declarations). The caller
 * declares for themself (or for the managed user they act for).
 */
import { MESSAGES, defineRoute, formatMessage, unauthorized, validationMessage, type Route, type ValidationErrorMapper } from '@lern/kit';
import { DECLARATIONS_PREFIX, updateDeclarations, type DeclarationDeps } from './operations.ts';
import { UpdateDeclarationsBody, UpdateDeclarationsResult } from './schemas.ts';

/**
 * Upstream wraps every validation failure of a declarations request in INVALID_PARAMETER_VALUE (0017)
 * with the underlying message; a blank userId or orgId reads "Mandatory parameter userId or orgId is
 * missing."; a missing or unknown operation is INVALID_OPERATION_NAME (0027).
 */
export const declarationsValidation: ValidationErrorMapper = (issue) => {
  if (issue.kind === 'request') return { err: 'UOS_0028', errmsg: MESSAGES.invalidRequestData };
  if (issue.field === 'operation') return { err: `${DECLARATIONS_PREFIX}0027`, errmsg: 'Operation name is invalid. Please provide a valid operation name' };
  const blank = issue.kind === 'missing' || issue.kind === 'empty' || issue.kind === 'format';
  if ((issue.field === 'userId' || issue.field === 'orgId') && blank) {
    return { err: `${DECLARATIONS_PREFIX}0017`, errmsg: formatMessage(MESSAGES.mandatoryParamsMissing, 'userId or orgId') };
  }
  if (issue.field === 'declarations' && (issue.kind === 'empty' || issue.kind === 'missing')) {
    return { err: `${DECLARATIONS_PREFIX}0017`, errmsg: formatMessage(MESSAGES.mandatoryParamsMissing, 'declarations') };
  }
  return { err: `${DECLARATIONS_PREFIX}0017`, errmsg: validationMessage(issue) };
};

/** The declaration routes. */
export function declarationRoutes(deps: DeclarationDeps): Route[] {
  return [
    defineRoute({
      method: 'PATCH',
      url: '/v1/user/declarations',
      policy: 'self',
      target: (req) => ({ userId: req.body.request.declarations[0]?.userId }),
      errors: [404],
      validationError: declarationsValidation,
      schema: { body: UpdateDeclarationsBody, result: UpdateDeclarationsResult },
      summary: "Add, edit or remove the caller's self-declarations",
      description: 'All declarations of a request are for one user, the caller. The organisation must exist and not be the custodian organisation (400 UOS_UDECLUPD0019).',
      tags: ['user'],
      handler: async (req) => {
        // The policy admits only verified callers.
        if (!req.caller) throw unauthorized('UOS_0070');
        return updateDeclarations(deps, req.caller, req.body.request.declarations);
      },
    }),
  ];
}
