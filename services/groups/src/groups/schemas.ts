/**
 * Request and result schemas of the group routes, with upstream's field names
 * (GroupCreateRequestValidator, GroupUpdateRequestValidator, groupapi.yaml).
 */
import { Type } from '@lern/kit';
import { GROUP_STATUSES, MEMBERSHIP_TYPES, MEMBER_ROLES } from '../model.ts';
import { ActivityView, Id, MAX_LIST, MemberView, requestBody } from '../schemas.ts';

const MAX_NAME = 256;
const MAX_DESCRIPTION = 2000;
const Name = Type.String({ minLength: 1, maxLength: MAX_NAME, pattern: '\\S', description: 'Group name.' });
const Description = Type.Union([Type.String({ maxLength: MAX_DESCRIPTION }), Type.Null()], { description: 'Description; null clears it.' });
const Role = Type.Enum([...MEMBER_ROLES], { description: 'admin manages the group; member reads it.' });
const MembershipType = Type.Enum([...MEMBERSHIP_TYPES], { description: 'Upstream\'s membership types; default invite_only.' });
const Activity = Type.Object(
  { id: Id('The activity (a course, a textbook...).'), type: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S', description: 'Its type, e.g. Course.' }) },
  { additionalProperties: false },
);
const MemberToAdd = Type.Object({ userId: Id('The user.'), role: Type.Optional(Role) }, { additionalProperties: false });

/** POST /v1/group/create. */
export const CreateGroupBody = requestBody(
  Type.Object(
    {
      name: Name,
      description: Type.Optional(Description),
      membershipType: Type.Optional(MembershipType),
      members: Type.Optional(Type.Array(MemberToAdd, { maxItems: MAX_LIST, description: 'Members besides the creator, who becomes admin.' })),
      activities: Type.Optional(Type.Array(Activity, { maxItems: MAX_LIST })),
    },
    { additionalProperties: false },
  ),
);

/** PATCH /v1/group/update. */
export const UpdateGroupBody = requestBody(
  Type.Object(
    {
      groupId: Id('The group.'),
      name: Type.Optional(Name),
      description: Type.Optional(Description),
      membershipType: Type.Optional(MembershipType),
      status: Type.Optional(Type.Enum([...GROUP_STATUSES], { description: 'suspended: read-only; active: again; inactive: deletes the group (creator only).' })),
      members: Type.Optional(
        Type.Object(
          {
            add: Type.Optional(Type.Array(MemberToAdd, { maxItems: MAX_LIST })),
            edit: Type.Optional(Type.Array(Type.Object({ userId: Id('The member.'), role: Role }, { additionalProperties: false }), { maxItems: MAX_LIST })),
            remove: Type.Optional(Type.Array(Id('A member to remove (yourself: leave the group).'), { maxItems: MAX_LIST })),
          },
          { additionalProperties: false },
        ),
      ),
      activities: Type.Optional(
        Type.Object(
          { add: Type.Optional(Type.Array(Activity, { maxItems: MAX_LIST })), remove: Type.Optional(Type.Array(Id('An activity id.'), { maxItems: MAX_LIST })) },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
);

/** GET /v1/group/read/:groupId. */
export const GroupIdParams = Type.Object({ groupId: Id('The group.') });

/** `fields` of a read: `members`, `activities`, comma-separated (upstream). */
export const ReadQuery = Type.Object(
  { fields: Type.Optional(Type.String({ maxLength: 64, pattern: '^(members|activities)(,(members|activities))*$', description: 'members and/or activities; none: activities only.' })) },
  { additionalProperties: false },
);

/** POST /v1/group/list. */
export const ListGroupsBody = requestBody(
  Type.Object({ filters: Type.Object({ userId: Id('Whose groups (yourself).') }, { additionalProperties: false }) }, { additionalProperties: false }),
);

/** POST /v1/group/delete. */
export const DeleteGroupBody = requestBody(Type.Object({ groupId: Id('The group.') }, { additionalProperties: false }));

/** A group as reads return it (upstream GroupResponse). */
export const GroupView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  status: Type.String(),
  membershipType: Type.String(),
  createdOn: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedOn: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  activities: Type.Optional(Type.Array(ActivityView)),
  members: Type.Optional(Type.Array(MemberView)),
});

/** A group in a user's list: the group and the user's role and visited flag. */
export const ListedGroup = Type.Intersect([
  Type.Omit(GroupView, ['members', 'activities']),
  Type.Object({ memberRole: Type.String(), visited: Type.Union([Type.Boolean(), Type.Null()]) }),
]);

export const CreateGroupResult = Type.Object({ groupId: Type.String() });
export const UpdateGroupResult = Type.Object({ response: Type.Literal('success') });
export const DeleteGroupResult = Type.Object({ response: Type.Literal('SUCCESS') });
export const ListGroupsResult = Type.Object({ group: Type.Array(ListedGroup) });
