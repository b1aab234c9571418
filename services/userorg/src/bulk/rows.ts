/**
 * One CSV row of each kind of upload, turned into the single-item request upstream's background
 * actors build (UserBulkUploadBackgroundJobActor, OrgBulkUploadBackgroundJobActor,
 * LocationBulkUploadBackGroundJobActor) and sent through the RowSink. Each row is authorised against
 * the uploader's grants as the single-item route would be. Failures are per row: the row as read,
 * with the operation and `err_msg`.
 */
import { LernError, MESSAGES, administers, formatMessage, isSystemAdmin, type Caller } from '@lern/kit';
import type { RowRequest, RowSink } from './row-sink.ts';
import type { BulkStore, OrgInfo } from './store.ts';

/** A row as read: field -> value (null for a blank cell). */
export type Row = Record<string, string | null>;

/** The outcome of a row: the row with what was done (and the new id), or with the error. */
export type RowOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; result: Record<string, unknown> };

/** What rows are processed with. */
export interface RowContext {
  sink: RowSink;
  store: BulkStore;
  /** The uploader, with the grants they held when uploading (or when the upload was resumed). */
  caller: Caller;
  /** The uploader's root organisation (user and organisation uploads). */
  uploaderOrg: OrgInfo | null;
  /** Fields every row must fill (the profile config's csv.mandatoryColumns). */
  mandatoryFields: readonly string[];
  /** The `type` of a location upload. */
  locationType: string | null;
}

/** Thrown to fail a row with upstream's message. */
class RowFailure extends Error {}

const ORG_STATUS = { inactive: 0, active: 1 } as const;
const invalidParameter = (name: string): RowFailure => new RowFailure(formatMessage(MESSAGES.invalidParameter, name));
const forbiddenRow = (): RowFailure => new RowFailure(MESSAGES.errorForbidden);

function requireMandatory(row: Row, fields: readonly string[]): void {
  for (const field of fields) if (!row[field]) throw new RowFailure(formatMessage(MESSAGES.mandatoryParamsMissing, field));
}

/** Only the filled fields among `names`. */
function pick(row: Row, names: readonly string[]): RowRequest {
  const out: RowRequest = {};
  for (const n of names) if (row[n] !== null && row[n] !== undefined) out[n] = row[n];
  return out;
}

const list = (value: string | null | undefined): string[] | undefined => {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return items.length > 0 ? items : undefined;
};

/** Runs one row; any error becomes the row's failure. */
export async function processRow(ctx: RowContext, type: 'user' | 'organisation' | 'location', row: Row, log: { error(obj: object, msg: string): void }): Promise<RowOutcome> {
  const done: { operation: string } = { operation: 'create' };
  try {
    const result = type === 'user' ? await userRow(ctx, row, done) : type === 'organisation' ? await orgRow(ctx, row, done) : await locationRow(ctx, row, done);
    return { ok: true, result: { ...row, ...result, operation: done.operation } };
  } catch (error) {
    let message: string = MESSAGES.serverError;
    if (error instanceof RowFailure) message = error.message;
    else if (error instanceof LernError) message = error.errmsg;
    else log.error({ err: error }, 'bulk upload row failed');
    return { ok: false, result: { ...row, operation: done.operation, err_msg: message } };
  }
}

const USER_CREATE_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'countryCode', 'userName', 'dob'] as const;
const USER_UPDATE_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'countryCode', 'dob'] as const;

function externalIds(row: Row): RowRequest[] | undefined {
  if (!row.externalId) return undefined;
  return [{ id: row.externalId, idType: row.externalIdType ?? row.externalIdProvider, provider: row.externalIdProvider ?? row.externalIdType }];
}

/** The organisation a user row goes to: its orgId/orgExternalId in the uploader's tenant, else the uploader's root. */
async function userOrg(ctx: RowContext, row: Row, uploader: OrgInfo): Promise<{ id: string; name: string | null }> {
  const { orgId, orgExternalId } = row;
  if (!orgId && !orgExternalId) return { id: uploader.id, name: null };
  const foundId = orgExternalId ? await ctx.sink.findOrgByExternalId(orgExternalId, uploader.channel ?? '') : orgId!;
  const org = foundId ? await ctx.store.org(foundId) : null;
  if (!org) throw invalidParameter('organisationid');
  if (orgId && orgExternalId && orgId.toLowerCase() !== org.id.toLowerCase()) {
    throw new RowFailure(formatMessage('Conflicting values for {0} ({1}) and {2} ({3}).', 'organisationId', orgId, 'orgExternalId', orgExternalId));
  }
  if ((org.channel ?? '').toLowerCase() !== (uploader.channel ?? '').toLowerCase()) {
    throw new RowFailure('Root organisation channel of uploader user is conflicting with that of specified organisation ID/orgExternalId channel value.');
  }
  if (org.status !== null && org.status !== ORG_STATUS.active) throw invalidParameter('organisationstatus');
  return { id: org.id, name: org.orgName };
}

