/**
 * The user routes, on upstream's paths (controller/conf/routes). Each declares who may call it:
 * creates by administrators (narrowed to the organisations they administer), managed users by
 * their parent, sign-up by anyone; reads, updates and deletes by the user themself or an
 * administrator of the user's organisation; block and unblock by such an administrator; `/private`
 * routes only on the internal port.
 */
import { defineRoute, type Caller, type Route } from '@lern/kit';
import { userTarget } from '../access.ts';
import type { UserOrgDeps } from '../context.ts';
import { operationOf, type IssueReading } from '../errors.ts';
import { ResponseResult, SuccessResult } from '../schemas.ts';
import { adminNewUser, createUser, managedNewUser, signupNewUser } from './create.ts';
import { getByContact, getByIdentifier, lookupUsers, readUser, userExists } from './read.ts';
import {
  CreateManagedUserBody,
  CreateUserBody,
  CreateUserV1Body,
  EmailParams,
  ExistsParams,
  IdTypeParams,
  LookupBody,
  NOT_UPDATABLE,
  PhoneParams,
  SignupBody,
  UpdateUserBody,
  UserIdBody,
  UserIdParams,
  UserSearchBody,
} from './schemas.ts';
import { searchUsers } from './search.ts';
import { deleteUser, setBlocked } from './status.ts';
import { updateUser } from './update.ts';

const SUCCESS = { response: 'SUCCESS' } as const;

/** Schema issues of a create that upstream reports with their own reasons. */
const createIssues =
  (options: { signup?: boolean } = {}): IssueReading =>
  (issue) => {
    if ((issue.kind === 'missing' || issue.kind === 'empty') && issue.field === 'email') return { reason: 'invalidParameter', args: ['email or phone'] };
    if (issue.field === 'password' && (issue.kind === 'format' || issue.kind === 'invalid')) return { reason: 'passwordValidation' };
    if (issue.field === 'managedBy' && issue.kind === 'invalid') return { reason: 'managedByNotAllowed' };
    // Sign-up answers format errors with the unformatted template, as upstream does.
    const contact = issue.field === 'email' || issue.field === 'phone';
    if (contact && options.signup && (issue.kind === 'format' || issue.kind === 'invalid')) return { reason: 'dataFormatError' };
    if (issue.field === 'phone' && issue.kind === 'invalid') return { reason: 'dataFormatError', args: ['phone'] };
    return undefined;
  };

const managedIssues: IssueReading = (issue) =>
  (issue.field === 'email' || issue.field === 'phone') && issue.kind === 'invalid' ? { reason: 'onlyEmailOrPhoneOrManagedBy' } : undefined;

const updateIssues: IssueReading = (issue) => {
  if (issue.kind !== 'invalid') return undefined;
  if (issue.field === 'managedBy') return { reason: 'managedByNotAllowed' };
  if ((NOT_UPDATABLE as readonly string[]).includes(issue.field)) return { reason: 'unupdatableField', args: [issue.field] };
  if (issue.field === 'phone') return { reason: 'dataFormatError', args: ['phone'] };
  return undefined;
};

/** Upstream answers a badly formatted identifier with the unformatted template ("Invalid format for given {0}."). */
const identifierIssues: IssueReading = (issue) => (issue.kind === 'format' ? { reason: 'dataFormatError' } : undefined);


function createRoutes(deps: UserOrgDeps): Route[] {
  const adminCreates = [
    ['/v1/user/create', CreateUserV1Body],
    ['/v2/user/create', CreateUserBody],
    ['/v3/user/create', CreateUserBody],
    ['/v1/ssouser/create', CreateUserBody],
  ] as const;
  const created = (userId: { userId: string }) => ({ ...SUCCESS, ...userId, errors: [] });
  return [
    ...adminCreates.map(([url, body]) =>
      defineRoute({
        method: 'POST', url, policy: 'admin', ...operationOf('createUser', 'user', createIssues()), summary: 'Create a user in an organisation the caller administers',
        schema: { body, result: SuccessResult },
        handler: async (req) => created(await createUser(deps, adminNewUser(req.body.request), { caller: req.caller, byAdmin: true })),
      }),
    ),
    ...['/v4/user/create', '/v1/manageduser/create', '/v2/manageduser/create'].map((url) =>
      defineRoute({
        method: 'POST', url, policy: 'selfOrAdmin', ...operationOf('createUser', 'user', managedIssues), summary: 'Create a managed (child) user of the caller',
        target: (req) => userTarget(deps, req.body.request.managedBy),
        schema: { body: CreateManagedUserBody, result: SuccessResult },
        handler: async (req) => created(await createUser(deps, managedNewUser(req.body.request), { caller: req.caller, byAdmin: false })),
      }),
    ),
    ...['/v1/user/signup', '/v2/user/signup'].map((url) =>
      defineRoute({
        method: 'POST', url, policy: 'public', ...operationOf('createUser', 'user', createIssues({ signup: true })),
        summary: 'Sign up: a PUBLIC user with unverified email and phone (roles and verification flags in the request are ignored)',
        schema: { body: SignupBody, result: SuccessResult },
        handler: async (req) => created(await createUser(deps, signupNewUser(req.body.request), { caller: req.caller, byAdmin: false })),
      }),
    ),
  ];
}

