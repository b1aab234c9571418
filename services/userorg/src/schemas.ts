/**
 * Request and result schemas (TypeBox) of the User-Org routes, for validation of the envelope's
 * shape and for the OpenAPI document. Field rules that carry upstream's error codes (mandatory
 * fields, formats, uniqueness) are checked in validate.ts, in upstream's order; these schemas only
 * require the `request` object and type the fields clients commonly send.
 */
import { Type, type TSchema } from '@lern/kit';

// Optional fields may also be null: upstream clients send `"rootOrgId": null` for "not given".
const Str = (description: string) => Type.Optional(Type.Union([Type.String(), Type.Null()], { description }));
const StrOrNum = (description: string) => Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()], { description }));
const Bool = (description: string) => Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description }));
const Any = (description: string) => Type.Optional(Type.Unknown({ description }));

/** `{ request: {...} }` with the given documented fields (others allowed). */
export function requestBody(fields: Record<string, TSchema>, description?: string): TSchema {
  return Type.Object(
    {
      id: Type.Optional(Type.String()),
      ver: Type.Optional(Type.String()),
      ts: Type.Optional(Type.String()),
      params: Type.Optional(Type.Unknown()),
      request: Type.Object(fields, { additionalProperties: true, ...(description ? { description } : {}) }),
    },
    { additionalProperties: true },
  );
}

/** Body of the user create endpoints. */
export const CreateUserBody = requestBody({
  firstName: Str('Mandatory.'),
  lastName: Str('Family name.'),
  userName: Str('Unique login name; mandatory on /v1/user/create.'),
  email: Str('Unique email; email or phone is mandatory (except managed users).'),
  phone: StrOrNum('Unique phone number (10 digits for +91).'),
  countryCode: Str('Phone country code, default +91.'),
  password: Str('Checked for strength; not stored (no identity provider here).'),
  emailVerified: Bool('Email verified.'),
  phoneVerified: Bool('Phone verified.'),
  channel: Str('Root organisation channel; default: the custodian org (system setting custodianOrgId).'),
  organisationId: Str('Organisation to join.'),
  managedBy: Str('Parent user id of a managed user (/v4/user/create, /v1/manageduser/create).'),
  roles: Any('Role ids granted in the root organisation.'),
  profileUserType: Any('{ type, subType }'),
  profileUserTypes: Any('[{ type, subType }]'),
  profileLocation: Any('[{ id, type }]'),
  framework: Any('{ board: [..], medium: [..], ... }'),
  externalIds: Any('[{ id, idType, provider }]'),
});

/** Body of the user update endpoints. */
export const UpdateUserBody = requestBody({
  userId: Str('The user to update (self, or any user for ORG_ADMIN/SYSTEM_ADMINISTRATION).'),
  firstName: Str('First name.'),
  lastName: Str('Last name.'),
  email: Str('New email (must be unused).'),
  phone: StrOrNum('New phone (must be unused).'),
});

/** `{ request: { userId } }` of block/unblock/delete. */
export const UserIdBody = requestBody({ userId: Str('The user.') });

/** Body of a Sunbird search. */
export const SearchBody = requestBody({
  filters: Any('Mandatory. field -> value | [values] | {">=": v, "<=": v, startsWith: s}; null = field absent.'),
  query: Str('Free text over names.'),
  limit: Any('Page size, default 100.'),
  offset: Any('Page start, default 0.'),
  sort_by: Any('{ field: "asc"|"desc" }'),
  fields: Any('Fields to return.'),
});

/** Location search: filters optional. */
export const LocationSearchBody = SearchBody;

/** Body of the private lookup. */
export const LookupBody = requestBody({
  key: Str('email | phone | userName | externalId | id'),
  value: Any('The value (or a list of values).'),
  fields: Any('Fields to return.'),
});

/** v1 and v2 role assignment. */
export const AssignRoleBody = requestBody({
  userId: Str('The user.'),
  organisationId: Str('v1: the organisation whose roles are replaced.'),
  roles: Any('v1: [role]; v2: [{ role, operation: add|remove, scope: [{ organisationId }] }]'),
});

/** Organisation create/update. */
export const OrgBody = requestBody({
  organisationId: Str('Update: the organisation.'),
  orgName: Str('Mandatory on create.'),
  isTenant: Bool('Mandatory on create: true = root organisation (tenant) with a unique channel.'),
  channel: Str('Unique channel of a tenant.'),
  organisationType: Str('school | board (mandatory on create).'),
  email: Str('Contact email.'),
  externalId: Str('External id, unique within the channel.'),
  rootOrgId: Str('Sub-organisation: its tenant.'),
  status: Any('Status update: 0 inactive, 1 active, 2 blocked, 3 retired.'),
});

/** `{ request: { organisationId } }`. */
export const OrgReadBody = requestBody({ organisationId: Str('The organisation.') });

/** Location create/update. */
export const LocationBody = requestBody({
  id: Str('Update: the location.'),
  code: Str('Unique code.'),
  name: Str('Name.'),
  type: Str('state | district | block | cluster | school'),
  parentId: Str('Parent location id (not for state).'),
  parentCode: Str('Parent location code (not for state).'),
});

/** System setting write. */
export const SettingBody = requestBody({ id: Str('Setting id.'), field: Str('Field name.'), value: Any('Value (objects are stored as JSON).') });

/** Tenant preference create/update/read. */
export const PreferenceBody = requestBody({ orgId: Str('Organisation id or *.'), key: Str('Preference key.'), data: Any('Preference value (object).') });

/** Re-index request. */
export const SyncBody = requestBody({
  objectType: Str('user | organisation | location'),
  objectIds: Any('Ids to re-index; all when absent.'),
});

/** Path parameters. */
export const UserIdParams = Type.Object({ uid: Type.String({ maxLength: 1024 }) });
export const KeyValueParams = Type.Object({ key: Type.String({ maxLength: 64 }), value: Type.String({ maxLength: 1024 }) });
export const IdTypeParams = Type.Object({ idType: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 1024 }) });
export const LocationIdParams = Type.Object({ locationId: Type.String({ maxLength: 1024 }) });
export const FieldParams = Type.Object({ field: Type.String({ maxLength: 1024 }) });

/** `{ response: "SUCCESS" }` and friends. */
export const SuccessResult = Type.Object({ response: Type.Literal('SUCCESS') }, { additionalProperties: true });
