/**
 * Which user a change event is about (pure): User-Org's `user.events` (schema `lern.userorg.event`)
 * and upstream's AUDIT telemetry (`telemetry.audit`, `eid: "AUDIT"`), both naming the changed
 * object in `object: { id, type }`.
 */

/** What an event means for the user caches. */
export type UserChange =
  | { kind: 'user'; userId: string }
  /** Not about a user (an organisation, a setting, other telemetry): nothing to do. */
  | { kind: 'other'; what: string }
  /** Not an event this job understands at all. */
  | { kind: 'invalid'; reason: string };

/** Schema name of User-Org's change events. */
export const USERORG_EVENT_SCHEMA = 'lern.userorg.event';

const ID = /^[A-Za-z0-9_.:@-]{1,128}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a change event's value. */
export function userChangeOf(value: string | null): UserChange {
  if (value === null) return { kind: 'invalid', reason: 'empty message' };
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  if (!isObject(doc)) return { kind: 'invalid', reason: 'not a JSON object' };
  const isUserOrg = doc.schema === USERORG_EVENT_SCHEMA;
  if (!isUserOrg && typeof doc.eid !== 'string') return { kind: 'invalid', reason: 'neither a lern.userorg.event nor a telemetry event' };
  if (!isUserOrg && doc.eid !== 'AUDIT') return { kind: 'other', what: `telemetry ${String(doc.eid)}` };
  const object = doc.object;
  if (!isObject(object)) return { kind: 'invalid', reason: 'object is missing' };
  if (object.type !== 'User') return { kind: 'other', what: String(object.type) };
  if (typeof object.id !== 'string' || !ID.test(object.id)) return { kind: 'invalid', reason: 'object.id is missing or not an id' };
  return { kind: 'user', userId: object.id };
}
