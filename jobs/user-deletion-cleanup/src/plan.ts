/**
 * What cleaning up one user means, decided from what Cassandra holds (pure, unit-tested): the
 * lookup rows to remove (keyed hashes of the email, phone and user name opened from the row, and of
 * each external identity), the external identities, the memberships still open, and whether the
 * row still carries personal data or is not yet marked deleted.
 *
 * Idempotent by construction: each step is derived from the current state, so once a step is done
 * a replay plans nothing for it. The row is blanked last, because the lookups are found from the
 * email and phone it holds: a crash before that leaves them for the replay.
 */

/** Kinds of `user_lookup` rows (User-Org's LookupType). */
export type LookupKind = 'email' | 'phone' | 'username' | 'externalid';

/** The `user` row's columns the cleanup reads. */
export interface UserRow {
  id: string;
  rootOrgId: string | null;
  managedBy: string | null;
  /** Sealed (encrypted) email and phone, as stored. */
  email: string | null;
  phone: string | null;
  userName: string | null;
  status: number | null;
  isDeleted: boolean;
  /** Any personal column still set (names, contacts, date of birth, masked copies). */
  holdsPersonalData: boolean;
}

/** A `usr_external_identity` row (its key columns, lower-cased as stored). */
export interface ExternalIdentityRow {
  provider: string;
  idType: string;
  externalId: string;
}

/** A `user_organisation` row. */
export interface MembershipRow {
  organisationId: string;
  isDeleted: boolean;
}

/** Everything Cassandra holds about the user that the cleanup touches. */
export interface UserSnapshot {
  user: UserRow | null;
  externalIdentities: ExternalIdentityRow[];
  memberships: MembershipRow[];
}

/** A `user_lookup` row to remove. */
export interface LookupKey {
  type: LookupKind;
  /** The keyed hash stored as `value`. */
  value: string;
}

/** The cleanup of one user. */
export interface CleanupPlan {
  userId: string;
  lookups: LookupKey[];
  externalIdentities: ExternalIdentityRow[];
  /** Organisations whose membership is still open. */
  leaveOrganisations: string[];
  /** Blank the personal columns and mark the row deleted. */
  blankUser: boolean;
}

/** How the plan reads sealed values and hashes identifiers (User-Org's PII cipher). */
export interface Identifiers {
  open(sealed: string): string;
  hash(type: LookupKind, value: string): string;
}

/** A sealed value of the row cannot be opened (LERN_ENCRYPTION_KEY is not the key it was sealed with). */
export class UndecryptableError extends Error {
  override readonly name = 'UndecryptableError';
}

/** Upstream's status of a deleted user. */
export const DELETED_STATUS = 2;

/** The lookup value of an external identity: as User-Org claims it (`provider:idType:id`, normalised by the hash). */
export function externalIdLookup(e: ExternalIdentityRow): string {
  return `${e.provider}:${e.idType}:${e.externalId}`;
}

/**
 * Plans the cleanup. Throws when a sealed value cannot be opened (wrong LERN_ENCRYPTION_KEY): the
 * lookups could not be found, and blanking the row would lose them for good.
 */
export function planCleanup(userId: string, snapshot: UserSnapshot, ids: Identifiers): CleanupPlan {
  const lookups: LookupKey[] = [];
  const user = snapshot.user;
  if (user) {
    for (const [type, sealed] of [['email', user.email], ['phone', user.phone]] as const) {
      if (sealed === null || sealed === '') continue;
      let clear: string;
      try {
        clear = ids.open(sealed);
      } catch (error) {
        throw new UndecryptableError(`the user's ${type} cannot be decrypted with LERN_ENCRYPTION_KEY`, { cause: error });
      }
      lookups.push({ type, value: ids.hash(type, clear) });
    }
    if (user.userName !== null && user.userName !== '') lookups.push({ type: 'username', value: ids.hash('username', user.userName) });
  }
  for (const e of snapshot.externalIdentities) lookups.push({ type: 'externalid', value: ids.hash('externalid', externalIdLookup(e)) });
  return {
    userId,
    lookups,
    externalIdentities: snapshot.externalIdentities,
    leaveOrganisations: snapshot.memberships.filter((m) => !m.isDeleted).map((m) => m.organisationId),
    blankUser: user !== null && (user.holdsPersonalData || user.status !== DELETED_STATUS || !user.isDeleted),
  };
}

/** True when the plan changes nothing in Cassandra. */
export function isEmptyPlan(plan: CleanupPlan): boolean {
  return plan.lookups.length === 0 && plan.externalIdentities.length === 0 && plan.leaveOrganisations.length === 0 && !plan.blankUser;
}
