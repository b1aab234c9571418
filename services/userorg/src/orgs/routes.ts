/**
 * The organisation routes: read and search are open (organisations are public data, as upstream);
 * create is for administrators (a tenant for system administrators, a sub-organisation for
 * administrators of its tenant); update and status changes for administrators of the organisation
 * or its tenant.
 */
import { defineRoute, type Route } from '@lern/kit';
import { orgTarget } from '../access.ts';
import type { UserOrgDeps } from '../context.ts';
import { operationOf, type IssueReading } from '../errors.ts';
import { ResponseResult, SuccessResult } from '../schemas.ts';
import { createOrg, readOrg, searchOrgs, updateOrg, updateOrgStatus } from './operations.ts';
import { CreateOrgBody, ORG_NOT_UPDATABLE, OrgReadBody, OrgSearchBody, OrgStatusBody, UpdateOrgBody } from './schemas.ts';

const SUCCESS = { response: 'SUCCESS' } as const;

const updateIssues: IssueReading = (issue) =>
  issue.kind === 'invalid' && ORG_NOT_UPDATABLE.includes(issue.field) ? { reason: 'unupdatableField', args: [issue.field] } : undefined;

/** Every organisation route. */
export function orgRoutes(deps: UserOrgDeps): Route[] {
  return [
    defineRoute({
      method: 'POST', url: '/v1/org/create', policy: 'admin', ...operationOf('createOrg', 'org'),
      summary: 'Create a tenant (system administrators) or a sub-organisation (administrators of its tenant)',
      schema: { body: CreateOrgBody, result: SuccessResult },
      handler: async (req) => ({ ...(await createOrg(deps, req.body.request, req.caller)), ...SUCCESS }),
    }),
    defineRoute({
      method: 'POST', url: '/v1/org/read', policy: 'public', errors: [404], ...operationOf('getOrgDetails', 'org'), summary: 'Read an organisation',
      schema: { body: OrgReadBody, result: ResponseResult },
      handler: async (req) => ({ response: await readOrg(deps, req.body.request.organisationId) }),
    }),
    defineRoute({
      method: 'PATCH', url: '/v1/org/update', policy: 'adminOfTarget', errors: [404], ...operationOf('updateOrg', 'org', updateIssues), summary: 'Update an organisation',
      target: (req) => orgTarget(deps, req.body.request.organisationId),
      schema: { body: UpdateOrgBody, result: SuccessResult },
      handler: (req) => updateOrg(deps, req.body.request, req.caller).then(() => SUCCESS),
    }),
    defineRoute({
      method: 'PATCH', url: '/v1/org/status/update', policy: 'adminOfTarget', errors: [404], ...operationOf('updateOrgStatus', 'org'),
      summary: "Change an organisation's status (retire, block, activate)",
      target: (req) => orgTarget(deps, req.body.request.organisationId),
      schema: { body: OrgStatusBody, result: SuccessResult },
      handler: (req) => updateOrgStatus(deps, req.body.request.organisationId, req.body.request.status, req.caller).then(() => SUCCESS),
    }),
    ...['/v1/org/search', '/v2/org/search', '/private/v2/org/search'].map((url) =>
      defineRoute({
        method: 'POST', url, policy: url.startsWith('/private') ? 'internal' : 'public', ...operationOf('orgSearch', 'org'), summary: 'Search organisations (index)',
        schema: { body: OrgSearchBody, result: ResponseResult },
        handler: async (req) => ({ response: await searchOrgs(deps, req.body.request) }),
      }),
    ),
  ];
}
