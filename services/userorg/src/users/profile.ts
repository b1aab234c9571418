/**
 * Normalising the profile fields of a create or an update request (already schema-checked): blank
 * values become null, aliases fold into one field, phone numbers become text.
 */
import type { LocationRef, ProfileUserType } from '../records.ts';

/** A text, or null when null, absent or blank (upstream's isBlank). */
export function blank(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const t = value.trim();
  return t === '' ? null : t;
}

/** A phone as text (older clients send a JSON number), or null when not given. */
export function phoneText(value: string | number | null | undefined): string | null {
  return typeof value === 'number' ? String(value) : blank(value);
}

interface TypeFields {
  type?: string | null;
  subType?: string | null;
  userType?: string | null;
  userSubType?: string | null;
}

function userTypeOf(t: TypeFields): ProfileUserType {
  return { type: blank(t.type) ?? blank(t.userType) ?? '', subType: blank(t.subType) ?? blank(t.userSubType) };
}

/** The fields a create and an update share, as the schemas type them. */
export interface ProfileFields {
  lastName?: string | null;
  lastname?: string | null;
  dob?: string | null;
  gender?: string | null;
  language?: string[] | null;
  subject?: string[] | null;
  userType?: string | null;
  userSubType?: string | null;
  profileUserType?: TypeFields | null;
  profileUserTypes?: TypeFields[] | null;
  profileLocation?: { id?: string | null; code?: string | null; type: string }[] | null;
  framework?: Record<string, string | string[]> | null;
}

/** The user types of a request: the list, else the single one, else the older userType/userSubType. */
export function profileUserTypesOf(r: ProfileFields): ProfileUserType[] {
  if (r.profileUserTypes) return r.profileUserTypes.map(userTypeOf);
  if (r.profileUserType) return [userTypeOf(r.profileUserType)];
  const type = blank(r.userType);
  return type ? [{ type, subType: blank(r.userSubType) }] : [];
}

/** True when the request names the user types in any of its three forms. */
export function namesUserTypes(r: ProfileFields): boolean {
  return r.profileUserTypes !== undefined || r.profileUserType !== undefined || r.userType !== undefined;
}

/** Location references of a request (by id, or by code when no id). */
export function profileLocationOf(r: ProfileFields): LocationRef[] {
  return (r.profileLocation ?? []).map((l) => ({ id: blank(l.id) ?? blank(l.code) ?? '', type: l.type.trim() }));
}

/** The framework with single values as one-element lists. */
export function frameworkOf(r: ProfileFields): Record<string, string[]> {
  return Object.fromEntries(Object.entries(r.framework ?? {}).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]));
}

/** The last name in either spelling. */
export function lastNameOf(r: ProfileFields): string | null {
  return blank(r.lastName) ?? blank(r.lastname);
}
