/**
 * System settings (id -> text value) and tenant preferences (organisation + key -> JSON object).
 * Each write publishes a change event (no values: events carry no data).
 */
import { SYSTEM_SCOPE, type Caller } from '@lern/kit';
import { actorOf, byOf, type UserOrgDeps } from '../context.ts';
import { fail, uosError, type Operation } from '../errors.ts';
import { toChangeEvent, type ChangeAction, type ObjectType } from '../events.ts';
import type { SettingRecord } from '../records.ts';
import type { SetSettingRequest, WritePreferenceRequest } from './schemas.ts';

/** After a committed setting or preference write: the change event (the one place these publish). */
function published(deps: UserOrgDeps, objectType: ObjectType, action: ChangeAction, objectId: string, caller: Caller | null, fields: string[]): Promise<void> {
  return deps.publish(toChangeEvent({ action, objectType, objectId, actor: actorOf(caller), changedFields: fields }));
}

/** A system setting, or upstream's 404. */
export async function getSetting(deps: UserOrgDeps, id: string): Promise<SettingRecord> {
  const s = await deps.store.settings.getSetting(id);
  if (!s) throw fail.notFound('getSystemSetting', 'system setting');
  return s;
}

/** Every system setting. */
export function listSettings(deps: UserOrgDeps): Promise<SettingRecord[]> {
  return deps.store.settings.listSettings();
}

/** Writes a system setting. */
export async function setSetting(deps: UserOrgDeps, r: SetSettingRequest, caller: Caller | null): Promise<{ id: string }> {
  const value = typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
  const s: SettingRecord = { id: r.id.trim(), field: r.field.trim(), value };
  await deps.store.settings.putSetting(s);
  await published(deps, 'SystemSetting', 'update', s.id, caller, ['value']);
  return { id: s.id };
}

/** Creates a tenant preference for an existing organisation (or `*`); refused when it exists. */
export async function createPreference(deps: UserOrgDeps, r: WritePreferenceRequest, caller: Caller | null): Promise<void> {
  const op: Operation = 'createTenantPreference';
  const orgId = r.orgId.trim();
  if (orgId !== SYSTEM_SCOPE && !(await deps.store.orgs.get(orgId))) throw fail.invalidValue(op, orgId, 'orgId');
  if (!(await deps.store.settings.createPreference(orgId, r.key, JSON.stringify(r.data), byOf(caller)))) throw uosError(op, 'errorParamExists', [`Tenant preference ${r.key}`]);
  await published(deps, 'TenantPreference', 'create', `${orgId}:${r.key}`, caller, ['data']);
}

/** Replaces an existing tenant preference's data. */
export async function updatePreference(deps: UserOrgDeps, r: WritePreferenceRequest, caller: Caller | null): Promise<void> {
  const op: Operation = 'updateTenantPreference';
  const orgId = r.orgId.trim();
  if (!(await deps.store.settings.getPreference(orgId, r.key))) throw fail.notFound(op, 'tenant preference');
  await deps.store.settings.updatePreference(orgId, r.key, JSON.stringify(r.data), byOf(caller));
  await published(deps, 'TenantPreference', 'update', `${orgId}:${r.key}`, caller, ['data']);
}

/** A tenant preference with its data parsed, or upstream's 404. */
export async function readPreference(deps: UserOrgDeps, orgId: string, key: string): Promise<Record<string, unknown>> {
  const row = await deps.store.settings.getPreference(orgId.trim(), key);
  if (!row) throw fail.notFound('getTenantPreference', 'tenant preference');
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    data = row.data;
  }
  return {
    orgId: row.orgId,
    key: row.key,
    data,
    createdBy: row.createdBy,
    createdOn: row.createdOn?.toISOString() ?? null,
    updatedBy: row.updatedBy,
    updatedOn: row.updatedOn?.toISOString() ?? null,
  };
}