async function userRow(ctx: RowContext, row: Row, done: { operation: string }): Promise<Record<string, unknown>> {
  const uploader = ctx.uploaderOrg;
  if (!uploader) throw new RowFailure('Not able to associate with root org');
  requireMandatory(row, ctx.mandatoryFields);
  const roles = list(row.roles)?.filter((r) => r !== 'PUBLIC');
  const org = await userOrg(ctx, row, uploader);
  if (row.userId) {
    done.operation = 'update';
    const scope = await ctx.store.userScope(row.userId);
    if (!scope) throw new RowFailure(formatMessage('Requested {0} resource not found', 'user'));
    if (!administers(ctx.caller.grants, scope)) throw forbiddenRow();
    const request = { userId: row.userId, ...pick(row, USER_UPDATE_FIELDS), language: list(row.language), subject: list(row.subject), externalIds: externalIds(row) };
    await ctx.sink.updateUser(withoutUndefined(request), ctx.caller);
    if (roles) {
      done.operation = 'assignRoles';
      if (!administers(ctx.caller.grants, { orgIds: [org.id], rootOrgId: uploader.id })) throw forbiddenRow();
      await ctx.sink.assignRoles({ userId: row.userId, organisationId: org.id, roles }, ctx.caller);
    }
    return { organisationId: org.id, ...(org.name ? { orgName: org.name } : {}) };
  }
  if (!administers(ctx.caller.grants, { orgIds: [org.id], rootOrgId: uploader.id })) throw forbiddenRow();
  const request = {
    ...pick(row, USER_CREATE_FIELDS),
    channel: uploader.channel ?? undefined,
    organisationId: org.id,
    roles,
    language: list(row.language),
    subject: list(row.subject),
    externalIds: externalIds(row),
  };
  const { userId } = await ctx.sink.createUser(withoutUndefined(request), ctx.caller);
  return { id: userId, userId, organisationId: org.id, ...(org.name ? { orgName: org.name } : {}) };
}

const ORG_FIELDS_SENT = ['orgName', 'description', 'externalId', 'provider', 'homeUrl', 'organisationSubType'] as const;

/** Organisation type of a row (lower-cased); bulk uploads create schools unless told otherwise. */
const orgTypeOf = (row: Row): string => (row.organisationType ?? 'school').toLowerCase();

/** The row's locationCode as the organisation's location (upstream resolves codes the same way). */
async function orgLocationOf(ctx: RowContext, row: Row): Promise<{ id: string; type: string }[] | undefined> {
  if (!row.locationCode) return undefined;
  const location = await ctx.sink.findLocationByCode(row.locationCode);
  if (!location) throw invalidParameter('locationCode');
  return [location];
}

async function orgRow(ctx: RowContext, row: Row, done: { operation: string }): Promise<Record<string, unknown>> {
  const uploader = ctx.uploaderOrg;
  if (!uploader) throw new RowFailure('Not able to associate with root org');
  requireMandatory(row, ctx.mandatoryFields);
  const statusText = row.status?.toLowerCase();
  if (statusText && !(statusText in ORG_STATUS)) throw invalidParameter('organisationstatus');
  const orgLocation = await orgLocationOf(ctx, row);
  if (row.organisationId) {
    done.operation = 'update';
    const org = await ctx.store.org(row.organisationId);
    if (!org) throw invalidParameter('organisationid');
    if (!administers(ctx.caller.grants, { orgIds: [org.id], rootOrgId: org.rootOrgId })) throw forbiddenRow();
    const organisationType = row.organisationType ? orgTypeOf(row) : undefined;
    await ctx.sink.updateOrg(withoutUndefined({ organisationId: org.id, ...pick(row, ORG_FIELDS_SENT), organisationType, orgLocation }), ctx.caller);
    return { organisationId: org.id };
  }
  const isTenant = row.isTenant?.toLowerCase() === 'true';
  const allowed = isTenant ? isSystemAdmin(ctx.caller.grants) : administers(ctx.caller.grants, { orgIds: [uploader.id], rootOrgId: uploader.id });
  if (!allowed) throw forbiddenRow();
  const request = {
    ...pick(row, ORG_FIELDS_SENT),
    channel: isTenant ? (row.channel ?? undefined) : (uploader.channel ?? undefined),
    isTenant,
    organisationType: orgTypeOf(row),
    orgLocation,
  };
  const { organisationId } = await ctx.sink.createOrg(withoutUndefined(request), ctx.caller);
  return { organisationId };
}

async function locationRow(ctx: RowContext, row: Row, done: { operation: string }): Promise<Record<string, unknown>> {
  const type = ctx.locationType ?? '';
  if (!row.code) throw new RowFailure(formatMessage(MESSAGES.mandatoryParamsMissing, 'code'));
  const existing = await ctx.sink.findLocationByCode(row.code);
  if (!existing) {
    const { id } = await ctx.sink.createLocation(withoutUndefined({ ...pick(row, ['code', 'name', 'parentCode', 'parentId']), type }), ctx.caller);
    return { id, type };
  }
  done.operation = 'update';
  if (existing.type.toLowerCase() !== type.toLowerCase()) throw new RowFailure(formatMessage('Update of {0} is not allowed.', 'type'));
  // A location's type and parent are not updatable: an update renames it.
  await ctx.sink.updateLocation(withoutUndefined({ id: existing.id, ...pick(row, ['name']) }), ctx.caller);
  return { id: existing.id, type };
}

function withoutUndefined(o: Record<string, unknown>): RowRequest {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
