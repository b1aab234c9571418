/**
 * Organisations: create a tenant (system administrators; its channel is reserved) or a
 * sub-organisation (administrators of its tenant), read, update, change status, search. A tenant's
 * channel and an organisation's external id (unique within the channel) are reserved before the
 * write and given back if it fails; an update frees the old external id.
 */
import { randomInt } from 'node:crypto';
import { administers, isSystemAdmin, sunbirdTimestamp, type Caller } from '@lern/kit';
import { byOf, INDEX, type UserOrgDeps } from '../context.ts';
import { fail, type Operation } from '../errors.ts';
import { ORG_STATUS, ORG_TYPES, type OrgRecord } from '../records.ts';
import { ORG_SEARCH_PROFILE } from '../search-query.ts';
import { searchIndex, type SearchPage, type SearchRequest } from '../search.ts';
import { channelValue, orgExternalIdValue } from '../store/index.ts';
import { claimUnique, releaseUnique, type Claim } from '../unique.ts';
import { blank } from '../users/profile.ts';
import { afterOrgWrite } from './effects.ts';
import type { CreateOrgRequest, UpdateOrgRequest } from './schemas.ts';
import { orgView } from './views.ts';

/** Upstream-like numeric organisation ids (about 20 digits, time ordered). */
function newOrgId(): string {
  return `01${Date.now()}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`.slice(0, 21);
}

/** The fields of a create or an update request that describe the organisation. */
type DetailFields = Pick<
  UpdateOrgRequest,
  'orgName' | 'organisationType' | 'description' | 'email' | 'externalId' | 'provider' | 'orgCode' | 'homeUrl' | 'imgUrl' | 'preferredLanguage' | 'organisationSubType' | 'license' | 'isSSOEnabled' | 'orgLocation'
>;

/** The detail fields of a request, as record fields (only those the request names). */
function detailsOf(r: DetailFields): Partial<OrgRecord> {
  const d: Partial<OrgRecord> = {};
  if (r.orgName !== undefined) d.orgName = r.orgName.trim();
  if (r.organisationType !== undefined) d.organisationType = ORG_TYPES[r.organisationType];
  for (const f of ['description', 'email', 'externalId', 'provider', 'orgCode', 'homeUrl', 'imgUrl', 'preferredLanguage', 'organisationSubType', 'license'] as const) {
    if (r[f] !== undefined) d[f] = blank(r[f]);
  }
  if (r.isSSOEnabled !== undefined) d.isSSOEnabled = r.isSSOEnabled === true;
  if (r.orgLocation !== undefined) {
    d.orgLocation = (r.orgLocation ?? []).map((l) => ({ id: l.id.trim(), type: l.type.trim() }));
    d.locationIds = d.orgLocation.map((l) => l.id);
  }
  return d;
}

/** The tenant a new sub-organisation belongs to, and its channel; null: it is its own root. */
async function parentTenantOf(deps: UserOrgDeps, r: CreateOrgRequest): Promise<{ rootOrgId: string; channel: string | null } | null> {
  const op: Operation = 'createOrg';
  const rootOrgId = blank(r.rootOrgId);
  const channel = blank(r.channel);
  if (rootOrgId !== null) {
    const root = await deps.store.orgs.get(rootOrgId);
    if (!root || !root.isTenant) throw fail.invalidValue(op, rootOrgId, 'rootOrgId');
    return { rootOrgId: root.id, channel: root.channel };
  }
  if (channel !== null) {
    const rootId = await deps.store.unique.owner(channelValue(channel));
    if (!rootId) throw fail.invalidValue(op, channel, 'channel');
    return { rootOrgId: rootId, channel };
  }
  return null;
}

