/** Request and result schemas of the template routes. */
import { Type } from '@lern/kit';
import { Id, requestBody } from '../schemas.ts';

const Data = Type.String({ minLength: 1, maxLength: 30_000, description: 'Template text with $param / ${param} placeholders (JSON text for feed templates).' });
const Schema = Type.String({ minLength: 2, maxLength: 30_000, description: 'JSON schema of the params, as a JSON string.' });
const Kind = Type.String({ minLength: 1, maxLength: 32, description: 'JSON, TEXT, HTML, xml, ...' });
const Ver = Type.String({ minLength: 1, maxLength: 32 });
const Config = Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 1024 }), { maxProperties: 20 });

export const CreateTemplateBody = requestBody(
  Type.Object({ templateId: Id('Template id.'), data: Data, template_schema: Schema, type: Kind, ver: Type.Optional(Ver), config: Type.Optional(Config) }, { additionalProperties: true }),
);

export const UpdateTemplateBody = requestBody(
  Type.Object(
    { templateId: Id('Template id.'), data: Type.Optional(Data), template_schema: Type.Optional(Schema), type: Type.Optional(Kind), ver: Type.Optional(Ver), config: Type.Optional(Config) },
    { additionalProperties: true },
  ),
);

export const DeleteTemplateBody = requestBody(Type.Object({ templateId: Id('Template id.') }, { additionalProperties: true }));

export const ActionUpdateBody = requestBody(
  Type.Object({ action: Id('Action type, e.g. add-member.'), templateId: Id('Template the action is rendered with.'), type: Kind }, { additionalProperties: true }),
);

export const ActionParams = Type.Object({ action: Id('Action type.') });

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Template = Type.Object({
  templateId: Type.String(),
  data: Type.String(),
  template_schema: Nullable(Type.String()),
  type: Type.String(),
  ver: Nullable(Type.String()),
  config: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  createdBy: Nullable(Type.String()),
  createdOn: Type.Union([Type.Integer(), Type.Null()]),
  lastUpdatedBy: Nullable(Type.String()),
  lastUpdatedOn: Type.Union([Type.Integer(), Type.Null()]),
});

export const ListResult = Type.Object({ templates: Type.Array(Template) });
export const ActionResult = Type.Object({ action: Type.String(), type: Nullable(Type.String()), template: Template });
