/** Request schemas of the system setting and tenant preference routes. */
import { Type, type Static } from '@lern/kit';
import { Id, MAX_ID, Text, requestBody } from '../schemas.ts';

/** POST /v1/system/settings/set: the value is stored as text (objects and lists as JSON). */
export const SetSettingBody = requestBody(
  Type.Object(
    {
      id: Id('Setting id.'),
      field: Id('Field name.'),
      value: Type.Union(
        [
          Type.String({ minLength: 1, maxLength: 65_536 }),
          Type.Number(),
          Type.Boolean(),
          Type.Array(Type.Unknown(), { maxItems: 1000 }),
          Type.Object({}, { additionalProperties: true, maxProperties: 1000 }),
        ],
        { description: 'The value (objects and lists are stored as JSON).' },
      ),
    },
    { additionalProperties: true },
  ),
);

/** `/v1/system/settings/get/:field`. */
export const SettingParams = Type.Object({ field: Id('The setting id.') });

const preferenceKeys = {
  orgId: Id('Organisation id, or * for every tenant (system administrators only).'),
  key: Text(MAX_ID, 'Preference key.'),
};

/** POST /v2/org/preferences/create and PATCH /v2/org/preferences/update. */
export const WritePreferenceBody = requestBody(
  Type.Object(
    { ...preferenceKeys, data: Type.Object({}, { additionalProperties: true, maxProperties: 1000, description: 'The preference (an object).' }) },
    { additionalProperties: true },
  ),
);

/** POST /v2/org/preferences/read. */
export const ReadPreferenceBody = requestBody(Type.Object(preferenceKeys, { additionalProperties: true }));

/** Typed request parts. */
export type SetSettingRequest = Static<typeof SetSettingBody>['request'];
export type WritePreferenceRequest = Static<typeof WritePreferenceBody>['request'];
