/**
 * Creating users: by an administrator (placed in an organisation the administrator administers, with
 * roles the administrator may grant there), by self sign-up (a PUBLIC user with unverified email
 * and phone, whatever the request says), or as a managed (child) user of a parent. Unique values
 * are reserved first and given back if a later write fails.
 */
import { randomUUID } from 'node:crypto';
import { mayGrant, sunbirdTimestamp, SYSTEM_SCOPE, type Caller } from '@lern/kit';
import { mayPlaceUser } from '../access.ts';
import { byOf, type UserOrgDeps } from '../context.ts';
import { fail, type Operation } from '../errors.ts';
import { maskEmail, maskPhone } from '../pii.ts';
import { USER_STATUS, type MembershipRecord, type RoleGrant, type UserRecord } from '../records.ts';
import { channelValue, type ExternalIdentity } from '../store/index.ts';
import { claimUnique, type Claim } from '../unique.ts';
import { afterUserWrite } from './effects.ts';
import { blank, frameworkOf, lastNameOf, phoneText, profileLocationOf, profileUserTypesOf } from './profile.ts';
import type { CreateManagedUserRequest, CreateUserRequest, SignupRequest } from './schemas.ts';
import { userView } from './views.ts';

const OP: Operation = 'createUser';

/** A user to create, normalised from any create request. */
export interface NewUser {
  firstName: string;
  lastName: string | null;
  userName: string | null;
  email: string | null;
  phone: string | null;
  countryCode: string | null;
  emailVerified: boolean;
  phoneVerified: boolean;
  channel: string | null;
  organisationId: string | null;
  managedBy: string | null;
  dob: string | null;
  gender: string | null;
  language: string[];
  subject: string[];
  profileUserTypes: UserRecord['profileUserTypes'];
  profileLocation: UserRecord['profileLocation'];
  framework: Record<string, string[]>;
  roles: string[];
  externalIds: ExternalIdentity[];
}

type CommonRequest = SignupRequest | CreateUserRequest | CreateManagedUserRequest;

function common(r: CommonRequest): Omit<NewUser, 'email' | 'phone' | 'emailVerified' | 'phoneVerified' | 'channel' | 'organisationId' | 'managedBy' | 'roles' | 'externalIds'> {
  return {
    firstName: r.firstName.trim(),
    lastName: lastNameOf(r),
    userName: blank(r.userName) ?? ('username' in r ? blank(r.username) : null),
    countryCode: blank(r.countryCode),
    dob: blank(r.dob),
    gender: blank(r.gender),
    language: r.language ?? [],
    subject: r.subject ?? [],
    profileUserTypes: profileUserTypesOf(r),
    profileLocation: profileLocationOf(r),
    framework: frameworkOf(r),
  };
}

/** An administrator's create request. */
export function adminNewUser(r: CreateUserRequest): NewUser {
  const externalIds = r.externalIds ? (Array.isArray(r.externalIds) ? r.externalIds : [r.externalIds]) : [];
  return {
    ...common(r),
    email: blank(r.email),
    phone: phoneText(r.phone),
    emailVerified: r.emailVerified === true,
    phoneVerified: r.phoneVerified === true,
    channel: blank(r.channel),
    organisationId: blank(r.organisationId),
    managedBy: null,
    roles: r.roles ?? [],
    externalIds: externalIds.map((e) => ({ id: e.id.trim(), idType: e.idType.trim(), provider: e.provider.trim() })),
  };
}

/** A sign-up: roles and verification flags of the request are ignored, placement is the custodian organisation. */
export function signupNewUser(r: SignupRequest): NewUser {
  return { ...common(r), email: blank(r.email), phone: phoneText(r.phone), emailVerified: false, phoneVerified: false, channel: null, organisationId: null, managedBy: null, roles: [], externalIds: [] };
}

/** A managed user: no contact of its own, placed with its parent. */
export function managedNewUser(r: CreateManagedUserRequest): NewUser {
  return { ...common(r), email: null, phone: null, emailVerified: false, phoneVerified: false, channel: null, organisationId: null, managedBy: r.managedBy.trim(), roles: [], externalIds: [] };
}

/** Where a new user goes: its root organisation (and channel), and another organisation of that root to join. */
interface Placement {
  channel: string | null;
  rootOrgId: string | null;
  extraOrgId: string | null;
}

