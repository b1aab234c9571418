/**
 * Request schemas of the user routes, with upstream's rules (UserRequestValidator): mandatory
 * fields, formats of email, phone (by country code), userName and password, list limits, and the
 * cross-field rules (firstName first, then email or phone, then formats). `null` and '' count as
 * "not given" for optional fields, as upstream's isBlank.
 */
import { Type, type Static, type TSchema } from '@lern/kit';
import { EMAIL_PATTERN } from '../pii.ts';
import { ROLE_IDS } from '../roles/schemas.ts';
import { Forbidden, Id, MAX_ID, Nullable, OptionalEmail, OptionalText, Text, TextList, requestBody } from '../schemas.ts';
import { searchRequest } from '../search.ts';

/** Upstream's userName characters. */
export const USERNAME_PATTERN = '^[A-Za-z0-9._@-]{1,100}$';
/** At least 8 characters with a digit, a lower and an upper case letter and a special character ('' = not given). */
export const PASSWORD_PATTERN = '^$|^(?=.*[0-9])(?=.*[a-z])(?=.*[A-Z])(?=.*[^A-Za-z0-9]).{8,}$';
/** Phones of the default country (+91): 10 digits starting 6-9. */
export const INDIAN_PHONE_PATTERN = '^$|^[6-9][0-9]{9}$';
/** Phones of other countries: 6 to 15 digits. */
export const OTHER_PHONE_PATTERN = '^$|^[0-9]{6,15}$';

/** Phone numbers come as text or, from older clients, as a JSON number (`8888888888`). */
const PhoneValue = (description: string) => Nullable(Type.Union([Type.String({ maxLength: 20 }), Type.Integer({ minimum: 0 })]), description);

/** A phone's format: text by pattern, a number by range. */
function phoneFormat(pattern: string, minimum: number, maximum: number): TSchema {
  return { if: { type: 'string' }, then: { pattern }, else: { if: { type: 'integer' }, then: { minimum, maximum } } };
}

/** The phone rule of a request: 10 digits for +91 (the default country code), 6 to 15 digits otherwise. */
const PHONE_RULE = {
  if: { required: ['countryCode'], properties: { countryCode: { type: 'string', not: { enum: ['', '+91', '91'] } } } },
  then: { properties: { phone: phoneFormat(OTHER_PHONE_PATTERN, 100_000, 999_999_999_999_999) } },
  else: { properties: { phone: phoneFormat(INDIAN_PHONE_PATTERN, 6_000_000_000, 9_999_999_999) } },
};

/** Email or phone must be given (not blank); upstream reports it as "Please provide valid email or phone.". */
const EMAIL_OR_PHONE = {
  anyOf: [
    { required: ['email'], properties: { email: { type: 'string', minLength: 1 } } },
    { required: ['phone'], properties: { phone: { type: ['string', 'integer'], minLength: 1 } } },
  ],
};

const ProfileUserType = Type.Object(
  {
    type: OptionalText(64, 'User type, e.g. teacher.'),
    subType: OptionalText(64, 'Sub-type.'),
    userType: OptionalText(64, 'Alias of type.'),
    userSubType: OptionalText(64, 'Alias of subType.'),
  },
  {
    additionalProperties: true,
    anyOf: [
      { required: ['type'], properties: { type: { type: 'string', minLength: 1 } } },
      { required: ['userType'], properties: { userType: { type: 'string', minLength: 1 } } },
    ],
  },
);

const ProfileLocationItem = Type.Object(
  { id: OptionalText(MAX_ID, 'Location id.'), code: OptionalText(MAX_ID, 'Location code (when no id).'), type: Text(64, 'Location type.') },
  {
    additionalProperties: true,
    anyOf: [
      { required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
      { required: ['code'], properties: { code: { type: 'string', minLength: 1 } } },
    ],
  },
);

const Framework = Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), Type.Union([Type.String({ maxLength: MAX_ID }), TextList('Values.')]), {
  additionalProperties: false,
  maxProperties: 50,
});

const ExternalId = Type.Object({ id: Id('External id.'), idType: Id('Its type.'), provider: Id('Its provider.') }, { additionalProperties: true });