function profileRoutes(deps: UserOrgDeps): Route[] {
  const update = (url: string, internal: boolean) =>
    defineRoute({
      method: 'PATCH', url, policy: internal ? 'internal' : 'selfOrAdmin', errors: [403, 404], ...operationOf('updateUser', 'user', updateIssues), summary: 'Update a user profile',
      target: (req) => userTarget(deps, req.body.request.userId),
      schema: { body: UpdateUserBody, result: SuccessResult },
      handler: (req) => updateUser(deps, req.body.request, req.caller).then(() => ({ ...SUCCESS, errors: [] })),
    });
  const read = (url: string, internal: boolean) =>
    defineRoute({
      method: 'GET', url, policy: internal ? 'internal' : 'selfOrAdmin', errors: [404], ...operationOf('readUser', 'user'), summary: 'Read a user (cached)',
      target: (req) => userTarget(deps, req.params.uid),
      schema: { params: UserIdParams, result: ResponseResult },
      handler: async (req) => ({ response: await readUser(deps, req.params.uid) }),
    });
  return [
    ...['/v1/user/update', '/v2/user/update', '/v3/user/update'].map((url) => update(url, false)),
    update('/private/user/v1/update', true),
    ...['v1', 'v2', 'v3', 'v4', 'v5'].map((v) => read(`/${v}/user/read/:uid`, false)),
    read('/private/user/v1/read/:uid', true),
  ];
}

function lookupRoutes(deps: UserOrgDeps): Route[] {
  return ['v1', 'v2'].flatMap((v) => [
    defineRoute({
      method: 'GET', url: `/${v}/user/exists/:key/:value`, policy: 'public', ...operationOf('checkUserExistence', 'user', identifierIssues),
      summary: 'Whether an email, phone, userName or external id is taken',
      schema: { params: ExistsParams },
      handler: async (req) => ({ exists: await userExists(deps, req.params.key, req.params.value) }),
    }),
    ...(['email', 'phone'] as const).map((kind) =>
      defineRoute({
        method: 'GET', url: `/${v}/user/get/${kind}/:id`, policy: 'public', errors: [404], ...operationOf('getUserByKey', 'user', identifierIssues),
        summary: `A user by ${kind}: in full to those who may read the user, the public view to anyone else`,
        schema: { params: kind === 'email' ? EmailParams : PhoneParams, result: ResponseResult },
        handler: async (req) => ({ response: await getByContact(deps, kind, req.params.id, req.caller) }),
      }),
    ),
    // The user is known only after the lookup: the read rule (self or administrator) runs in the handler.
    defineRoute({
      method: 'GET', url: `/${v}/user/get/:idType/:id`, policy: 'authenticated', errors: [403, 404], ...operationOf('getUserByKey', 'user', identifierIssues),
      summary: 'A user by userName, external id or id, for the user or an administrator of their organisation',
      schema: { params: IdTypeParams, result: ResponseResult },
      handler: async (req) => ({ response: await getByIdentifier(deps, req.params.idType, req.params.id, req.caller) }),
    }),
  ]);
}

function searchAndStatusRoutes(deps: UserOrgDeps): Route[] {
  const status = (url: string, op: 'blockUser' | 'unblockUser' | 'deleteUser', summary: string, run: (userId: string, caller: Caller | null) => Promise<void>) =>
    defineRoute({
      method: 'POST', url, policy: op === 'deleteUser' ? 'selfOrAdmin' : 'adminOfTarget', errors: [404], ...operationOf(op, 'user'), summary,
      target: (req) => userTarget(deps, req.body.request.userId),
      schema: { body: UserIdBody, result: SuccessResult },
      handler: (req) => run(req.body.request.userId, req.caller).then(() => SUCCESS),
    });
  return [
    ...['/v1/user/search', '/v2/user/search', '/v3/user/search', '/private/user/v1/search'].map((url) =>
      defineRoute({
        method: 'POST', url, policy: url.startsWith('/private') ? 'internal' : 'authenticated', ...operationOf('userSearch', 'user'), summary: 'Search the users the caller may read (index)',
        schema: { body: UserSearchBody, result: ResponseResult },
        handler: async (req) => ({ response: await searchUsers(deps, req.body.request, req.caller, req.internal) }),
      }),
    ),
    defineRoute({
      method: 'POST', url: '/private/user/v1/lookup', policy: 'internal', ...operationOf('userLookup', 'user'), summary: 'Look users up by a unique identifier',
      schema: { body: LookupBody, result: ResponseResult },
      handler: async (req) => {
        const { key, value, fields } = req.body.request;
        return { response: await lookupUsers(deps, key, typeof value === 'string' ? [value] : value, fields ?? null) };
      },
    }),
    status('/v1/user/block', 'blockUser', 'Block a user', (userId, caller) => setBlocked(deps, userId, true, caller)),
    status('/v1/user/unblock', 'unblockUser', 'Unblock a user', (userId, caller) => setBlocked(deps, userId, false, caller)),
    status('/v1/user/delete', 'deleteUser', 'Delete a user (publishes delete.user)', (userId, caller) => deleteUser(deps, userId, caller)),
  ];
}

/** Every user route. */
export function userRoutes(deps: UserOrgDeps): Route[] {
  return [...createRoutes(deps), ...profileRoutes(deps), ...lookupRoutes(deps), ...searchAndStatusRoutes(deps)];
}