/** Creates a tenant (system administrators only) or a sub-organisation (administrators of its tenant). */
export async function createOrg(deps: UserOrgDeps, r: CreateOrgRequest, caller: Caller | null): Promise<{ organisationId: string }> {
  const op: Operation = 'createOrg';
  const grants = caller?.grants ?? [];
  const id = newOrgId();
  const parent = r.isTenant ? null : await parentTenantOf(deps, r);
  const allowed = parent === null ? isSystemAdmin(grants) : administers(grants, { orgIds: [parent.rootOrgId], rootOrgId: parent.rootOrgId });
  if (!allowed) throw fail.forbidden(op);
  const channel = r.isTenant ? blank(r.channel) : (parent?.channel ?? null);
  const details = detailsOf(r);
  const externalId = details.externalId ?? null;
  const org: OrgRecord = {
    id,
    orgName: r.orgName.trim(),
    description: null,
    channel,
    slug: r.isTenant && channel ? channel.toLowerCase() : null,
    isTenant: r.isTenant,
    rootOrgId: parent?.rootOrgId ?? id,
    organisationType: ORG_TYPES[r.organisationType],
    organisationSubType: null,
    status: ORG_STATUS.ACTIVE,
    email: null,
    externalId: null,
    provider: null,
    orgCode: null,
    homeUrl: null,
    imgUrl: null,
    preferredLanguage: null,
    locationIds: [],
    orgLocation: [],
    isSSOEnabled: false,
    license: null,
    ...details,
    createdBy: byOf(caller),
    createdDate: sunbirdTimestamp(),
    updatedBy: null,
    updatedDate: null,
  };
  org.provider ??= externalId ? channel : null;
  const claims: Claim[] = [];
  if (r.isTenant && channel) claims.push({ value: channelValue(channel), field: 'channel', shown: channel });
  if (externalId) claims.push({ value: orgExternalIdValue(channel, externalId), field: 'externalId', shown: externalId });
  await claimUnique(deps.store.unique, { owner: id, claims, taken: (c) => fail.duplicate(op, c.shown, c.field) }, () => deps.store.orgs.put(org));
  await afterOrgWrite(deps, org, { action: 'create', caller, fields: Object.keys(orgView(org)) });
  return { organisationId: id };
}

/** An organisation's view, or upstream's 404. */
export async function readOrg(deps: UserOrgDeps, organisationId: string): Promise<Record<string, unknown>> {
  const org = await deps.store.orgs.get(organisationId);
  if (!org) throw fail.notFound('getOrgDetails', 'organisation');
  return orgView(org);
}

/** Updates an organisation's details; the route's policy checked that the caller administers it. */
export async function updateOrg(deps: UserOrgDeps, r: UpdateOrgRequest, caller: Caller | null): Promise<void> {
  const op: Operation = 'updateOrg';
  const org = await deps.store.orgs.get(r.organisationId);
  if (!org) throw fail.notFound(op, 'organisation');
  const changes = detailsOf(r);
  const updated: OrgRecord = { ...org, ...changes, updatedBy: byOf(caller), updatedDate: sunbirdTimestamp() };
  const before = org.externalId ? orgExternalIdValue(org.channel, org.externalId) : null;
  const after = updated.externalId ? orgExternalIdValue(org.channel, updated.externalId) : null;
  const moved = before?.key !== after?.key;
  const claims: Claim[] = moved && after && updated.externalId ? [{ value: after, field: 'externalId', shown: updated.externalId }] : [];
  await claimUnique(deps.store.unique, { owner: org.id, claims, taken: (c) => fail.duplicate(op, c.shown, c.field) }, () => deps.store.orgs.put(updated));
  if (moved && before) await releaseUnique(deps.store.unique, org.id, [before]);
  await afterOrgWrite(deps, updated, { action: 'update', caller, fields: Object.keys(changes) });
}

/** Changes an organisation's status; the route's policy checked that the caller administers it. */
export async function updateOrgStatus(deps: UserOrgDeps, organisationId: string, status: number, caller: Caller | null): Promise<void> {
  const org = await deps.store.orgs.get(organisationId);
  if (!org) throw fail.notFound('updateOrgStatus', 'organisation');
  const updated: OrgRecord = { ...org, status, updatedBy: byOf(caller), updatedDate: sunbirdTimestamp() };
  await deps.store.orgs.put(updated);
  await afterOrgWrite(deps, updated, { action: 'status-update', caller, fields: ['status'] });
}

/** Organisation search (organisations are public data). */
export async function searchOrgs(deps: UserOrgDeps, request: SearchRequest): Promise<SearchPage> {
  return searchIndex(deps, INDEX.org, request, ORG_SEARCH_PROFILE, 'orgSearch');
}