/** Profile fields a create and an update share. */
const profileFields = {
  lastName: OptionalText(256, 'Family name.'),
  lastname: OptionalText(256, 'Alias of lastName.'),
  countryCode: Nullable(Type.String({ pattern: '^$|^\\+?[0-9]{1,4}$' }), 'Phone country code; default +91.'),
  dob: OptionalText(32, 'Date of birth as the client writes it.'),
  gender: OptionalText(32, 'Gender.'),
  language: Nullable(TextList('Languages.')),
  subject: Nullable(TextList('Subjects.')),
  userType: OptionalText(64, 'User type (older clients; see profileUserType).'),
  userSubType: OptionalText(64, 'User sub-type (older clients).'),
  profileUserType: Nullable(ProfileUserType, '{ type, subType }'),
  profileUserTypes: Nullable(Type.Array(ProfileUserType, { maxItems: 20 }), '[{ type, subType }]'),
  profileLocation: Nullable(Type.Array(ProfileLocationItem, { maxItems: 10 }), '[{ id, type }]'),
  framework: Nullable(Framework, '{ board: [..], medium: [..], ... }'),
};

/** Fields of every non-managed create. */
const identityFields = {
  firstName: Text(256, 'Mandatory.'),
  email: OptionalEmail('Unique email; email or phone is mandatory.'),
  phone: PhoneValue('Unique phone number (10 digits for +91).'),
  userName: Nullable(Type.String({ pattern: `^$|${USERNAME_PATTERN}` }), 'Unique login name.'),
  username: Nullable(Type.String({ pattern: `^$|${USERNAME_PATTERN}` }), 'Alias of userName.'),
  password: Nullable(Type.String({ maxLength: 128, pattern: PASSWORD_PATTERN }), 'Checked for strength; not stored (no identity provider here).'),
  managedBy: Forbidden('Only for managed users (/v4/user/create, /v1/manageduser/create).'),
  ...profileFields,
};

const CREATE_RULES = { allOf: [{ required: ['firstName'] }, EMAIL_OR_PHONE, PHONE_RULE] };

/** Fields an administrator's create adds: placement, verification flags, roles, external ids. */
const adminFields = {
  ...identityFields,
  emailVerified: Nullable(Type.Boolean(), 'Email verified.'),
  phoneVerified: Nullable(Type.Boolean(), 'Phone verified.'),
  channel: OptionalText(128, "Root organisation's channel; default: the custodian organisation (system setting custodianOrgId)."),
  organisationId: OptionalText(MAX_ID, 'An organisation of the root organisation to join as well.'),
  roles: Nullable(Type.Array(Type.Enum([...ROLE_IDS]), { maxItems: 20 }), 'Roles granted in the root organisation (the caller must be allowed to grant them there).'),
  externalIds: Nullable(Type.Union([Type.Array(ExternalId, { maxItems: 20 }), ExternalId]), '[{ id, idType, provider }]'),
};

/** POST /v2/user/create, /v3/user/create, /v1/ssouser/create. */
export const CreateUserBody = requestBody(Type.Object(adminFields, { additionalProperties: true, ...CREATE_RULES }));

/** POST /v1/user/create: userName is mandatory. */
export const CreateUserV1Body = requestBody(
  Type.Object({ ...adminFields, userName: Type.String({ pattern: USERNAME_PATTERN, description: 'Unique login name (mandatory).' }) }, { additionalProperties: true, ...CREATE_RULES }),
);

/** POST /v1/user/signup, /v2/user/signup. */
export const SignupBody = requestBody(
  Type.Object(
    {
      ...identityFields,
      roles: Type.Optional(Type.Unknown({ description: 'Ignored: a sign-up always creates a PUBLIC user.' })),
      emailVerified: Type.Optional(Type.Unknown({ description: 'Ignored: a signed-up email is unverified.' })),
      phoneVerified: Type.Optional(Type.Unknown({ description: 'Ignored: a signed-up phone is unverified.' })),
    },
    { additionalProperties: true, ...CREATE_RULES },
  ),
);

/** A managed (child) user has no email or phone of its own. */
const NoContact = (name: string) => Nullable(Type.String({ maxLength: 0 }), `Not allowed: a managed user has no ${name}.`);

/** POST /v4/user/create, /v1/manageduser/create, /v2/manageduser/create. */
export const CreateManagedUserBody = requestBody(
  Type.Object(
    {
      firstName: Text(256, 'Mandatory.'),
      managedBy: Id('The parent user (the caller, or a user an administrator of its organisation administers).'),
      email: NoContact('email'),
      phone: NoContact('phone'),
      userName: Nullable(Type.String({ pattern: `^$|${USERNAME_PATTERN}` }), 'Unique login name.'),
      ...profileFields,
    },
    { additionalProperties: true },
  ),
);

/** Fields an update may not change. */
export const NOT_UPDATABLE = ['channel', 'rootOrgId', 'status', 'roles', 'isDeleted', 'id', 'createdDate', 'createdBy'] as const;

