/**
 * Request schemas of the location routes, with upstream's rules (LocationRequestValidator): code,
 * name and a known type mandatory; a state has no parent, every other type a parent (by id or
 * code); an update may not change the type or the parent.
 */
import { Type, type Static } from '@lern/kit';
import { LOCATION_TYPES } from '../records.ts';
import { Forbidden, Id, MAX_ID, Text, requestBody } from '../schemas.ts';
import { searchRequest } from '../search.ts';

const PARENT_GIVEN = { anyOf: [{ required: ['parentId'] }, { required: ['parentCode'] }] };

/** POST /v1/location/create. */
export const CreateLocationBody = requestBody(
  Type.Object(
    {
      code: Text(128, 'Unique code.'),
      name: Text(MAX_ID, 'Name.'),
      type: Type.Enum([...LOCATION_TYPES], { description: LOCATION_TYPES.join(' | ') }),
      parentId: Type.Optional(Id('Parent location id (not for a state).')),
      parentCode: Type.Optional(Id('Parent location code (not for a state).')),
    },
    {
      additionalProperties: true,
      // Mandatory fields and the type first, then the parent rule, as upstream checks them.
      allOf: [
        { required: ['code', 'name', 'type'], properties: { type: { enum: [...LOCATION_TYPES] } } },
        { if: { properties: { type: { const: LOCATION_TYPES[0] } } }, then: { not: PARENT_GIVEN }, else: PARENT_GIVEN },
      ],
    },
  ),
);

/** PATCH /v1/location/update. */
export const UpdateLocationBody = requestBody(
  Type.Object(
    {
      id: Id('The location.'),
      name: Type.Optional(Text(MAX_ID, 'New name.')),
      code: Type.Optional(Text(128, 'New code (must be unused).')),
      type: Forbidden('Not updatable.'),
      parentId: Forbidden('Not updatable.'),
      parentCode: Forbidden('Not updatable.'),
    },
    { additionalProperties: true },
  ),
);

/** POST /v1/location/search: filters optional (all locations). */
export const LocationSearchBody = requestBody(searchRequest({ filtersOptional: true }));

/** DELETE /v1/location/delete/:locationId. */
export const LocationIdParams = Type.Object({ locationId: Id('The location.') });

/** Typed request parts. */
export type CreateLocationRequest = Static<typeof CreateLocationBody>['request'];
export type UpdateLocationRequest = Static<typeof UpdateLocationBody>['request'];
