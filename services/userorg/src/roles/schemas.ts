/** Request schemas of the role routes, and the role ids a request may name. */
import { Type } from '@lern/kit';
import { Id, requestBody } from '../schemas.ts';

/** The roles that exist (migrations/cassandra/sunbird/V002__default_roles.cql seeds the `role` table with these). */
export const ROLE_IDS = [
  'PUBLIC',
  'ORG_ADMIN',
  'SYSTEM_ADMINISTRATION',
  'ORG_MODERATOR',
  'CONTENT_CREATOR',
  'CONTENT_REVIEWER',
  'BOOK_CREATOR',
  'BOOK_REVIEWER',
  'COURSE_CREATOR',
  'COURSE_MENTOR',
  'REPORT_VIEWER',
  'REPORT_ADMIN',
  'PROGRAM_MANAGER',
  'PROGRAM_DESIGNER',
  'FLAG_REVIEWER',
] as const;

/** One role id. */
export const RoleId = Type.Enum([...ROLE_IDS], { description: 'A role id (GET /v1/role/read lists them).' });

/** An organisation of a grant's scope; `*` is the system scope (system administrators only). */
const ScopeOrg = Type.Object({ organisationId: Id('An organisation id, or * for the system scope.') }, { additionalProperties: true });

/** POST /v1/user/assign/role: replace the user's roles within one organisation. */
export const AssignRolesV1Body = requestBody(
  Type.Object(
    {
      userId: Id('The user.'),
      organisationId: Id('The organisation whose roles are replaced (* = the system scope).'),
      roles: Type.Array(RoleId, { maxItems: 20, description: 'The roles the user holds in the organisation afterwards.' }),
    },
    { additionalProperties: true },
  ),
);

/** POST /v2/user/assign/role: add or remove roles per organisation. */
export const AssignRolesV2Body = requestBody(
  Type.Object(
    {
      userId: Id('The user.'),
      roles: Type.Array(
        Type.Object(
          {
            role: RoleId,
            operation: Type.Optional(Type.Enum(['add', 'remove'], { description: 'Default add.' })),
            scope: Type.Array(ScopeOrg, { minItems: 1, maxItems: 50 }),
          },
          { additionalProperties: true },
        ),
        { minItems: 1, maxItems: 50 },
      ),
    },
    { additionalProperties: true },
  ),
);

/** `GET /v1/user/role/read/:uid`. */
export const UserRoleParams = Type.Object({ uid: Id('The user.') });
