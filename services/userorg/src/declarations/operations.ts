/**
 * Self-declarations (upstream UserSelfDeclarationManagementActor / UserSelfDeclarationServiceImpl):
 * a user declares details (school, state, an official email...) for an organisation and persona.
 * `add` replaces the declaration with the same organisation and persona; `edit` also drops the
 * declarations it supersedes (same organisation with another persona, else same persona in another
 * organisation, else all others); `remove` deletes one. Declared email and phone are stored encrypted.
 */
import { LernError, formatMessage, type Caller, type Static } from '@lern/kit';
import type { PiiCipher } from '../pii.ts';
import type { DeclarationRecord, DeclarationStore, DeclaringUser } from './store.ts';
import { DEFAULT_PERSONA, type Declaration } from './schemas.ts';

/** err prefix (upstream ActorOperations UPDATE_USER_DECLARATIONS). */
export const DECLARATIONS_PREFIX = 'UOS_UDECLUPD';

/** Keys of `info` holding personal data (encrypted at rest). */
const DECLARED_EMAIL = 'declared-email';
const DECLARED_PHONE = 'declared-phone';

/** Status of a new declaration (upstream JsonKey.SUBMITTED). */
const SUBMITTED = 'SUBMITTED';

/** What the declaration operations need. */
export interface DeclarationDeps {
  store: DeclarationStore;
  cipher: PiiCipher;
  /** Called after the user's declarations changed: refresh the user's search document and cached view. */
  userChanged(userId: string, fields: readonly string[], caller: Caller): Promise<void>;
  now?: () => Date;
}

/** One declaration of a request. */
export type DeclarationInput = Static<typeof Declaration>;

const clientError = (code: string, message: string): LernError => new LernError('CLIENT_ERROR', `${DECLARATIONS_PREFIX}${code}`, message);
const invalidOrg = (): LernError => clientError('0019', formatMessage('Please provide valid {0}.', 'organisationid'));

/** A masked value (upstream UserUtility.isMasked): the client echoed what a read showed. */
const isMasked = (value: string): boolean => value.includes('*');

/** Encrypts declared email/phone; a masked value keeps the user's stored (encrypted) email/phone. */
function sealInfo(info: Record<string, string>, user: DeclaringUser, cipher: PiiCipher): Record<string, string> {
  const out: Record<string, string> = { ...info };
  for (const [key, stored] of [
    [DECLARED_EMAIL, user.email],
    [DECLARED_PHONE, user.phone],
  ] as const) {
    const value = out[key];
    if (value === undefined) continue;
    if (isMasked(value)) {
      if (stored === null) delete out[key];
      else out[key] = stored;
    } else out[key] = cipher.encrypt(value);
  }
  return out;
}

/** Fills the declared school from the user's (non-tenant) organisation when none was declared, as upstream. */
async function withSchool(deps: DeclarationDeps, userId: string, info: Record<string, string>, custodianOrgId: string | null): Promise<Record<string, string>> {
  if (info['declared-school-udise-code']) return info;
  const out = { ...info };
  for (const orgId of await deps.store.userOrgIds(userId)) {
    if (orgId === custodianOrgId) continue;
    const org = await deps.store.org(orgId);
    if (org && !org.isTenant) {
      if (org.externalId) out['declared-school-udise-code'] = org.externalId;
      if (org.orgName) out['declared-school-name'] = org.orgName;
    }
  }
  return out;
}

/** Declarations an `edit` supersedes (upstream isPersonaEdit / isOrgEdit / isOrgAndPersonaEdit, in that order). */
export function supersededBy(edit: { orgId: string; persona: string }, existing: readonly Pick<DeclarationRecord, 'orgId' | 'persona'>[]): Pick<DeclarationRecord, 'orgId' | 'persona'>[] {
  const samePersonaChange = existing.filter((d) => d.orgId === edit.orgId && d.persona !== edit.persona);
  if (samePersonaChange.length > 0) return samePersonaChange;
  const orgChange = existing.filter((d) => d.orgId !== edit.orgId && d.persona === edit.persona);
  if (orgChange.length > 0) return orgChange;
  return existing.filter((d) => !(d.orgId === edit.orgId && d.persona === edit.persona));
}

/** Applies the declarations of one user (the caller; the route's policy checked the first entry). */
export async function updateDeclarations(deps: DeclarationDeps, caller: Caller, declarations: readonly DeclarationInput[]): Promise<{ response: 'SUCCESS' }> {
  const { store } = deps;
  const userId = declarations[0]?.userId ?? '';
  // Upstream saves each entry under its own userId; here one request is about one user only.
  const other = declarations.find((d) => d.userId !== userId);
  if (other) throw clientError('0017', formatMessage('Invalid value {0} for parameter {1}. Please provide a valid value.', other.userId, 'userId'));
  const user = await store.user(userId);
  if (!user) throw new LernError('RESOURCE_NOT_FOUND', `${DECLARATIONS_PREFIX}0013`, formatMessage('Requested {0} resource not found', 'user'));
  if (user.isDeleted) throw clientError('0073', 'User is Inactive. Please make it active to proceed.');
  const custodianOrgId = await store.setting('custodianOrgId');
  for (const d of declarations) {
    if (custodianOrgId !== null && d.orgId.toLowerCase() === custodianOrgId.toLowerCase()) throw invalidOrg();
    if (d.operation !== 'remove' && (await store.org(d.orgId)) === null) throw invalidOrg();
  }

  const now = (deps.now ?? (() => new Date()))();
  for (const d of declarations) {
    const persona = d.persona && d.persona.trim() !== '' ? d.persona : DEFAULT_PERSONA;
    const errorType = d.errorType ?? d.errtype ?? null;
    if (d.operation === 'remove') {
      await store.remove(userId, d.orgId, persona);
      continue;
    }
    const info = sealInfo(await withSchool(deps, userId, d.info ?? {}, custodianOrgId), user, deps.cipher);
    if (d.operation === 'add') {
      await store.insert({ userId, orgId: d.orgId, persona, userInfo: info, status: SUBMITTED, errorType, createdBy: caller.userId, createdOn: now, updatedBy: null, updatedOn: null });
      continue;
    }
    const status = d.status && d.status.trim() !== '' ? d.status : SUBMITTED;
    for (const old of supersededBy({ orgId: d.orgId, persona }, await store.list(userId))) await store.remove(userId, old.orgId, old.persona);
    await store.update({ userId, orgId: d.orgId, persona, status, errorType, updatedBy: caller.userId, updatedOn: now, ...(Object.keys(info).length > 0 ? { userInfo: info } : {}) });
  }
  await deps.userChanged(userId, ['declarations'], caller);
  return { response: 'SUCCESS' };
}

/** A user's declarations as upstream's profile read shows them (declared email and phone decrypted). */
export async function userDeclarations(deps: Pick<DeclarationDeps, 'store' | 'cipher'>, userId: string): Promise<Record<string, unknown>[]> {
  const open = (sealed: string): string => {
    try {
      return deps.cipher.decrypt(sealed);
    } catch {
      return sealed;
    }
  };
  return (await deps.store.list(userId)).map((d) => {
    const info = { ...d.userInfo };
    for (const key of [DECLARED_EMAIL, DECLARED_PHONE]) if (info[key] !== undefined) info[key] = open(info[key]);
    return { status: d.status, errorType: d.errorType, orgId: d.orgId, persona: d.persona, info };
  });
}
