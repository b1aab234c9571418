/**
 * Managed-user read and login-id read (upstream controller/conf/routes: GET /v1/user/managed/:lua_uuid,
 * POST /v1/user/getuser). The managed users of a user are listed for that user or an administrator of
 * their organisations; a user read by login id follows the user read rule (self or administrator).
 */
import { MESSAGES, defineRoute, formatMessage, sunbirdValidationError, unauthorized, type Route, type ValidationErrorMapper } from '@lern/kit';
import { USER_READ_PREFIX, managedUsers, userByLoginId, type ManagedUserDeps } from './managed-operations.ts';
import { GetUserBody, GetUserQuery, GetUserResult, ManagedParams, ManagedQuery, ManagedResult } from './managed-schemas.ts';

const standard = sunbirdValidationError(USER_READ_PREFIX);

/** A malformed luaUuid is upstream's INVALID_REQUEST_PARAMETER (0021). */
const managedValidation: ValidationErrorMapper = (issue) =>
  issue.field === 'luaUuid' ? { err: `${USER_READ_PREFIX}0021`, errmsg: formatMessage(MESSAGES.invalidRequestParameter, 'luaUuid') } : standard(issue);

/** A blank or missing loginId is upstream's "Please provide valid loginId." (0019). */
const getUserValidation: ValidationErrorMapper = (issue) => {
  if (issue.kind === 'request') return { err: 'UOS_0028', errmsg: MESSAGES.invalidRequestData };
  if (issue.field === 'loginId') return { err: `${USER_READ_PREFIX}0019`, errmsg: formatMessage(MESSAGES.invalidParameter, 'loginId') };
  return standard(issue);
};

const fieldList = (fields: string | undefined): string[] => (fields ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');

/** The managed-user and login-id read routes. */
export function managedUserRoutes(deps: ManagedUserDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/user/managed/:luaUuid',
      policy: 'selfOrAdmin',
      target: (req) => ({ userId: req.params.luaUuid, scope: () => deps.store.userScope(req.params.luaUuid) }),
      validationError: managedValidation,
      schema: { params: ManagedParams, querystring: ManagedQuery, result: ManagedResult },
      summary: 'List the managed (child) users of a user',
      description: 'Deleted managed users are left out. `withTokens` is accepted but no tokens are issued.',
      tags: ['user'],
      handler: async (req) => {
        const { sortBy, order } = req.query;
        return managedUsers(deps, req.params.luaUuid, sortBy ? { field: sortBy, order: order?.toLowerCase() === 'desc' ? 'desc' : 'asc' } : null);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/user/getuser',
      // Who the user is is known only after the lookup: the handler applies the user read rule.
      policy: 'authenticated',
      errors: [403, 404],
      validationError: getUserValidation,
      schema: { body: GetUserBody, querystring: GetUserQuery, result: GetUserResult },
      summary: 'Read a user by login id',
      description: 'The user themself or an administrator of their organisations (403 otherwise); 404 when no user has the login id.',
      tags: ['user'],
      handler: async (req) => {
        // The policy admits only verified callers.
        if (!req.caller) throw unauthorized('UOS_0070');
        return userByLoginId(deps, req.caller, req.body.request.loginId, fieldList(req.query.fields));
      },
    }),
  ];
}
