/**
 * Updating a user's profile. Only the named fields change; a changed email, phone or userName is
 * reserved before the write (and given back if the write fails) and the old one freed after it.
 */
import { sunbirdTimestamp, type Caller } from '@lern/kit';
import { type UserOrgDeps } from '../context.ts';
import { fail, uosError, type Operation } from '../errors.ts';
import { maskEmail, maskPhone, type LookupType } from '../pii.ts';
import { USER_STATUS, type UserRecord } from '../records.ts';
import { claimUnique, releaseUnique, type Claim, type UniqueValue } from '../unique.ts';
import { afterUserWrite } from './effects.ts';
import { blank, frameworkOf, lastNameOf, namesUserTypes, phoneText, profileLocationOf, profileUserTypesOf } from './profile.ts';
import type { UpdateUserRequest } from './schemas.ts';

const OP: Operation = 'updateUser';

/** The record fields an update request changes (absent fields are not in the result). */
export function changesOf(r: UpdateUserRequest): Partial<UserRecord> {
  const c: Partial<UserRecord> = {};
  if (r.firstName !== undefined) c.firstName = r.firstName.trim();
  if (r.lastName !== undefined || r.lastname !== undefined) c.lastName = lastNameOf(r);
  if (r.countryCode !== undefined) c.countryCode = blank(r.countryCode);
  if (r.email !== undefined) c.email = blank(r.email);
  if (r.phone !== undefined) c.phone = phoneText(r.phone);
  if (typeof r.emailVerified === 'boolean') c.emailVerified = r.emailVerified;
  if (typeof r.phoneVerified === 'boolean') c.phoneVerified = r.phoneVerified;
  if (r.recoveryEmail !== undefined) c.recoveryEmail = blank(r.recoveryEmail);
  if (r.recoveryPhone !== undefined) c.recoveryPhone = blank(r.recoveryPhone);
  if (r.userName !== undefined) c.userName = r.userName;
  if (r.dob !== undefined) c.dob = blank(r.dob);
  if (r.gender !== undefined) c.gender = blank(r.gender);
  if (r.language) c.language = r.language;
  if (r.subject) c.subject = r.subject;
  if (namesUserTypes(r)) {
    c.profileUserTypes = profileUserTypesOf(r);
    c.userType = c.profileUserTypes[0]?.type ?? null;
    c.userSubType = c.profileUserTypes[0]?.subType ?? null;
  }
  if (r.profileLocation !== undefined) {
    c.profileLocation = profileLocationOf(r);
    c.locationIds = c.profileLocation.map((l) => l.id);
  }
  if (r.framework !== undefined) c.framework = frameworkOf(r);
  return c;
}

/** A unique identifier that changes: what to reserve and what to free afterwards. */
interface Swap {
  claim: Claim | null;
  old: UniqueValue | null;
}

/** The unique identifiers an update moves (same normalised value: nothing to do). */
function swapsOf(deps: UserOrgDeps, user: UserRecord, changes: Partial<UserRecord>): Swap[] {
  const u = deps.store.unique;
  const fields: [LookupType, 'email' | 'phone' | 'userName', (v: string) => string][] = [
    ['email', 'email', maskEmail],
    ['phone', 'phone', maskPhone],
    ['username', 'userName', (v) => v],
  ];
  const swaps: Swap[] = [];
  for (const [type, field, shown] of fields) {
    const next = changes[field];
    if (next === undefined) continue;
    const before = user[field];
    const oldValue = before === null ? null : u.userValue(type, before);
    const newValue = next === null ? null : u.userValue(type, next);
    if (oldValue?.key === newValue?.key) continue;
    swaps.push({ claim: newValue && next !== null ? { value: newValue, field, shown: shown(next) } : null, old: oldValue });
  }
  return swaps;
}

/** Updates a user; the route's policy already checked that the caller may (self or an administrator of the user's organisation). */
export async function updateUser(deps: UserOrgDeps, r: UpdateUserRequest, caller: Caller | null): Promise<void> {
  // Upstream refuses an update that names no user (its interceptor answers 403).
  const userId = blank(r.userId);
  if (userId === null) throw fail.forbidden(OP);
  const user = await deps.store.users.get(userId);
  if (!user) throw fail.notFound(OP, 'user', 'user');
  if (user.isDeleted || user.status === USER_STATUS.DELETED) throw uosError(OP, 'inactiveUser');
  const changes = changesOf(r);
  const swaps = swapsOf(deps, user, changes);
  const claims = swaps.flatMap((s) => (s.claim ? [s.claim] : []));
  const updated: UserRecord = { ...user, ...changes, updatedBy: caller?.userId ?? null, updatedDate: sunbirdTimestamp() };
  await claimUnique(deps.store.unique, { owner: userId, claims, taken: (c) => fail.duplicate(OP, c.shown, c.field) }, () => deps.store.users.put(updated));
  await releaseUnique(
    deps.store.unique,
    userId,
    swaps.flatMap((s) => (s.old ? [s.old] : [])),
  );
  await afterUserWrite(deps, updated, { action: 'update', caller, fields: Object.keys(changes) });
}
