/**
 * System settings (reads open; writes for system administrators) and tenant preferences (reads
 * open; writes for administrators of the organisation, and for system administrators when the
 * preference is for every tenant, `*`).
 */
import { defineRoute, type Route } from '@lern/kit';
import { preferenceTarget } from '../access.ts';
import type { UserOrgDeps } from '../context.ts';
import { operationOf } from '../errors.ts';
import { ResponseResult, SuccessResult } from '../schemas.ts';
import { createPreference, getSetting, listSettings, readPreference, setSetting, updatePreference } from './operations.ts';
import { ReadPreferenceBody, SetSettingBody, SettingParams, WritePreferenceBody } from './schemas.ts';

const SUCCESS = { response: 'SUCCESS' } as const;

/** Every settings and preferences route. */
export function settingRoutes(deps: UserOrgDeps): Route[] {
  const writePreference = (create: boolean) =>
    defineRoute({
      method: create ? 'POST' : 'PATCH', url: `/v2/org/preferences/${create ? 'create' : 'update'}`, policy: 'adminOfTarget', errors: create ? [] : [404],
      ...operationOf(create ? 'createTenantPreference' : 'updateTenantPreference', 'org'),
      summary: create ? 'Create a tenant preference' : 'Update a tenant preference',
      target: (req) => preferenceTarget(deps, req.body.request.orgId.trim()),
      schema: { body: WritePreferenceBody, result: SuccessResult },
      handler: (req) => (create ? createPreference : updatePreference)(deps, req.body.request, req.caller).then(() => SUCCESS),
    });
  return [
    defineRoute({
      method: 'GET', url: '/v1/system/settings/get/:field', policy: 'public', errors: [404], ...operationOf('getSystemSetting', 'settings'), summary: 'Read a system setting',
      schema: { params: SettingParams, result: ResponseResult },
      handler: async (req) => ({ response: await getSetting(deps, req.params.field) }),
    }),
    defineRoute({ method: 'GET', url: '/v1/system/settings/list', policy: 'public', ...operationOf('getSystemSetting', 'settings'), summary: 'All system settings', handler: async () => ({ response: await listSettings(deps) }) }),
    defineRoute({
      method: 'POST', url: '/v1/system/settings/set', policy: 'systemAdmin', ...operationOf('setSystemSetting', 'settings'), summary: 'Write a system setting',
      schema: { body: SetSettingBody, result: SuccessResult },
      handler: async (req) => ({ ...SUCCESS, ...(await setSetting(deps, req.body.request, req.caller)) }),
    }),
    writePreference(true),
    writePreference(false),
    ...['/v2/org/preferences/read', '/private/v2/org/preferences/read'].map((url) =>
      defineRoute({
        method: 'POST', url, policy: url.startsWith('/private') ? 'internal' : 'public', errors: [404], ...operationOf('getTenantPreference', 'org'), summary: 'Read a tenant preference',
        schema: { body: ReadPreferenceBody, result: ResponseResult },
        handler: async (req) => ({ response: await readPreference(deps, req.body.request.orgId, req.body.request.key) }),
      }),
    ),
  ];
}
