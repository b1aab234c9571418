/**
 * Request schemas of the certificate template routes (upstream CertificateRequestValidator). The
 * template's issuer and signatories are always required: upstream falls back to the content
 * platform's copy of the template, which Lern does not read.
 */
import { Type } from '@lern/kit';
import { Id, Text, requestBody } from '../schemas.ts';

/** Most templates a batch holds. */
export const MAX_TEMPLATES_PER_BATCH = 20;

const Score = Type.Union([
  Type.Object({ '>=': Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ '<=': Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
  Type.Object({ eq: Type.Number({ minimum: 0 }) }, { additionalProperties: false }),
]);

/** When a certificate is issued: on completion and/or on a score, optionally for one root organisation's users. */
const Criteria = Type.Object(
  {
    enrollment: Type.Optional(
      Type.Object(
        { status: Type.Union([Type.Integer({ minimum: 0, maximum: 2 }), Type.String({ pattern: '^[0-2]$' })], { description: 'Enrolment status; 2 = completed.' }) },
        { additionalProperties: false },
      ),
    ),
    assessment: Type.Optional(Type.Object({ score: Score }, { additionalProperties: false, description: 'Best assessment score bound: {">=": n}, {"<=": n} or {"eq": n}.' })),
    user: Type.Optional(Type.Object({ rootOrgId: Id('Only users of this root organisation.') }, { additionalProperties: false })),
  },
  { additionalProperties: false, anyOf: [{ required: ['enrollment'] }, { required: ['assessment'] }] },
);

const Signatory = Type.Object(
  { name: Text(256, 'Name.'), id: Text(256, 'Id.'), designation: Text(256, 'Designation.'), image: Text(2048, 'Image URL of the signature.') },
  { additionalProperties: false },
);

const Issuer = Type.Object(
  {
    name: Text(256, 'Issuing organisation.'),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    publicKey: Type.Optional(Type.Array(Type.Union([Type.String({ maxLength: 4096 }), Type.Number()]), { maxItems: 10 })),
  },
  { additionalProperties: Type.String({ maxLength: 2048 }), maxProperties: 20 },
);

const Template = Type.Object(
  {
    identifier: Id('Template id (the certificate template asset).'),
    criteria: Criteria,
    issuer: Issuer,
    signatoryList: Type.Array(Signatory, { minItems: 1, maxItems: 10 }),
    name: Type.Optional(Text(256, 'Certificate name; default the identifier.')),
    url: Type.Optional(Type.String({ maxLength: 2048, description: 'Template artifact (SVG) URL.' })),
    notifyTemplate: Type.Optional(Type.Object({}, { additionalProperties: Type.String({ maxLength: 4096 }), maxProperties: 20 })),
    additionalProps: Type.Optional(
      Type.Object({}, { additionalProperties: Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean(), Type.Array(Type.String({ maxLength: 256 }), { maxItems: 50 })]), maxProperties: 20 }),
    ),
  },
  { additionalProperties: false },
);

/** PATCH /v1/course/batch/cert/template/add. */
export const AddTemplateBody = requestBody(
  Type.Object(
    { batch: Type.Object({ courseId: Id('The course.'), batchId: Id('The batch.'), template: Template }, { additionalProperties: false }) },
    { additionalProperties: false },
  ),
);

/** PATCH /v1/course/batch/cert/template/remove. */
export const RemoveTemplateBody = requestBody(
  Type.Object(
    {
      batch: Type.Object(
        { courseId: Id('The course.'), batchId: Id('The batch.'), template: Type.Object({ identifier: Id('Template id.') }, { additionalProperties: false }) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
);
