/**
 * Schema pieces every Groups resource uses: Sunbird's request envelope and identifiers. Limits
 * that do not depend on stored state are in the schemas, so the kit's validator refuses them (with
 * the operation's GS_*02 code).
 */
import { Type, type TSchema } from '@lern/kit';

/** Longest identifier (group, user, activity). */
export const MAX_ID = 128;

/** Identifiers as the Sunbird platforms make them (UUIDs, `do_1137...`): letters, digits, `_`, `.`, `:`, `-`. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]*$';

/** A mandatory identifier. */
export const Id = (description: string) => Type.String({ minLength: 1, maxLength: MAX_ID, pattern: ID_PATTERN, description });

/** Most entries a list of a request may hold (the configured limits apply on top). */
export const MAX_LIST = 1000;

/** Sunbird's request envelope `{ id?, ver?, ts?, params?, request: {...} }`; other envelope fields are ignored. */
export function requestBody<T extends TSchema>(request: T) {
  return Type.Object(
    {
      id: Type.Optional(Type.String({ maxLength: 256 })),
      ver: Type.Optional(Type.String({ maxLength: 32 })),
      ts: Type.Optional(Type.String({ maxLength: 64 })),
      params: Type.Optional(Type.Object({}, { additionalProperties: true, maxProperties: 20 })),
      request,
    },
    { additionalProperties: true },
  );
}

/** A member as reads return it (upstream MemberResponse). */
export const MemberView = Type.Object({
  userId: Type.String(),
  groupId: Type.String(),
  role: Type.String(),
  status: Type.String(),
  createdOn: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedOn: Type.Union([Type.String(), Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  removedOn: Type.Union([Type.String(), Type.Null()]),
  removedBy: Type.Union([Type.String(), Type.Null()]),
  visited: Type.Union([Type.Boolean(), Type.Null()]),
  name: Type.String(),
});

/** An activity as stored and returned. */
export const ActivityView = Type.Object({ id: Type.String(), type: Type.String() });
