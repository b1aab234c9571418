/**
 * The group routes. Every one needs a signed-in caller (upstream: the gateway's token check); what
 * the caller may do with a group depends on their membership of it, which only the handler can see
 * (operations.ts):
 * - create: any signed-in user (becomes the group's admin);
 * - update: the group's admins (members may only leave; `status: inactive` the creator) - 403 GS_UDT09;
 * - read: the group's members and system administrators - 403 GS_RED01;
 * - list: the caller's own groups (system administrators: anyone's) - 403 GS_LST01;
 * - delete: the group's creator - 403 GS_DLT10.
 */
import { defineRoute, type Route } from '@lern/kit';
import type { GroupsDeps } from '../context.ts';
import { gsValidation } from '../errors.ts';
import { createGroup } from './create.ts';
import { deleteGroup } from './delete.ts';
import { listGroups, readGroup } from './read.ts';
import {
  CreateGroupBody,
  CreateGroupResult,
  DeleteGroupBody,
  DeleteGroupResult,
  GroupIdParams,
  GroupView,
  ListGroupsBody,
  ListGroupsResult,
  ReadQuery,
  UpdateGroupBody,
  UpdateGroupResult,
} from './schemas.ts';
import { updateGroup } from './update.ts';

const TAGS = ['group'];

/** Every group route. */
export function groupRoutes(deps: GroupsDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/group/create',
      policy: 'authenticated',
      validationError: gsValidation('GS_CRT02'),
      schema: { body: CreateGroupBody, result: CreateGroupResult },
      summary: 'Create a group (the caller becomes its admin)',
      tags: TAGS,
      handler: async (req) => ({ groupId: await createGroup(deps, req.body.request, req.caller!) }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/group/update',
      policy: 'authenticated',
      errors: [403, 404],
      validationError: gsValidation('GS_UDT02'),
      schema: { body: UpdateGroupBody, result: UpdateGroupResult },
      summary: 'Update a group, its members and activities',
      description: "The group's admins; a member may remove only themselves (leave); status inactive deletes the group (its creator only).",
      tags: TAGS,
      handler: async (req) => {
        await updateGroup(deps, req.body.request, req.caller!);
        return { response: 'success' as const };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/group/read/:groupId',
      policy: 'authenticated',
      errors: [403, 404],
      validationError: gsValidation('GS_RED02'),
      schema: { params: GroupIdParams, querystring: ReadQuery, result: GroupView },
      summary: 'Read a group (fields=members,activities)',
      description: "The group's members and system administrators.",
      tags: TAGS,
      handler: async (req) => readGroup(deps, req.params.groupId, req.query.fields, req.caller!),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/group/list',
      policy: 'authenticated',
      errors: [403],
      validationError: gsValidation('GS_LST02'),
      schema: { body: ListGroupsBody, result: ListGroupsResult },
      summary: "List a user's groups with their role in each",
      description: 'The caller\'s own groups; system administrators may list anyone\'s.',
      tags: TAGS,
      handler: async (req) => ({ group: await listGroups(deps, req.body.request.filters.userId, req.caller!) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/group/delete',
      policy: 'authenticated',
      errors: [403, 404],
      validationError: gsValidation('GS_DLT02'),
      schema: { body: DeleteGroupBody, result: DeleteGroupResult },
      summary: 'Delete a group (its creator only)',
      tags: TAGS,
      handler: async (req) => {
        await deleteGroup(deps, req.body.request.groupId, req.caller!);
        return { response: 'SUCCESS' as const };
      },
    }),
  ];
}
