/**
 * Schemas of the managed-user read and the login-id read (upstream UserController.getManagedUsers
 * and getUserByLoginId).
 */
import { Type } from '@lern/kit';

/** GET /v1/user/managed/:luaUuid. */
export const ManagedParams = Type.Object({
  luaUuid: Type.String({ format: 'uuid', description: 'The managing (logged-in) user.' }),
});

/** Query of the managed-user read. */
export const ManagedQuery = Type.Object(
  {
    sortBy: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,63}$', description: 'A field of the user view, e.g. createdDate or firstName.' })),
    order: Type.Optional(Type.Enum(['asc', 'desc', 'ASC', 'DESC'], { description: 'Default asc.' })),
    withTokens: Type.Optional(Type.Enum(['true', 'false'], { description: "Accepted for compatibility; tokens are not issued here (no identity provider)." })),
  },
  { additionalProperties: true },
);

/** A user view as the user read routes show it. */
const UserView = Type.Object({ id: Type.String() }, { additionalProperties: true });

/** Result of the managed-user read. */
export const ManagedResult = Type.Object({
  response: Type.Object({ content: Type.Array(UserView), count: Type.Integer({ minimum: 0 }) }),
});

/** POST /v1/user/getuser. */
export const GetUserBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    ver: Type.Optional(Type.String()),
    ts: Type.Optional(Type.String()),
    params: Type.Optional(Type.Object({}, { additionalProperties: true })),
    request: Type.Object({ loginId: Type.String({ minLength: 1, maxLength: 256, pattern: '\\S', description: 'The login id (userName).' }) }, { additionalProperties: true }),
  },
  { additionalProperties: true },
);

/** Query of the login-id read: the same `fields` as the user read. */
export const GetUserQuery = Type.Object(
  { fields: Type.Optional(Type.String({ maxLength: 512, description: 'Comma-separated extra parts, as /v1/user/read (e.g. organisations,roles).' })) },
  { additionalProperties: true },
);

/** Result of the login-id read. */
export const GetUserResult = Type.Object({ response: UserView });
