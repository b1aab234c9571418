/**
 * Request and result schemas of PATCH /v1/user/declarations (upstream
 * UserRequestValidator.validateUserDeclarationRequest and UserUtil.createUserDeclaredObject).
 */
import { Type } from '@lern/kit';

/** Declaration operations (upstream JsonKey ADD, EDIT, REMOVE). */
export const DECLARATION_OPERATIONS = ['add', 'edit', 'remove'] as const;

/** Persona used when none is declared (upstream JsonKey.DEFAULT_PERSONA). */
export const DEFAULT_PERSONA = 'default';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 256, pattern: '\\S', description });

/** One declaration of the request. */
export const Declaration = Type.Object(
  {
    userId: Id('The declaring user: the caller (all declarations of a request are for one user).'),
    orgId: Id('The organisation declared for (not the custodian organisation).'),
    persona: Type.Optional(Type.String({ maxLength: 64, description: `Role in the organisation, e.g. teacher; default "${DEFAULT_PERSONA}".` })),
    operation: Type.Enum([...DECLARATION_OPERATIONS], { description: 'add, edit or remove.' }),
    info: Type.Optional(
      Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 1024 }), {
        maxProperties: 50,
        description: 'Declared details: declared-email, declared-phone (masked values keep the stored ones), declared-school-name, declared-school-udise-code, declared-state, ...',
      }),
    ),
    status: Type.Optional(Type.String({ maxLength: 64, description: 'Default SUBMITTED.' })),
    errorType: Type.Optional(Type.String({ maxLength: 256 })),
    errtype: Type.Optional(Type.String({ maxLength: 256, description: "Upstream's name of errorType." })),
  },
  { additionalProperties: true },
);

/** PATCH /v1/user/declarations. */
export const UpdateDeclarationsBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    ver: Type.Optional(Type.String()),
    ts: Type.Optional(Type.String()),
    params: Type.Optional(Type.Object({}, { additionalProperties: true })),
    request: Type.Object({ declarations: Type.Array(Declaration, { minItems: 1, maxItems: 50 }) }, { additionalProperties: true }),
  },
  { additionalProperties: true },
);

/** Result of the update. */
export const UpdateDeclarationsResult = Type.Object({ response: Type.Literal('SUCCESS') });
