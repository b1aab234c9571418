/**
 * The membership route. Any signed-in caller; the handler admits only the caller's own active
 * memberships (403 GS_MBRSHP_UDT01 otherwise). Adding, removing and re-roling members is
 * `members.add/edit/remove` of PATCH /v1/group/update, as upstream.
 */
import { defineRoute, type Route } from '@lern/kit';
import type { GroupsDeps } from '../context.ts';
import { gsValidation } from '../errors.ts';
import { updateMemberships } from './membership.ts';
import { MembershipUpdateBody, MembershipUpdateResult } from './schemas.ts';

/** Every membership route. */
export function memberRoutes(deps: GroupsDeps): Route[] {
  return [
    defineRoute({
      method: 'PATCH',
      url: '/v1/group/membership/update',
      policy: 'authenticated',
      errors: [403],
      validationError: gsValidation('GS_MBRSHP_UDT02'),
      schema: { body: MembershipUpdateBody, result: MembershipUpdateResult },
      summary: "Update the caller's own memberships (the visited flag)",
      tags: ['group'],
      handler: async (req) => {
        await updateMemberships(deps, req.body.request, req.caller!);
        return { response: 'SUCCESS' as const };
      },
    }),
  ];
}
