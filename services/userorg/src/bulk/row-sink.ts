/**
 * The single-item operations bulk rows go through. Each method does what its route does for the
 * `request` object of that route's body (validation, business rules, index, cache, events) on behalf
 * of `caller`, and throws the route's LernError when it would refuse; the bulk worker records that
 * error's message as the row's failure. Authorisation of each row against the uploader's grants is the
 * worker's (see rows.ts), as the route policies do for single requests.
 */
import type { Caller } from '@lern/kit';

/** A request object as the single-item routes take it (`body.request`). */
export type RowRequest = Record<string, unknown>;

/** The users, organisations and locations operations a bulk upload needs. */
export interface RowSink {
  /** POST /v1/user/create. */
  createUser(request: RowRequest, caller: Caller): Promise<{ userId: string }>;
  /** PATCH /v1/user/update. */
  updateUser(request: RowRequest, caller: Caller): Promise<void>;
  /** POST /v1/user/assign/role: `{userId, organisationId, roles}`. */
  assignRoles(request: RowRequest, caller: Caller): Promise<void>;
  /** POST /v1/org/create. */
  createOrg(request: RowRequest, caller: Caller): Promise<{ organisationId: string }>;
  /** PATCH /v1/org/update. */
  updateOrg(request: RowRequest, caller: Caller): Promise<void>;
  /** The organisation with this external id in the channel (tenant); null when none. */
  findOrgByExternalId(externalId: string, channel: string): Promise<string | null>;
  /** POST /v1/location/create. */
  createLocation(request: RowRequest, caller: Caller): Promise<{ id: string }>;
  /** PATCH /v1/location/update. */
  updateLocation(request: RowRequest, caller: Caller): Promise<void>;
  /** The location with this code; null when none. */
  findLocationByCode(code: string): Promise<{ id: string; type: string } | null>;
}
