/**
 * The location routes: search is open; writes are for administrators (upstream's gateway ACL
 * masterLocation*: locations are shared master data, not an organisation's own).
 */
import { defineRoute, type Route } from '@lern/kit';
import type { UserOrgDeps } from '../context.ts';
import { operationOf, type IssueReading } from '../errors.ts';
import { SuccessResult } from '../schemas.ts';
import { createLocation, deleteLocation, searchLocations, updateLocation } from './operations.ts';
import { CreateLocationBody, LocationIdParams, LocationSearchBody, UpdateLocationBody } from './schemas.ts';

const SUCCESS = { response: 'SUCCESS' } as const;

/** The parent rule's issues, in upstream's words. */
const createIssues: IssueReading = (issue) => {
  if (issue.kind === 'missing' && (issue.field === 'parentId' || issue.field === 'parentCode')) return { reason: 'mandatoryParamsMissing', args: ['parentId or parentCode'] };
  if (issue.kind === 'invalid' && issue.field === 'request') return { reason: 'parentNotAllowed', args: ['parentId or parentCode'] };
  return undefined;
};

const updateIssues: IssueReading = (issue) =>
  issue.kind === 'invalid' && ['type', 'parentId', 'parentCode'].includes(issue.field) ? { reason: 'unupdatableField', args: [issue.field] } : undefined;

/** Every location route. */
export function locationRoutes(deps: UserOrgDeps): Route[] {
  return [
    defineRoute({
      method: 'POST', url: '/v1/location/create', policy: 'admin', ...operationOf('createLocation', 'location', createIssues), summary: 'Create a location',
      schema: { body: CreateLocationBody, result: SuccessResult },
      handler: async (req) => ({ ...SUCCESS, ...(await createLocation(deps, req.body.request, req.caller)) }),
    }),
    defineRoute({
      method: 'PATCH', url: '/v1/location/update', policy: 'admin', errors: [404], ...operationOf('updateLocation', 'location', updateIssues), summary: 'Rename or re-code a location',
      schema: { body: UpdateLocationBody, result: SuccessResult },
      handler: (req) => updateLocation(deps, req.body.request, req.caller).then(() => SUCCESS),
    }),
    defineRoute({
      method: 'POST', url: '/v1/location/search', policy: 'public', ...operationOf('searchLocation', 'location'), summary: 'Search locations (index)',
      schema: { body: LocationSearchBody },
      handler: (req) => searchLocations(deps, req.body.request),
    }),
    defineRoute({
      method: 'DELETE', url: '/v1/location/delete/:locationId', policy: 'admin', errors: [404], ...operationOf('deleteLocation', 'location'), summary: 'Delete a location without children',
      schema: { params: LocationIdParams, result: SuccessResult },
      handler: (req) => deleteLocation(deps, req.params.locationId, req.caller).then(() => SUCCESS),
    }),
  ];
}