async function placementOf(deps: UserOrgDeps, input: NewUser): Promise<Placement> {
  const { store } = deps;
  let channel: string | null = null;
  let rootOrgId: string | null = null;
  if (input.managedBy !== null) {
    const parent = await store.users.get(input.managedBy);
    if (!parent || parent.isDeleted) throw fail.invalidValue(OP, input.managedBy, 'managedBy');
    ({ channel, rootOrgId } = parent);
  } else if (input.channel !== null) {
    rootOrgId = await store.unique.owner(channelValue(input.channel));
    if (!rootOrgId) throw fail.invalidValue(OP, input.channel, 'channel');
    channel = input.channel;
  } else {
    const custodian = await store.settings.getSetting('custodianOrgId');
    const org = custodian ? await store.orgs.get(custodian.value) : null;
    if (org) ({ id: rootOrgId, channel } = org);
  }
  let extraOrgId: string | null = null;
  if (input.organisationId !== null) {
    const org = await store.orgs.get(input.organisationId);
    if (!org || (rootOrgId !== null && org.rootOrgId !== rootOrgId)) throw fail.invalidValue(OP, input.organisationId, 'organisationId');
    if (rootOrgId === null) {
      rootOrgId = org.rootOrgId;
      channel = (await store.orgs.get(org.rootOrgId))?.channel ?? org.channel;
    }
    if (org.id !== rootOrgId) extraOrgId = org.id;
  }
  return { channel, rootOrgId, extraOrgId };
}

/** The unique values of a new user, each named the way a duplicate error shows it. */
function claimsOf(deps: UserOrgDeps, input: NewUser): Claim[] {
  const u = deps.store.unique;
  const claims: Claim[] = [];
  if (input.email) claims.push({ value: u.userValue('email', input.email), field: 'email', shown: maskEmail(input.email) });
  if (input.phone) claims.push({ value: u.userValue('phone', input.phone), field: 'phone', shown: maskPhone(input.phone) });
  if (input.userName) claims.push({ value: u.userValue('username', input.userName), field: 'userName', shown: input.userName });
  for (const e of input.externalIds) claims.push({ value: u.userValue('externalid', `${e.provider}:${e.idType}:${e.id}`), field: 'externalId', shown: e.id });
  return claims;
}

/**
 * Creates a user. `caller` is checked for administrator creates (`admin`): it must administer the
 * organisation the user is placed in and be allowed to grant each requested role there.
 */
export async function createUser(deps: UserOrgDeps, input: NewUser, options: { caller: Caller | null; byAdmin: boolean }): Promise<{ userId: string }> {
  const { caller } = options;
  const place = await placementOf(deps, input);
  if (options.byAdmin) {
    const grants = caller?.grants ?? [];
    if (!mayPlaceUser(grants, place.rootOrgId, place.extraOrgId)) throw fail.forbidden(OP);
    if (input.roles.some((role) => !mayGrant(grants, role, place.rootOrgId ?? SYSTEM_SCOPE, place.rootOrgId))) throw fail.forbidden(OP);
  }
  const id = randomUUID();
  const created = sunbirdTimestamp();
  const by = byOf(caller);
  const roles = [...new Set(['PUBLIC', ...input.roles])];
  const { organisationId: _organisationId, externalIds: _externalIds, roles: _roles, channel: _channel, ...profile } = input;
  const user: UserRecord = {
    ...profile,
    id,
    recoveryEmail: null,
    recoveryPhone: null,
    channel: place.channel,
    rootOrgId: place.rootOrgId,
    status: USER_STATUS.ACTIVE,
    isDeleted: false,
    roles,
    userType: input.profileUserTypes[0]?.type ?? null,
    userSubType: input.profileUserTypes[0]?.subType ?? null,
    profileDetails: null,
    locationIds: input.profileLocation.map((l) => l.id),
    flagsValue: 0,
    tncAcceptedOn: null,
    tncAcceptedVersion: null,
    createdBy: by,
    createdDate: created,
    updatedBy: null,
    updatedDate: null,
  };
  // Grants keep their scope: the root organisation the user was placed in.
  const scope = place.rootOrgId ? [{ organisationId: place.rootOrgId }] : [];
  const grants: RoleGrant[] = roles.map((role) => ({ role, scope, createdBy: by, createdDate: created }));
  const memberships: MembershipRecord[] = [place.rootOrgId, place.extraOrgId]
    .filter((orgId): orgId is string => orgId !== null)
    .map((organisationId) => ({ userId: id, organisationId, roles, associationType: 1, isDeleted: false, orgJoinDate: created, addedBy: by, updatedBy: null, updatedDate: null }));
  await claimUnique(deps.store.unique, { owner: id, claims: claimsOf(deps, input), taken: (c) => fail.duplicate(OP, c.shown, c.field) }, async () => {
    await deps.store.users.put(user);
    await Promise.all([
      ...grants.map((g) => deps.store.roles.putGrant(id, g)),
      ...memberships.map((m) => deps.store.users.putMembership(m)),
      ...input.externalIds.map((e) => deps.store.users.putExternalIdentity(id, e, by)),
    ]);
  });
  const fields = Object.keys(userView(user));
  await afterUserWrite(deps, user, { action: 'create', caller, fields }, { memberships, grants });
  return { userId: id };
}
