/**
 * Terms-and-conditions acceptance (upstream UserTnCActor / UserTncService). The accepted version must
 * be the latest one of its type, read from the system setting named after the type (e.g. `tncConfig`
 * = `{"latestVersion": "v12", ...}`). Acceptance of the default type is recorded in
 * tncacceptedversion/tncacceptedon; other types in the alltncaccepted map as `{version, tncAcceptedOn}`.
 * Accepting the version already accepted changes nothing.
 */
import { LernError, formatMessage, sunbirdTimestamp, type Caller } from '@lern/kit';
import type { TncStore, TncUser } from './store.ts';
import { DEFAULT_TNC_TYPE } from './schemas.ts';

/** err prefix (upstream ActorOperations USER_TNC_ACCEPT). */
export const TNC_PREFIX = 'UOS_TNCACCPT';

/** Terms types that need a role in the user's root organisation, and those roles. */
const TYPE_ROLES: Readonly<Record<string, readonly string[]>> = {
  orgAdminTnc: ['ORG_ADMIN'],
  reportViewerTnc: ['REPORT_VIEWER', 'REPORT_ADMIN'],
};

/** What acceptance needs. */
export interface TncDeps {
  store: TncStore;
  /** Called after the user's row changed: refresh the user's search document and cached view, publish the change. */
  userChanged(userId: string, fields: readonly string[], caller: Caller): Promise<void>;
  now?: () => Date;
}

/** The request of an acceptance. */
export interface AcceptTncInput {
  version: string;
  tncType?: string;
  userId?: string;
}

const invalidValue = (value: string, param: string): LernError =>
  new LernError('CLIENT_ERROR', `${TNC_PREFIX}0017`, formatMessage('Invalid value {0} for parameter {1}. Please provide a valid value.', value, param));

/** The latestVersion of a terms type's setting ('' when the setting is missing or not JSON, as upstream). */
function latestVersion(setting: string | null): string {
  if (setting === null) return '';
  try {
    const parsed: unknown = JSON.parse(setting);
    const v = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).latestVersion : undefined;
    return typeof v === 'string' ? v : '';
  } catch {
    return '';
  }
}

/** The user whose acceptance a request records: `userId` when given, else whom the caller acts for. */
export function tncTarget(caller: Pick<Caller, 'effectiveUserId'> | null, input: Pick<AcceptTncInput, 'userId'>): string {
  return input.userId ?? caller?.effectiveUserId ?? '';
}

async function holdsRoleInRoot(store: TncStore, user: TncUser, roles: readonly string[]): Promise<boolean> {
  if (!user.rootOrgId) return false;
  const scopes = await Promise.all(roles.map((role) => store.roleOrgs(user.id, role)));
  return scopes.some((orgs) => orgs.includes(user.rootOrgId!));
}

/** Records that the target user accepted `version` of the terms type. */
export async function acceptTnc(deps: TncDeps, caller: Caller, input: AcceptTncInput): Promise<{ response: 'SUCCESS' }> {
  const { store } = deps;
  const tncType = input.tncType ?? DEFAULT_TNC_TYPE;
  const userId = tncTarget(caller, input);
  if (input.version.toLowerCase() !== latestVersion(await store.setting(tncType)).toLowerCase()) throw invalidValue(input.version, 'version');
  const user = await store.user(userId);
  if (!user) throw new LernError('RESOURCE_NOT_FOUND', `${TNC_PREFIX}0013`, formatMessage('Requested {0} resource not found', 'user'));
  if (user.isDeleted) throw new LernError('CLIENT_ERROR', `${TNC_PREFIX}0006`, 'User account has been blocked .');
  // Accepting for another user is only for managed users.
  if (input.userId !== undefined && input.userId !== caller.userId && user.managedBy === null) throw invalidValue(userId, 'userId');
  const roles = TYPE_ROLES[tncType];
  if (roles && !(await holdsRoleInRoot(store, user, roles))) throw invalidValue(user.rootOrgId ?? '', 'organisationId');

  const now = (deps.now ?? (() => new Date()))();
  const audit = { by: caller.userId, date: sunbirdTimestamp(now) };
  if (tncType === DEFAULT_TNC_TYPE) {
    if (user.tncAcceptedOn !== null && user.tncAcceptedVersion?.toLowerCase() === input.version.toLowerCase()) return { response: 'SUCCESS' };
    await store.acceptDefault(userId, input.version, now, audit);
    await deps.userChanged(userId, ['tncAcceptedVersion', 'tncAcceptedOn'], caller);
    return { response: 'SUCCESS' };
  }
  const previous = acceptanceOf(user.allTncAccepted[tncType]);
  if (previous?.tncAcceptedOn && previous.version?.toLowerCase() === input.version.toLowerCase()) return { response: 'SUCCESS' };
  await store.acceptOther(userId, tncType, JSON.stringify({ version: input.version, tncAcceptedOn: sunbirdTimestamp(now) }), audit);
  await deps.userChanged(userId, ['allTncAccepted'], caller);
  return { response: 'SUCCESS' };
}

/** A stored `{version, tncAcceptedOn}` entry; null when absent or unreadable. */
export function acceptanceOf(json: string | undefined): { version?: string; tncAcceptedOn?: string } | null {
  if (json === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { version, tncAcceptedOn } = parsed as Record<string, unknown>;
    return { version: typeof version === 'string' ? version : undefined, tncAcceptedOn: typeof tncAcceptedOn === 'string' ? tncAcceptedOn : undefined };
  } catch {
    return null;
  }
}
