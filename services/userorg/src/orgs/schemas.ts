/**
 * Request schemas of the organisation routes, with upstream's rules (OrgRequestValidator): orgName,
 * organisationType and isTenant mandatory on create, a channel for every tenant, formats of channel
 * and email, and fields an update may not change.
 */
import { Type, type Static } from '@lern/kit';
import { Forbidden, Id, MAX_ID, Nullable, OptionalEmail, OptionalText, Text, requestBody } from '../schemas.ts';
import { searchRequest } from '../search.ts';

/** Channel characters. */
export const CHANNEL_PATTERN = '^[A-Za-z0-9_.-]{1,128}$';

/** Organisation types by their request names. */
export const OrgType = Type.Enum(['school', 'board'], { description: 'school | board' });

/** Details a create and an update share. */
const detailFields = {
  description: OptionalText(4096, 'Description.'),
  email: OptionalEmail('Contact email.'),
  externalId: OptionalText(MAX_ID, 'External id, unique within the channel.'),
  provider: OptionalText(MAX_ID, 'Provider of the external id; default the channel.'),
  orgCode: OptionalText(MAX_ID, 'Organisation code.'),
  homeUrl: OptionalText(2048, 'Home page.'),
  imgUrl: OptionalText(2048, 'Logo.'),
  preferredLanguage: OptionalText(64, 'Preferred language.'),
  organisationSubType: OptionalText(64, 'Sub-type.'),
  isSSOEnabled: Nullable(Type.Boolean(), 'Whether the tenant signs users in through SSO.'),
  license: Nullable(Type.String({ minLength: 1, maxLength: 1024 }), 'Default content license (not blank).'),
  orgLocation: Nullable(Type.Array(Type.Object({ id: Id('Location id.'), type: Text(64, 'Location type.') }, { additionalProperties: true }), { maxItems: 10 }), '[{ id, type }]'),
};

/** POST /v1/org/create. */
export const CreateOrgBody = requestBody(
  Type.Object(
    {
      orgName: Text(256, 'Mandatory.'),
      organisationType: OrgType,
      isTenant: Type.Boolean({ description: 'Mandatory: true = root organisation (tenant) with a unique channel.' }),
      channel: Nullable(Type.String({ pattern: CHANNEL_PATTERN }), 'Unique channel: mandatory for a tenant; for a sub-organisation, names its tenant.'),
      rootOrgId: OptionalText(MAX_ID, 'Sub-organisation: its tenant.'),
      ...detailFields,
    },
    {
      additionalProperties: true,
      allOf: [
        { required: ['orgName', 'organisationType', 'isTenant'] },
        { if: { required: ['isTenant'], properties: { isTenant: { const: true } } }, then: { required: ['channel'], properties: { channel: { type: 'string' } } } },
      ],
    },
  ),
);

/** PATCH /v1/org/update. */
export const UpdateOrgBody = requestBody(
  Type.Object(
    {
      organisationId: Id('The organisation.'),
      orgName: Type.Optional(Text(256, 'New name.')),
      organisationType: Type.Optional(OrgType),
      channel: Forbidden('Not updatable.'),
      isTenant: Forbidden('Not updatable.'),
      rootOrgId: Forbidden('Not updatable.'),
      status: Forbidden('Not updatable here (PATCH /v1/org/status/update).'),
      ...detailFields,
    },
    { additionalProperties: true },
  ),
);

/** Fields an organisation update may not change. */
export const ORG_NOT_UPDATABLE: readonly string[] = ['channel', 'isTenant', 'rootOrgId', 'status'];

/** PATCH /v1/org/status/update. */
export const OrgStatusBody = requestBody(
  Type.Object(
    { organisationId: Id('The organisation.'), status: Type.Integer({ minimum: 0, maximum: 3, description: '0 inactive, 1 active, 2 blocked, 3 retired.' }) },
    { additionalProperties: true },
  ),
);

/** POST /v1/org/read. */
export const OrgReadBody = requestBody(Type.Object({ organisationId: Id('The organisation.') }, { additionalProperties: true }));

/** Organisation search bodies. */
export const OrgSearchBody = requestBody(searchRequest());

/** Typed request parts. */
export type CreateOrgRequest = Static<typeof CreateOrgBody>['request'];
export type UpdateOrgRequest = Static<typeof UpdateOrgBody>['request'];
