/**
 * The `delete.user` instruction User-Org publishes (`toDeleteUserEvent` in @lern/userorg, upstream's
 * BE_JOB_REQUEST shape), parsed and checked (pure). Only the fields the cleanup needs are read;
 * `suggested_users` is for people, not for this job.
 */

/** A checked instruction. */
export interface DeleteUserInstruction {
  userId: string;
  /** The user's root organisation as the publisher saw it; null when it had none. */
  organisationId: string | null;
  /** Users the deleted user managed; each is cleaned up too when it is still managed by them. */
  managedUsers: string[];
  /** When the deletion was requested (ms): the time written as the memberships' leave date. */
  requestedAt: number;
}

/** The parse result: an instruction, or why the message is not one. */
export type ParsedInstruction = { ok: true; instruction: DeleteUserInstruction } | { ok: false; reason: string };

const ID = /^[A-Za-z0-9_.:@-]{1,128}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a `delete.user` message value. `fallbackTime` (the broker timestamp) stands in for a
 * missing `ets`, so a replay of the same message always writes the same dates.
 */
export function parseDeleteUser(value: string | null, fallbackTime: number): ParsedInstruction {
  if (value === null) return { ok: false, reason: 'empty message' };
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(doc)) return { ok: false, reason: 'not a JSON object' };
  const edata = doc.edata;
  if (!isObject(edata)) return { ok: false, reason: 'edata is missing' };
  if (edata.action !== undefined && edata.action !== 'delete-user') return { ok: false, reason: `edata.action is ${JSON.stringify(edata.action)}, not 'delete-user'` };
  const userId = edata.userId;
  if (typeof userId !== 'string' || !ID.test(userId)) return { ok: false, reason: 'edata.userId is missing or not an id' };
  const org = edata.organisationId;
  if (org !== undefined && org !== null && (typeof org !== 'string' || (org !== '' && !ID.test(org)))) return { ok: false, reason: 'edata.organisationId is not an id' };
  const managed = edata.managed_users ?? [];
  if (!Array.isArray(managed) || managed.some((m) => typeof m !== 'string' || !ID.test(m))) return { ok: false, reason: 'edata.managed_users is not a list of ids' };
  const ets = doc.ets;
  return {
    ok: true,
    instruction: {
      userId,
      organisationId: typeof org === 'string' && org !== '' ? org : null,
      managedUsers: [...new Set(managed as string[])].filter((m) => m !== userId),
      requestedAt: typeof ets === 'number' && Number.isFinite(ets) && ets > 0 ? ets : fallbackTime,
    },
  };
}
