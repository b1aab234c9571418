/**
 * Request and result schemas of the consent routes (upstream UserConsentController). Identifiers are
 * mandatory and non-blank; `status` is one of upstream's consent states.
 */
import { Type } from '@lern/kit';

/** A mandatory identifier: blank and missing are both "Mandatory parameter X is missing." (0030), as upstream. */
const Id = (description: string) => Type.String({ minLength: 1, maxLength: 256, pattern: '\\S', description });

/** Upstream's consent states (UserConsentRequestValidator.CONSENT_STATUS). */
export const CONSENT_STATUSES = ['ACTIVE', 'REVOKED', 'DELETED'] as const;

/** Sunbird request envelope around `request`: the other envelope fields are accepted and ignored. */
const envelope = <T extends Parameters<typeof Type.Object>[0]>(request: T) =>
  Type.Object(
    {
      id: Type.Optional(Type.String()),
      ver: Type.Optional(Type.String()),
      ts: Type.Optional(Type.String()),
      params: Type.Optional(Type.Object({}, { additionalProperties: true })),
      request: Type.Object(request, { additionalProperties: true }),
    },
    { additionalProperties: true },
  );

/** POST /v1/user/consent/update. */
export const UpdateConsentBody = envelope({
  consent: Type.Object(
    {
      userId: Id('The user giving or revoking consent (the caller).'),
      consumerId: Id('The organisation the consent is given to.'),
      objectId: Id('What is shared, e.g. the organisation id for profile sharing, or a collection id.'),
      objectType: Id('e.g. Organisation, Collection.'),
      status: Type.Enum([...CONSENT_STATUSES], { description: 'ACTIVE, REVOKED or DELETED.' }),
      consumerType: Type.Optional(Type.String({ maxLength: 64, description: 'Default ORGANISATION.' })),
    },
    { additionalProperties: true },
  ),
});

/** POST /v1/user/consent/read and /v2/user/consent/read. */
export const ReadConsentBody = envelope({
  consent: Type.Object(
    {
      filters: Type.Object(
        {
          userId: Id('Whose consent.'),
          consumerId: Id('The consumer organisation.'),
          objectId: Id('The shared object.'),
        },
        { additionalProperties: true },
      ),
    },
    { additionalProperties: true },
  ),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** One consent as the read route answers. */
export const ConsentView = Type.Object({
  id: Type.String({ examples: ['usr-consent:5a8a3f2b-3409-42e0-9001-f913bc0fde31:0126632859575746566:0126632859575746566'] }),
  userId: Type.String(),
  consumerId: Type.String(),
  objectId: Type.String(),
  consumerType: Nullable(Type.String()),
  objectType: Nullable(Type.String()),
  status: Type.String({ examples: ['ACTIVE'] }),
  expiry: Nullable(Type.String({ format: 'date-time' })),
  categories: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdOn: Nullable(Type.String({ format: 'date-time' })),
  lastUpdatedOn: Nullable(Type.String({ format: 'date-time' })),
});

/** Result of the update route. */
export const UpdateConsentResult = Type.Object({
  consent: Type.Object({ userId: Type.String() }),
  message: Type.String({ examples: ['User Consent updated successfully.'] }),
});

/** Result of the read routes. */
export const ReadConsentResult = Type.Object({ consents: Type.Array(ConsentView) });
