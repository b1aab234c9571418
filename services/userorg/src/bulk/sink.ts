/**
 * The RowSink of the service: bulk rows go through the same operations as the single-item routes,
 * after the same schema validation (each route's body schema, validated with the kit's Ajv settings;
 * a row that fails gets the kit's message for the first problem, e.g. "Mandatory parameter firstName
 * is missing.").
 */
import ajvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { LernError, issueFromAjv, validationMessage, type AjvErrorLike, type Caller, type TSchema } from '@lern/kit';
import type { UserOrgDeps } from '../context.ts';
import { createLocation, updateLocation } from '../locations/operations.ts';
import { CreateLocationBody, UpdateLocationBody, type CreateLocationRequest, type UpdateLocationRequest } from '../locations/schemas.ts';
import { createOrg, updateOrg } from '../orgs/operations.ts';
import { CreateOrgBody, UpdateOrgBody, type CreateOrgRequest, type UpdateOrgRequest } from '../orgs/schemas.ts';
import { assignRoles } from '../roles/operations.ts';
import { AssignRolesV1Body } from '../roles/schemas.ts';
import { locationCodeValue, orgExternalIdValue } from '../store/index.ts';
import { adminNewUser, createUser } from '../users/create.ts';
import { CreateUserBody, UpdateUserBody, type CreateUserRequest, type UpdateUserRequest } from '../users/schemas.ts';
import { updateUser } from '../users/update.ts';
import type { RowRequest, RowSink } from './row-sink.ts';

type AjvLike = { compile(schema: unknown): ValidateFunction };
// ajv is CommonJS: its class is the module itself or its `default`, depending on the loader.
const AjvClass = (ajvModule as unknown as { default?: new (options: object) => AjvLike }).default ?? (ajvModule as unknown as new (options: object) => AjvLike);

/** A validator of a route's body: the request object if valid, else a 400 with the kit's message. */
function bodyValidator<T>(schema: TSchema): (request: RowRequest) => T {
  // The kit's body settings: no coercion (CSV cells are strings), defaults applied, formats on.
  const ajv = new AjvClass({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false, verbose: true, strict: false });
  (addFormats as unknown as (a: AjvLike) => void)(ajv);
  const validate = ajv.compile(schema);
  return (request) => {
    const body = { request: structuredClone(request) };
    if (!validate(body)) {
      const first = (validate.errors ?? [])[0] as AjvErrorLike | undefined;
      throw new LernError('CLIENT_ERROR', 'UOS_0028', first ? validationMessage(issueFromAjv(first)) : 'Requested data for this operation is not valid.');
    }
    return body.request as T;
  };
}

/** The row sink over the users, roles, organisations and locations operations. */
export function userOrgRowSink(deps: UserOrgDeps): RowSink {
  const createUserRequest = bodyValidator<CreateUserRequest>(CreateUserBody);
  const updateUserRequest = bodyValidator<UpdateUserRequest>(UpdateUserBody);
  const assignRequest = bodyValidator<{ userId: string; organisationId: string; roles: string[] }>(AssignRolesV1Body);
  const createOrgRequest = bodyValidator<CreateOrgRequest>(CreateOrgBody);
  const updateOrgRequest = bodyValidator<UpdateOrgRequest>(UpdateOrgBody);
  const createLocationRequest = bodyValidator<CreateLocationRequest>(CreateLocationBody);
  const updateLocationRequest = bodyValidator<UpdateLocationRequest>(UpdateLocationBody);
  return {
    createUser: (request, caller: Caller) => createUser(deps, adminNewUser(createUserRequest(request)), { caller, byAdmin: true }),
    updateUser: (request, caller) => updateUser(deps, updateUserRequest(request), caller),
    assignRoles: (request, caller) => assignRoles(deps, assignRequest(request), caller),
    createOrg: (request, caller) => createOrg(deps, createOrgRequest(request), caller),
    updateOrg: (request, caller) => updateOrg(deps, updateOrgRequest(request), caller),
    findOrgByExternalId: (externalId, channel) => deps.store.unique.owner(orgExternalIdValue(channel, externalId)),
    createLocation: (request, caller) => createLocation(deps, createLocationRequest(request), caller),
    updateLocation: (request, caller) => updateLocation(deps, updateLocationRequest(request), caller),
    async findLocationByCode(code) {
      const id = await deps.store.unique.owner(locationCodeValue(code));
      const location = id ? await deps.store.locations.get(id) : null;
      return location ? { id: location.id, type: location.type } : null;
    },
  };
}