/** PATCH /v1/user/update and the other update paths. */
export const UpdateUserBody = requestBody(
  Type.Object(
    {
      userId: Type.Optional(Id('The user to update: the caller, or a user of an organisation the caller administers.')),
      firstName: Type.Optional(Text(256, 'First name.')),
      email: OptionalEmail('New email (must be unused); null or "" removes it.'),
      phone: PhoneValue('New phone (must be unused); null or "" removes it.'),
      emailVerified: Nullable(Type.Boolean(), 'Email verified.'),
      phoneVerified: Nullable(Type.Boolean(), 'Phone verified.'),
      recoveryEmail: OptionalEmail('Recovery email.'),
      recoveryPhone: Nullable(Type.String({ pattern: OTHER_PHONE_PATTERN }), 'Recovery phone.'),
      userName: Type.Optional(Type.String({ pattern: USERNAME_PATTERN, description: 'New login name (must be unused).' })),
      managedBy: Forbidden('managedBy cannot be updated.'),
      channel: Forbidden('Not updatable.'),
      rootOrgId: Forbidden('Not updatable.'),
      status: Forbidden('Not updatable (block / unblock).'),
      roles: Forbidden('Not updatable (assign role).'),
      isDeleted: Forbidden('Not updatable (delete).'),
      id: Forbidden('Not updatable; the user is userId.'),
      createdDate: Forbidden('Not updatable.'),
      createdBy: Forbidden('Not updatable.'),
      ...profileFields,
    },
    { additionalProperties: true, allOf: [PHONE_RULE] },
  ),
);

/** `{ request: { userId } }` of block, unblock and delete. */
export const UserIdBody = requestBody(Type.Object({ userId: Id('The user.') }, { additionalProperties: true }));

/** `/v1/user/read/:uid` and friends. */
export const UserIdParams = Type.Object({ uid: Id('The user.') });

/** Identifier kinds of exists and the private lookup, by their request names. */
export const LOOKUP_KEYS = {
  email: 'email',
  phone: 'phone',
  username: 'username',
  userName: 'username',
  loginId: 'username',
  externalId: 'externalid',
  userId: 'id',
  id: 'id',
} as const;

/** A request name of an identifier kind. */
export type LookupKey = keyof typeof LOOKUP_KEYS;

/** A phone as a lookup takes it. */
const PHONE_LOOKUP = '^[0-9+\\- ]{6,20}$';

/** An identifier's value, formatted by its kind (email and phone). */
const IDENTIFIER_FORMATS = {
  allOf: [
    { if: { required: ['key'], properties: { key: { const: 'email' } } }, then: { properties: { value: { pattern: EMAIL_PATTERN.source } } } },
    { if: { required: ['key'], properties: { key: { const: 'phone' } } }, then: { properties: { value: { pattern: PHONE_LOOKUP } } } },
  ],
};

/** `/v1/user/exists/:key/:value`. */
export const ExistsParams = Type.Object(
  { key: Type.Enum(Object.keys(LOOKUP_KEYS) as LookupKey[]), value: Type.String({ minLength: 1, maxLength: MAX_ID }) },
  IDENTIFIER_FORMATS,
);

/** `/v1/user/get/email/:id`. */
export const EmailParams = Type.Object({ id: Type.String({ maxLength: 254, pattern: EMAIL_PATTERN.source }) });

/** `/v1/user/get/phone/:id`. */
export const PhoneParams = Type.Object({ id: Type.String({ pattern: PHONE_LOOKUP }) });

/** `/v1/user/get/:idType/:id` for identifiers other than email and phone. */
export const IdTypeParams = Type.Object({
  idType: Type.Enum(['userName', 'username', 'loginId', 'externalId', 'userId', 'id']),
  id: Type.String({ minLength: 1, maxLength: MAX_ID }),
});

/** POST /private/user/v1/lookup. */
export const LookupBody = requestBody(
  Type.Object(
    {
      key: Type.Enum(Object.keys(LOOKUP_KEYS) as LookupKey[], { description: 'The identifier kind.' }),
      value: Type.Union([Type.String({ minLength: 1, maxLength: MAX_ID }), Type.Array(Type.String({ minLength: 1, maxLength: MAX_ID }), { minItems: 1, maxItems: 100 })], {
        description: 'The value, or up to 100 values.',
      }),
      fields: Nullable(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 }), 'Fields to return; all when absent.'),
    },
    { additionalProperties: true },
  ),
);

/** User search bodies. */
export const UserSearchBody = requestBody(searchRequest());

/** Typed request parts. */
export type CreateUserRequest = Static<typeof CreateUserBody>['request'];
export type SignupRequest = Static<typeof SignupBody>['request'];
export type CreateManagedUserRequest = Static<typeof CreateManagedUserBody>['request'];
export type UpdateUserRequest = Static<typeof UpdateUserBody>['request'];
