/**
 * Reserving unique values (a user's email, phone, userName and external ids; an organisation's
 * channel and external id; a location's code) before the write that uses them, and giving back what
 * this request reserved when a later step fails, so a failed request never keeps a value taken.
 * Pure over the {@link Reservations} interface; the Cassandra lookup tables implement it.
 */

/** Where a unique value is kept: the lookup table and the kind of value. `key` is the stored (normalised or hashed) form. */
export type UniqueValue =
  | { table: 'user'; type: 'email' | 'phone' | 'username' | 'externalid'; key: string }
  | { table: 'org'; type: 'channel' | 'externalid'; key: string }
  | { table: 'location'; type: 'code'; key: string };

/** What a reservation attempt found: newly reserved for the owner, already the owner's, or someone else's. */
export type ReserveOutcome = 'reserved' | 'held' | 'taken';

/** The lookup tables: conditional insert and conditional delete, both by owner. */
export interface Reservations {
  reserve(value: UniqueValue, owner: string): Promise<ReserveOutcome>;
  /** Frees the value when the owner holds it; a no-op otherwise. */
  release(value: UniqueValue, owner: string): Promise<void>;
}

/** A value to reserve, with how a duplicate error names it (never the clear value of personal data). */
export interface Claim {
  value: UniqueValue;
  /** Request field, e.g. `email`. */
  field: string;
  /** What the error shows, e.g. a masked email. */
  shown: string;
}

/** Options of claimUnique. */
export interface ClaimOptions {
  /** The user, organisation or location id the values are reserved for. */
  owner: string;
  claims: readonly Claim[];
  /** The error thrown when a value is someone else's. */
  taken(claim: Claim): Error;
}

/** Frees values (e.g. the old email after a change), each only if `owner` holds it. Failures are left to the caller. */
export async function releaseUnique(store: Reservations, owner: string, values: readonly UniqueValue[]): Promise<void> {
  await Promise.all(values.map((v) => store.release(v, owner)));
}

/**
 * Reserves every claim in order, then runs `work`. When a value is taken, or `work` fails, the
 * values this call reserved are released (values the owner already held before are kept: they are
 * still in use) and the error is rethrown. A release that itself fails cannot be retried here; the
 * original error wins.
 */
export async function claimUnique<T>(store: Reservations, options: ClaimOptions, work: () => Promise<T>): Promise<T> {
  const reserved: UniqueValue[] = [];
  try {
    for (const claim of options.claims) {
      const outcome = await store.reserve(claim.value, options.owner);
      if (outcome === 'taken') throw options.taken(claim);
      if (outcome === 'reserved') reserved.push(claim.value);
    }
    return await work();
  } catch (error) {
    await Promise.allSettled(reserved.map((v) => store.release(v, options.owner)));
    throw error;
  }
}
