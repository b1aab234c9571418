/** Request and result schemas of the membership route (upstream's UpdateGroupMembership). */
import { Type } from '@lern/kit';
import { Id, MAX_LIST, requestBody } from '../schemas.ts';

/** PATCH /v1/group/membership/update: the caller's own memberships. */
export const MembershipUpdateBody = requestBody(
  Type.Object(
    {
      userId: Id('Whose memberships (yourself).'),
      groups: Type.Array(
        Type.Object({ groupId: Id('A group you are a member of.'), visited: Type.Boolean({ description: 'You have opened the group.' }) }, { additionalProperties: false }),
        { minItems: 1, maxItems: MAX_LIST },
      ),
    },
    { additionalProperties: false },
  ),
);

export const MembershipUpdateResult = Type.Object({ response: Type.Literal('SUCCESS') });
