/**
 * The hierarchy registration request: the content platform's hierarchy document of a course (nested
 * nodes), bounded in depth and width by the schema and in total size by the parser.
 */
import { Type, type TSchema } from '@lern/kit';
import { Id, Text, requestBody } from '../schemas.ts';
import { MAX_DEPTH } from './hierarchy.ts';

/** Publication states of the Sunbird content platform. */
export const PUBLICATION_STATUSES = ['Live', 'Unlisted', 'Draft', 'Review', 'Retired'] as const;

/** A node `levels` deep at most (the leaves of the last level have no children). */
function node(levels: number): TSchema {
  const fields = {
    identifier: Id('Content or unit id.'),
    mimeType: Type.Optional(Type.String({ maxLength: 128, description: 'application/vnd.ekstep.content-collection for the course and its units.' })),
    name: Type.Optional(Type.String({ maxLength: 500 })),
    contentType: Type.Optional(Type.String({ maxLength: 64 })),
  };
  if (levels <= 1) return Type.Object(fields, { additionalProperties: false });
  return Type.Object({ ...fields, children: Type.Optional(Type.Array(node(levels - 1), { maxItems: 1000 })) }, { additionalProperties: false });
}

/** POST /v1/course/hierarchy/register. */
export const RegisterHierarchyBody = requestBody(
  Type.Object(
    {
      channel: Id('The root organisation that owns the course; the caller administers it.'),
      hierarchy: node(MAX_DEPTH),
      name: Type.Optional(Text(500, 'Course name (default: the hierarchy root\'s name).')),
      status: Type.Optional(Type.Enum([...PUBLICATION_STATUSES], { description: 'Publication status; default Live. Batches need Live or Unlisted.' })),
      pkgVersion: Type.Optional(Type.Number({ minimum: 0, description: 'Version; a lower one never replaces a higher one.' })),
    },
    { additionalProperties: false },
  ),
);

/** Result of a registration. */
export const RegisterHierarchyResult = Type.Object({
  response: Type.Literal('SUCCESS'),
  courseId: Type.String(),
  leafNodes: Type.Integer({ description: 'Contents in the course.' }),
  units: Type.Integer({ description: 'Units in the course.' }),
  applied: Type.Boolean({ description: 'false when a newer package version was already stored.' }),
});
