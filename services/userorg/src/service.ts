/**
 * The User-Org operations: each checks its input (validate.ts), writes Cassandra first (the source of
 * truth), then the search index, drops cached views and publishes a change event. Index and event
 * failures after a successful Cassandra write are logged, not returned: `/v1/data/sync` rebuilds the
 * index from Cassandra.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { sunbirdTimestamp, type KafkaConnector, type SearchConnector } from '@lern/kit';
import { UserCache } from './cache.ts';
import { fail, uosError, type Operation } from './errors.ts';
import { DELETE_USER_TOPIC, toChangeEvent, toDeleteUserEvent, toUserEvent, type ChangeAction, type EventActor, type ObjectType, type OutgoingMessage } from './events.ts';
import {
  LOCATION_TYPES,
  ORG_STATUS,
  USER_STATUS,
  locationView,
  orgView,
  userDocument,
  userView,
  type LocationRecord,
  type MembershipRecord,
  type OrgRecord,
  type RoleGrant,
  type UserRecord,
} from './model.ts';
import { lookupKey, maskEmail, maskPhone, type LookupType } from './pii.ts';
import {
  FilterError,
  LOCATION_SEARCH_PROFILE,
  ORG_SEARCH_PROFILE,
  USER_SEARCH_PROFILE,
  parseSearchRequest,
  toEngineSearch,
  type SearchProfile,
} from './search-query.ts';
import type { UserOrgStore } from './store.ts';
import {
  validateAssignRolesV1,
  validateAssignRolesV2,
  validateCreateLocation,
  validateCreateOrg,
  validateCreateUser,
  validateLookupKey,
  validateOrgStatus,
  validateSetSetting,
  validateTenantPreference,
  validateUpdateLocation,
  validateUpdateOrg,
  validateUpdateUser,
  validateUserIdRequest,
  requestOf,
  text,
  type CreateFlavour,
  type RoleOperation,
} from './validate.ts';
import type { Redis } from 'ioredis';

/** Index aliases (without LERN_SEARCH_INDEX_PREFIX). */
export const INDEX = { user: 'user_alias', org: 'org_alias', location: 'location' } as const;

/** Roles that administer users and organisations. */
export const ADMIN_ROLES = ['ORG_ADMIN', 'SYSTEM_ADMINISTRATION'] as const;

/** Roles a user may hold and still delete their account (upstream user_deletion_roles default). */
const DELETABLE_ROLES = new Set(['PUBLIC']);

/** Who is calling. */
export interface Caller {
  userId: string;
  effectiveUserId: string;
}

/** Logger used by the service. */
export interface ServiceLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Dependencies of the service. */
export interface UserOrgServiceDeps {
  store: UserOrgStore;
  search: SearchConnector;
  redis: Redis | null;
  kafka: KafkaConnector | null;
  log: ServiceLog;
  /**
   * Refresh the index after each write so the next search sees it.
   * @default false
   */
  refreshIndex?: boolean;
  /**
   * Seconds a cached user view lives; 0 turns the cache off.
   * @default 3600
   */
  userCacheTtlSeconds?: number;
}

const now = () => sunbirdTimestamp();

const actorOf = (caller: Caller | null): EventActor =>
  caller ? { id: caller.userId, type: 'User' } : { id: 'userorg-service', type: 'System' };

/** Upstream-like numeric organisation ids (20 digits, time ordered). */
function newOrgId(): string {
  return `01${Date.now()}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`.slice(0, 21);
}

/** The operations behind the routes. */
export class UserOrgService {
  readonly store: UserOrgStore;
  readonly search: SearchConnector;
  readonly cache: UserCache;
  private readonly kafka: KafkaConnector | null;
  private readonly log: ServiceLog;
  private readonly refresh: boolean;

  constructor(deps: UserOrgServiceDeps) {
    this.store = deps.store;
    this.search = deps.search;
    this.cache = new UserCache(deps.redis, deps.log, deps.userCacheTtlSeconds);
    this.kafka = deps.kafka;
    this.log = deps.log;
    this.refresh = deps.refreshIndex ?? false;
  }

  // ---------------------------------------------------------------- plumbing

  private async publish(message: OutgoingMessage): Promise<void> {
    if (!this.kafka) return;
    try {
      await this.kafka.send(message.topic, [{ key: message.key, value: message.value }]);
    } catch (error) {
      this.log.error({ err: error, topic: message.topic, key: message.key }, 'event not published');
    }
  }

  private async changed(objectType: ObjectType, action: ChangeAction, id: string, caller: Caller | null, fields: readonly string[], scope: { channel?: string | null; rootOrgId?: string | null } = {}) {
    await this.publish(toChangeEvent({ action, objectType, objectId: id, actor: actorOf(caller), changedFields: fields, ...scope }));
  }

  private async indexDoc(alias: string, id: string, doc: object): Promise<void> {
    try {
      await this.search.index(alias, id, doc, { refresh: this.refresh });
    } catch (error) {
      this.log.error({ err: error, alias, id }, 'search index write failed; /v1/data/sync rebuilds it');
    }
  }

  /** Writes the user's search document from Cassandra. */
  async indexUser(id: string): Promise<boolean> {
    const user = await this.store.getUser(id);
    if (!user) return false;
    const [memberships, grants] = await Promise.all([this.store.getMemberships(id), this.store.getGrants(id)]);
    await this.indexDoc(INDEX.user, id, userDocument(user, memberships, grants));
    return true;
  }

  /**
   * After a Cassandra write: drop the cached view, rewrite the search document and publish the
   * change, side by side (each only depends on the committed row). `known` skips re-reading the
   * memberships and roles when the caller has them.
   */
  private async afterUserWrite(
    user: UserRecord,
    action: ChangeAction,
    caller: Caller | null,
    fields: readonly string[],
    known?: { memberships: MembershipRecord[]; grants: RoleGrant[] },
  ): Promise<void> {
    const index = known ? this.indexDoc(INDEX.user, user.id, userDocument(user, known.memberships, known.grants)) : this.indexUser(user.id);
    await Promise.all([this.cache.invalidate(user.id), index, this.publish(toUserEvent(action, user, actorOf(caller), fields))]);
  }

  /** Roles of a user (role names), from user_roles. */
  async rolesOf(userId: string): Promise<string[]> {
    return (await this.store.getGrants(userId)).map((g) => g.role);
  }

  private async isAdmin(userId: string): Promise<boolean> {
    const roles = await this.rolesOf(userId);
    return roles.some((r) => (ADMIN_ROLES as readonly string[]).includes(r));
  }

  /** Self (or the managed user acted for) or an administrator; 403 otherwise. */
  private async requireSelfOrAdmin(caller: Caller, targetId: string, op: Operation): Promise<void> {
    if (caller.effectiveUserId === targetId || caller.userId === targetId) return;
    if (await this.isAdmin(caller.userId)) return;
    throw fail.forbidden(op);
  }

  private async searchIndex(alias: string, body: unknown, profile: SearchProfile, op: Operation): Promise<{ count: number; content: Record<string, unknown>[] }> {
    const parsed = parseSearchRequest(body);
    if (!parsed.ok) {
      if (parsed.reason === 'missing') throw fail.missing(op, parsed.param);
      throw fail.format(op, parsed.param);
    }
    let engineBody;
    try {
      engineBody = toEngineSearch(parsed.value, profile);
    } catch (error) {
      if (error instanceof FilterError) throw fail.format(op, error.field);
      throw error;
    }
    const result = await this.search.search<Record<string, unknown>>(alias, engineBody as never);
    return { count: result.total, content: result.hits.map((h) => h.source) };
  }

  // ---------------------------------------------------------------- users

  /** Creates a user (all create flavours). */
  async createUser(body: unknown, flavour: CreateFlavour, caller: Caller | null): Promise<{ userId: string }> {
    const op: Operation = 'createUser';
    const input = validateCreateUser(body, flavour);
    let channel: string | null = null;
    let rootOrgId: string | null = null;
    let extraOrgId: string | null = null;
    if (flavour === 'managed') {
      const parent = await this.store.getUser(input.managedBy!);
      if (!parent || parent.isDeleted) throw uosError(op, 'invalidParameterValue', [input.managedBy!, 'managedBy']);
      if (caller && caller.userId !== parent.id && !(await this.isAdmin(caller.userId))) throw fail.forbidden(op);
      channel = parent.channel;
      rootOrgId = parent.rootOrgId;
    } else if (input.channel) {
      const orgId = await this.store.findOrgByKey('channel', input.channel);
      if (!orgId) throw uosError(op, 'invalidParameterValue', [input.channel, 'channel']);
      channel = input.channel;
      rootOrgId = orgId;
    } else {
      const custodian = await this.store.getSetting('custodianOrgId');
      if (custodian) {
        const org = await this.store.getOrg(custodian.value);
        if (org) {
          rootOrgId = org.id;
          channel = org.channel;
        }
      }
    }
    if (input.organisationId) {
      const org = await this.store.getOrg(input.organisationId);
      if (!org) throw uosError(op, 'invalidParameterValue', [input.organisationId, 'organisationId']);
      if (rootOrgId === null) {
        rootOrgId = org.rootOrgId;
        channel = (await this.store.getOrg(org.rootOrgId))?.channel ?? org.channel;
      }
      if (org.id !== rootOrgId) extraOrgId = org.id;
    }
    const knownRoles = input.roles.length > 0 ? new Set((await this.store.listRoles()).map((r) => r.id)) : new Set<string>();
    for (const role of input.roles) if (!knownRoles.has(role)) throw uosError(op, 'invalidValue', ['role', role.slice(0, 40), [...knownRoles].join(', ')]);

    const id = randomUUID();
    // Claim every unique identifier first; give back what was claimed when one is taken.
    const claims: [LookupType, string, string][] = [];
    if (input.email) claims.push(['email', lookupKey('email', input.email), maskEmail(input.email)]);
    if (input.phone) claims.push(['phone', lookupKey('phone', input.phone), maskPhone(input.phone)]);
    if (input.userName) claims.push(['username', lookupKey('username', input.userName), input.userName]);
    for (const e of input.externalIds) claims.push(['externalid', lookupKey('externalid', `${e.provider}:${e.idType}:${e.id}`), e.id]);
    const held: [LookupType, string][] = [];
    for (const [type, key, shown] of claims) {
      if (!(await this.store.claimLookup(type, key, id))) {
        await Promise.all(held.map(([t, k]) => this.store.releaseLookup(t, k, id)));
        throw fail.duplicate(op, shown, type === 'username' ? 'userName' : type === 'externalid' ? 'externalId' : type);
      }
      held.push([type, key]);
    }
    const created = now();
    const by = caller?.userId ?? null;
    const roles = [...new Set(['PUBLIC', ...input.roles])];
    const user: UserRecord = {
      id,
      firstName: input.firstName,
      lastName: input.lastName,
      userName: input.userName,
      email: input.email,
      phone: input.phone,
      emailVerified: input.emailVerified,
      phoneVerified: input.phoneVerified,
      countryCode: input.countryCode,
      recoveryEmail: null,
      recoveryPhone: null,
      dob: input.dob,
      gender: input.gender,
      language: input.language,
      subject: input.subject,
      channel,
      rootOrgId,
      status: USER_STATUS.ACTIVE,
      isDeleted: false,
      roles,
      userType: input.profileUserTypes[0]?.type ?? null,
      userSubType: input.profileUserTypes[0]?.subType ?? null,
      profileUserTypes: input.profileUserTypes,
      profileLocation: input.profileLocation,
      profileDetails: null,
      locationIds: input.profileLocation.map((l) => l.id),
      framework: input.framework,
      managedBy: input.managedBy,
      flagsValue: 0,
      tncAcceptedOn: null,
      tncAcceptedVersion: null,
      createdBy: by,
      createdDate: created,
      updatedBy: null,
      updatedDate: null,
    };
    await this.store.putUser(user);
    const scope = rootOrgId ? [{ organisationId: rootOrgId }] : [];
    const grants: RoleGrant[] = roles.map((role) => ({ role, scope, createdBy: by, createdDate: created }));
    const memberships: MembershipRecord[] = [rootOrgId, extraOrgId]
      .filter((orgId): orgId is string => orgId !== null)
      .map((organisationId) => ({ userId: id, organisationId, roles, associationType: 1, isDeleted: false, orgJoinDate: created, addedBy: by, updatedBy: null, updatedDate: null }));
    await Promise.all([
      ...grants.map((g) => this.store.putGrant(id, g)),
      ...memberships.map((m) => this.store.putMembership(m)),
      ...input.externalIds.map((e) => this.store.putExternalIdentity(id, e, by)),
    ]);
    const fields = Object.keys(userDocument(user, [], [])).filter((k) => k !== 'emailHash' && k !== 'phoneHash');
    await this.afterUserWrite(user, 'create', caller, fields, { memberships, grants });
    return { userId: id };
  }

  /** The user's view as JSON text (cached). Null when the user does not exist. */
  async readUserJson(userId: string): Promise<string | null> {
    const cached = await this.cache.get(userId);
    if (cached !== null) return cached;
    // The user's row, memberships and grants are independent reads: one round trip instead of two
    // (a missing user costs two wasted reads, a rare case next to every cache miss).
    const [user, memberships, grants] = await Promise.all([this.store.getUser(userId), this.store.getMemberships(userId), this.store.getGrants(userId)]);
    if (!user) return null;
    const rootOrg = user.rootOrgId ? await this.store.getOrg(user.rootOrgId) : null;
    const json = JSON.stringify(userView(user, { organisations: memberships, roles: grants, rootOrg: rootOrg ? orgView(rootOrg) : null }));
    await this.cache.set(userId, json);
    return json;
  }

  /** Reads a user for a caller: self, the managed user acted for, or an administrator. */
  async readUser(userId: string, caller: Caller): Promise<string> {
    if (userId.length > 256) throw fail.notFound('readUser', 'user', 'user not found.');
    await this.requireSelfOrAdmin(caller, userId, 'readUser');
    const json = await this.readUserJson(userId);
    if (json === null) throw fail.notFound('readUser', 'user', 'user not found.');
    return json;
  }

  /** Updates a user's profile. */
  async updateUser(body: unknown, caller: Caller): Promise<void> {
    const op: Operation = 'updateUser';
    const req = requestOf(body, op);
    if (text(req.userId) === undefined && text(req.id) === undefined) throw fail.forbidden(op);
    const { userId, changes } = validateUpdateUser(body);
    await this.requireSelfOrAdmin(caller, userId, op);
    const user = await this.store.getUser(userId);
    if (!user) throw fail.notFound(op, 'user', 'user');
    if (user.isDeleted || user.status === USER_STATUS.DELETED) throw uosError(op, 'inactiveUser');
    const swaps: { type: LookupType; oldValue: string | null; newValue: string | null; shown: (v: string) => string; field: string }[] = [];
    if (changes.email !== undefined && changes.email !== user.email) swaps.push({ type: 'email', oldValue: user.email, newValue: changes.email, shown: maskEmail, field: 'email' });
    if (changes.phone !== undefined && changes.phone !== user.phone) swaps.push({ type: 'phone', oldValue: user.phone, newValue: changes.phone, shown: maskPhone, field: 'phone' });
    if (changes.userName !== undefined && changes.userName !== user.userName) swaps.push({ type: 'username', oldValue: user.userName, newValue: changes.userName, shown: (v) => v, field: 'userName' });
    const claimed: [LookupType, string][] = [];
    for (const s of swaps) {
      if (s.newValue === null) continue;
      const key = lookupKey(s.type, s.newValue);
      if (!(await this.store.claimLookup(s.type, key, userId))) {
        await Promise.all(claimed.map(([t, k]) => this.store.releaseLookup(t, k, userId)));
        throw fail.duplicate(op, s.shown(s.newValue), s.field);
      }
      claimed.push([s.type, key]);
    }
    const updated: UserRecord = { ...user, ...changes, updatedBy: caller.userId, updatedDate: now() };
    if (changes.profileUserTypes) {
      updated.userType = changes.profileUserTypes[0]?.type ?? null;
      updated.userSubType = changes.profileUserTypes[0]?.subType ?? null;
    }
    if (changes.profileLocation) updated.locationIds = changes.profileLocation.map((l) => l.id);
    await this.store.putUser(updated);
    for (const s of swaps) {
      if (s.oldValue !== null && lookupKey(s.type, s.oldValue) !== (s.newValue === null ? null : lookupKey(s.type, s.newValue))) {
        await this.store.releaseLookup(s.type, lookupKey(s.type, s.oldValue), userId);
      }
    }
    await this.afterUserWrite(updated, 'update', caller, Object.keys(changes));
  }

  /** Blocks (status inactive) or unblocks a user. */
  async setBlocked(body: unknown, block: boolean, caller: Caller): Promise<void> {
    const op: Operation = block ? 'blockUser' : 'unblockUser';
    const userId = validateUserIdRequest(body, op);
    const user = await this.store.getUser(userId);
    if (!user || user.status === USER_STATUS.DELETED) throw fail.notFound(op, 'user', 'user');
    if (block && user.status === USER_STATUS.INACTIVE) throw uosError(op, 'userStatusError', ['inactive']);
    if (!block && user.status === USER_STATUS.ACTIVE) throw uosError(op, 'userStatusError', ['active']);
    const updated: UserRecord = { ...user, status: block ? USER_STATUS.INACTIVE : USER_STATUS.ACTIVE, updatedBy: caller.userId, updatedDate: now() };
    await this.store.putUser(updated);
    await this.afterUserWrite(updated, block ? 'block' : 'unblock', caller, ['status']);
  }

  /** Marks a user deleted and asks the deletion job (delete.user) to clean up. */
  async deleteUser(body: unknown, caller: Caller): Promise<void> {
    const op: Operation = 'deleteUser';
    const userId = validateUserIdRequest(body, op);
    await this.requireSelfOrAdmin(caller, userId, op);
    const user = await this.store.getUser(userId);
    if (!user || user.status === USER_STATUS.DELETED) throw fail.notFound(op, 'user', 'user');
    const roles = await this.rolesOf(userId);
    if (roles.some((r) => !DELETABLE_ROLES.has(r))) throw uosError(op, 'cannotDeleteUser');
    const updated: UserRecord = { ...user, status: USER_STATUS.DELETED, isDeleted: true, updatedBy: caller.userId, updatedDate: now() };
    await this.store.putUser(updated);
    await this.afterUserWrite(updated, 'delete', caller, ['status', 'isDeleted']);
    const suggestedUsers: { role: string; users: string[] }[] = [];
    let managedUsers: string[] = [];
    if (user.rootOrgId) {
      try {
        for (const role of [...new Set([...roles, 'ORG_ADMIN'])]) {
          const found = await this.search.search<Record<string, unknown>>(INDEX.user, toEngineSearch({ filters: { rootOrgId: user.rootOrgId, 'roles.role': role }, fields: ['id'], limit: 100 }, USER_SEARCH_PROFILE) as never);
          const users = found.hits.map((h) => String(h.source.id)).filter((id) => id !== userId);
          if (users.length > 0) suggestedUsers.push({ role, users });
        }
      } catch (error) {
        this.log.warn({ err: error }, 'suggested users not found for delete.user');
      }
    }
    try {
      const managed = await this.search.search<Record<string, unknown>>(INDEX.user, toEngineSearch({ filters: { managedBy: userId }, fields: ['id'], limit: 1000 }, USER_SEARCH_PROFILE) as never);
      managedUsers = managed.hits.map((h) => String(h.source.id));
    } catch (error) {
      this.log.warn({ err: error }, 'managed users not found for delete.user');
    }
    await this.publish(toDeleteUserEvent({ userId, rootOrgId: user.rootOrgId, userName: user.userName, suggestedUsers, managedUsers }));
  }

  /** Index-backed user search. */
  async searchUsers(body: unknown, op: Operation = 'userSearch'): Promise<{ count: number; content: Record<string, unknown>[] }> {
    if (typeof body !== 'object' || body === null) throw uosError(op, 'invalidRequestData');
    return this.searchIndex(INDEX.user, (body as Record<string, unknown>).request, USER_SEARCH_PROFILE, op);
  }

  /** Resolves an identifier to a user id (null when unknown). */
  async resolveIdentifier(type: 'email' | 'phone' | 'username' | 'externalid' | 'id', value: string): Promise<string | null> {
    if (type === 'id') return (await this.store.getUser(value)) ? value : null;
    return this.store.findLookup(type, lookupKey(type, value));
  }

  /** `exists` of an email/phone/username. */
  async exists(key: string, value: string): Promise<boolean> {
    const { type, value: v } = validateLookupKey('checkUserExistence', key, value);
    return (await this.resolveIdentifier(type, v)) !== null;
  }

  /** A user by email/phone/username/external id (masked view). */
  async getByKey(idType: string, id: string): Promise<Record<string, unknown>> {
    const { type, value } = validateLookupKey('getUserByKey', idType, id);
    const userId = await this.resolveIdentifier(type, value);
    const json = userId ? await this.readUserJson(userId) : null;
    if (json === null) throw fail.notFound('getUserByKey', 'user', 'user not found.');
    return JSON.parse(json) as Record<string, unknown>;
  }

  /** Private lookup: `{key, value, fields}` -> matching users (at most one per identifier). */
  async lookup(body: unknown): Promise<Record<string, unknown>[]> {
    const op: Operation = 'userLookup';
    const req = requestOf(body, op);
    const key = text(req.key);
    if (key === undefined) throw fail.missing(op, 'key');
    const raw = req.value;
    const values = (Array.isArray(raw) ? raw : [raw]).map(text);
    if (values.length === 0 || values.length > 100 || values.some((v) => v === undefined)) throw fail.missing(op, 'value');
    const fields = Array.isArray(req.fields) ? req.fields.filter((f): f is string => typeof f === 'string') : null;
    const out: Record<string, unknown>[] = [];
    for (const v of values as string[]) {
      const { type, value } = validateLookupKey(op, key, v);
      const userId = await this.resolveIdentifier(type, value);
      const json = userId ? await this.readUserJson(userId) : null;
      if (json === null) continue;
      const view = JSON.parse(json) as Record<string, unknown>;
      out.push(fields && fields.length > 0 ? Object.fromEntries(fields.filter((f) => f in view).map((f) => [f, view[f]])) : view);
    }
    return out;
  }

  // ---------------------------------------------------------------- roles

  /** All roles. */
  async listRoles(): Promise<Record<string, unknown>[]> {
    const roles = await this.store.listRoles();
    return roles
      .filter((r) => r.status === 1)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((r) => ({ id: r.id, name: r.name, actionGroups: r.roleGroupId.map((g) => ({ id: g, name: g, actions: [] })) }));
  }

  /** Roles held by a user. */
  async userRoles(userId: string): Promise<Record<string, unknown>[]> {
    const grants = await this.store.getGrants(userId);
    return grants.map((g) => ({ userId, role: g.role, scope: g.scope, createdBy: g.createdBy, createdDate: g.createdDate, updatedBy: g.updatedBy, updatedDate: g.updatedDate }));
  }

  /** Assigns roles: v1 replaces the roles within one organisation, v2 adds/removes per scope. */
  async assignRoles(body: unknown, version: 1 | 2, caller: Caller): Promise<void> {
    const op: Operation = 'assignRoles';
    let userId: string;
    let operations: RoleOperation[];
    if (version === 1) {
      const v1 = validateAssignRolesV1(body);
      userId = v1.userId;
      const current = await this.store.getGrants(v1.userId);
      operations = [
        ...current
          .filter((g) => g.role !== 'PUBLIC' && g.scope.some((s) => s.organisationId === v1.organisationId) && !v1.roles.includes(g.role))
          .map((g): RoleOperation => ({ role: g.role, operation: 'remove', organisationIds: [v1.organisationId] })),
        ...v1.roles.map((role): RoleOperation => ({ role, operation: 'add', organisationIds: [v1.organisationId] })),
      ];
    } else {
      ({ userId, operations } = validateAssignRolesV2(body));
    }
    const user = await this.store.getUser(userId);
    if (!user || user.isDeleted) throw fail.notFound(op, 'user', 'user');
    const known = new Set((await this.store.listRoles()).map((r) => r.id));
    for (const o of operations) if (!known.has(o.role)) throw uosError(op, 'invalidValue', ['role', o.role.slice(0, 40), [...known].sort().join(', ')]);
    // The caller must administer every organisation named in a scope.
    const callerGrants = await this.store.getGrants(caller.userId);
    const sysAdmin = callerGrants.some((g) => g.role === 'SYSTEM_ADMINISTRATION');
    const adminOf = new Set(callerGrants.filter((g) => g.role === 'ORG_ADMIN').flatMap((g) => g.scope.map((s) => s.organisationId)));
    for (const orgId of new Set(operations.flatMap((o) => o.organisationIds))) {
      const org = await this.store.getOrg(orgId);
      // Outside the caller's organisations (unknown ones included) is forbidden, like upstream.
      if (!sysAdmin && !(org && (adminOf.has(org.id) || adminOf.has(org.rootOrgId)))) throw fail.forbidden(op);
      if (!org) throw uosError(op, 'roleProcessingInvalidOrgError');
    }
    const grants = new Map((await this.store.getGrants(userId)).map((g) => [g.role, g] as const));
    const at = now();
    const touched = new Set<string>();
    for (const o of operations) {
      const g: RoleGrant = grants.get(o.role) ?? { role: o.role, scope: [], createdBy: caller.userId, createdDate: at };
      const scope = new Set(g.scope.map((s) => s.organisationId));
      for (const id of o.organisationIds) {
        if (o.operation === 'add') scope.add(id);
        else scope.delete(id);
      }
      grants.set(o.role, { ...g, scope: [...scope].map((organisationId) => ({ organisationId })), updatedBy: caller.userId, updatedDate: at });
      touched.add(o.role);
    }
    for (const role of touched) {
      const g = grants.get(role)!;
      if (g.scope.length === 0 && role !== 'PUBLIC') {
        await this.store.deleteGrant(userId, role);
        grants.delete(role);
      } else {
        await this.store.putGrant(userId, g);
      }
    }
    const roleNames = [...grants.keys()].sort();
    const updated: UserRecord = { ...user, roles: roleNames, updatedBy: caller.userId, updatedDate: at };
    await this.store.putUser(updated);
    for (const m of await this.store.getMemberships(userId)) {
      const inOrg = [...grants.values()].filter((g) => g.role === 'PUBLIC' || g.scope.some((s) => s.organisationId === m.organisationId)).map((g) => g.role);
      await this.store.putMembership({ ...m, roles: inOrg, updatedBy: caller.userId, updatedDate: at });
    }
    await this.afterUserWrite(updated, 'assign-role', caller, ['roles']);
  }

  // ---------------------------------------------------------------- organisations

  /** Creates a root organisation (tenant, with a unique channel) or a sub-organisation. */
  async createOrg(body: unknown, caller: Caller | null, callerRoles: readonly string[]): Promise<{ organisationId: string }> {
    const op: Operation = 'createOrg';
    const input = validateCreateOrg(body);
    if (input.isTenant && !callerRoles.includes('SYSTEM_ADMINISTRATION')) throw fail.forbidden(op);
    const id = newOrgId();
    let rootOrgId = id;
    let channel = input.channel;
    if (!input.isTenant) {
      if (input.rootOrgId) {
        const root = await this.store.getOrg(input.rootOrgId);
        if (!root || !root.isTenant) throw uosError(op, 'invalidParameterValue', [input.rootOrgId, 'rootOrgId']);
        rootOrgId = root.id;
        channel = root.channel;
      } else if (input.channel) {
        const rootId = await this.store.findOrgByKey('channel', input.channel);
        if (!rootId) throw uosError(op, 'invalidParameterValue', [input.channel, 'channel']);
        rootOrgId = rootId;
      }
    } else if (!(await this.store.claimOrgKey('channel', input.channel!, id))) {
      throw fail.duplicate(op, input.channel!, 'channel');
    }
    if (input.externalId && !(await this.store.claimOrgKey('externalid', `${channel ?? ''}:${input.externalId}`, id))) {
      throw fail.duplicate(op, input.externalId, 'externalId');
    }
    const org: OrgRecord = {
      id,
      orgName: input.orgName,
      description: input.description,
      channel,
      slug: input.isTenant && channel ? channel.toLowerCase() : null,
      isTenant: input.isTenant,
      rootOrgId,
      organisationType: input.organisationType,
      organisationSubType: input.organisationSubType,
      status: ORG_STATUS.ACTIVE,
      email: input.email,
      externalId: input.externalId,
      provider: input.provider ?? (input.externalId ? channel : null),
      orgCode: input.orgCode,
      homeUrl: input.homeUrl,
      imgUrl: input.imgUrl,
      preferredLanguage: input.preferredLanguage,
      locationIds: input.orgLocation.map((l) => l.id),
      orgLocation: input.orgLocation,
      isSSOEnabled: input.isSSOEnabled,
      license: input.license,
      createdBy: caller?.userId ?? null,
      createdDate: now(),
      updatedBy: null,
      updatedDate: null,
    };
    await this.store.putOrg(org);
    await this.indexDoc(INDEX.org, id, orgView(org));
    await this.changed('Organisation', 'create', id, caller, Object.keys(orgView(org)), { channel, rootOrgId });
    return { organisationId: id };
  }

  /** An organisation by id. */
  async readOrg(body: unknown): Promise<Record<string, unknown>> {
    const op: Operation = 'getOrgDetails';
    const req = requestOf(body, op);
    const id = text(req.organisationId) ?? text(req.id);
    if (id === undefined) throw fail.missing(op, 'organisationId');
    const org = id.length > 256 ? null : await this.store.getOrg(id);
    if (!org) throw fail.notFound(op, 'organisation');
    return orgView(org);
  }

  /** Updates an organisation's details. */
  async updateOrg(body: unknown, caller: Caller): Promise<void> {
    const op: Operation = 'updateOrg';
    const { organisationId, changes } = validateUpdateOrg(body);
    const org = await this.store.getOrg(organisationId);
    if (!org) throw fail.notFound(op, 'organisation');
    if (changes.externalId && changes.externalId !== org.externalId && !(await this.store.claimOrgKey('externalid', `${org.channel ?? ''}:${changes.externalId}`, org.id))) {
      throw fail.duplicate(op, changes.externalId, 'externalId');
    }
    const updated: OrgRecord = { ...org, ...changes, updatedBy: caller.userId, updatedDate: now() } as OrgRecord;
    if (changes.orgLocation) updated.locationIds = changes.orgLocation.map((l) => l.id);
    await this.store.putOrg(updated);
    await this.indexDoc(INDEX.org, org.id, orgView(updated));
    await this.changed('Organisation', 'update', org.id, caller, Object.keys(changes), { channel: org.channel, rootOrgId: org.rootOrgId });
  }

  /** Changes an organisation's status. */
  async updateOrgStatus(body: unknown, caller: Caller): Promise<void> {
    const op: Operation = 'updateOrgStatus';
    const { organisationId, status } = validateOrgStatus(body);
    const org = await this.store.getOrg(organisationId);
    if (!org) throw fail.notFound(op, 'organisation');
    const updated: OrgRecord = { ...org, status, updatedBy: caller.userId, updatedDate: now() };
    await this.store.putOrg(updated);
    await this.indexDoc(INDEX.org, org.id, orgView(updated));
    await this.changed('Organisation', 'status-update', org.id, caller, ['status'], { channel: org.channel, rootOrgId: org.rootOrgId });
  }

  /** Index-backed organisation search. */
  async searchOrgs(body: unknown): Promise<{ count: number; content: Record<string, unknown>[] }> {
    if (typeof body !== 'object' || body === null) throw uosError('orgSearch', 'invalidRequestData');
    return this.searchIndex(INDEX.org, (body as Record<string, unknown>).request, ORG_SEARCH_PROFILE, 'orgSearch');
  }

  // ---------------------------------------------------------------- locations

  /** Creates a location under its parent (by id or code). */
  async createLocation(body: unknown, caller: Caller | null): Promise<{ id: string }> {
    const op: Operation = 'createLocation';
    const input = validateCreateLocation(body);
    let parentId: string | null = null;
    if (input.parentId || input.parentCode) {
      parentId = input.parentId ?? (await this.store.findLocationByCode(input.parentCode!));
      const parent = parentId ? await this.store.getLocation(parentId) : null;
      if (!parent) throw uosError(op, 'invalidParameterValue', [input.parentId ?? input.parentCode ?? '', input.parentId ? 'parentId' : 'parentCode']);
      const types = LOCATION_TYPES as readonly string[];
      if (types.indexOf(parent.type) >= types.indexOf(input.type)) throw uosError(op, 'invalidParameterValue', [parent.id, 'parentId']);
    }
    const id = randomUUID();
    if (!(await this.store.claimLocationCode(input.code, id))) throw fail.duplicate(op, input.code, 'code');
    const location: LocationRecord = { id, code: input.code, name: input.name, type: input.type, parentId, createdBy: caller?.userId ?? null, createdDate: now() };
    await this.store.putLocation(location);
    if (parentId) await this.store.addChild(parentId, id);
    await this.indexDoc(INDEX.location, id, locationView(location));
    await this.changed('Location', 'create', id, caller, ['code', 'name', 'type', 'parentId']);
    return { id };
  }

  /** Renames or re-codes a location. */
  async updateLocation(body: unknown, caller: Caller | null): Promise<void> {
    const op: Operation = 'updateLocation';
    const input = validateUpdateLocation(body);
    const location = await this.store.getLocation(input.id);
    if (!location) throw fail.notFound(op, 'location');
    if (input.code && input.code.toLowerCase() !== location.code.toLowerCase()) {
      if (!(await this.store.claimLocationCode(input.code, location.id))) throw fail.duplicate(op, input.code, 'code');
      await this.store.releaseLocationCode(location.code, location.id);
    }
    const updated: LocationRecord = { ...location, ...(input.name ? { name: input.name } : {}), ...(input.code ? { code: input.code } : {}), updatedBy: caller?.userId ?? null, updatedDate: now() };
    await this.store.putLocation(updated);
    await this.indexDoc(INDEX.location, location.id, locationView(updated));
    await this.changed('Location', 'update', location.id, caller, Object.keys(input).filter((k) => k !== 'id'));
  }

  /** Deletes a location without children. */
  async deleteLocation(id: string, caller: Caller | null): Promise<void> {
    const op: Operation = 'deleteLocation';
    const location = id.length > 256 ? null : await this.store.getLocation(id);
    if (!location) throw fail.notFound(op, 'location');
    if (await this.store.hasChildren(id)) throw uosError(op, 'invalidLocationDeleteRequest');
    await this.store.deleteLocation(id);
    await this.store.releaseLocationCode(location.code, id);
    if (location.parentId) await this.store.removeChild(location.parentId, id);
    try {
      await this.search.delete(INDEX.location, id, { refresh: this.refresh });
    } catch (error) {
      this.log.error({ err: error, id }, 'location not removed from the index');
    }
    await this.changed('Location', 'delete', id, caller, []);
  }

  /** Index-backed location search; `{filters: {}}` lists all. */
  async searchLocations(body: unknown): Promise<{ response: Record<string, unknown>[]; count: number }> {
    if (typeof body !== 'object' || body === null || typeof (body as Record<string, unknown>).request !== 'object') throw uosError(null, 'invalidRequestData');
    const req = { filters: {}, ...((body as Record<string, unknown>).request as object) };
    const { count, content } = await this.searchIndex(INDEX.location, req, LOCATION_SEARCH_PROFILE, 'searchLocation');
    return { response: content, count };
  }

  // ---------------------------------------------------------------- settings and preferences

  async getSetting(field: string): Promise<Record<string, unknown>> {
    const s = field.length > 256 ? null : await this.store.getSetting(field);
    if (!s) throw fail.notFound('getSystemSetting', 'system setting');
    return s;
  }

  async listSettings(): Promise<Record<string, unknown>[]> {
    return this.store.listSettings();
  }

  async setSetting(body: unknown, caller: Caller | null): Promise<{ id: string }> {
    const s = validateSetSetting(body);
    await this.store.putSetting(s);
    await this.changed('SystemSetting', 'update', s.id, caller, ['value']);
    return { id: s.id };
  }

  async createPreference(body: unknown, caller: Caller | null): Promise<void> {
    const op = 'createTenantPreference' as const;
    const p = validateTenantPreference(body, op);
    if (p.orgId !== '*' && !(await this.store.getOrg(p.orgId))) throw uosError(op, 'invalidParameterValue', [p.orgId, 'orgId']);
    if (!(await this.store.createPreference(p.orgId, p.key, JSON.stringify(p.data), caller?.userId ?? null))) {
      throw uosError(op, 'errorParamExists', [`Tenant preference ${p.key}`]);
    }
    await this.changed('TenantPreference', 'create', `${p.orgId}:${p.key}`, caller, ['data']);
  }

  async updatePreference(body: unknown, caller: Caller | null): Promise<void> {
    const op = 'updateTenantPreference' as const;
    const p = validateTenantPreference(body, op);
    if (!(await this.store.getPreference(p.orgId, p.key))) throw fail.notFound(op, 'tenant preference');
    await this.store.updatePreference(p.orgId, p.key, JSON.stringify(p.data), caller?.userId ?? null);
    await this.changed('TenantPreference', 'update', `${p.orgId}:${p.key}`, caller, ['data']);
  }

  async readPreference(body: unknown): Promise<Record<string, unknown>> {
    const op = 'getTenantPreference' as const;
    const p = validateTenantPreference(body, op);
    const row = await this.store.getPreference(p.orgId, p.key);
    if (!row) throw fail.notFound(op, 'tenant preference');
    let data: unknown;
    try {
      data = JSON.parse(String(row.data));
    } catch {
      data = row.data;
    }
    return {
      orgId: p.orgId,
      key: p.key,
      data,
      createdBy: row.createdby ?? null,
      createdOn: row.createdon instanceof Date ? row.createdon.toISOString() : null,
      updatedBy: row.updatedby ?? null,
      updatedOn: row.updatedon instanceof Date ? row.updatedon.toISOString() : null,
    };
  }

  // ---------------------------------------------------------------- re-indexing

  /** Rebuilds index documents from Cassandra: all of one type, or the given ids. */
  async sync(objectType: 'user' | 'organisation' | 'location', ids?: readonly string[]): Promise<number> {
    let count = 0;
    const source =
      ids && ids.length > 0
        ? ids
        : objectType === 'user'
          ? this.store.allUserIds()
          : objectType === 'organisation'
            ? this.store.allOrgIds()
            : this.store.allLocationIds();
    for await (const id of source as AsyncIterable<string> | readonly string[]) {
      if (objectType === 'user') {
        await this.cache.invalidate(id);
        if (await this.indexUser(id)) count++;
      } else if (objectType === 'organisation') {
        const org = await this.store.getOrg(id);
        if (org) {
          await this.search.index(INDEX.org, id, orgView(org), { refresh: false });
          count++;
        }
      } else {
        const loc = await this.store.getLocation(id);
        if (loc) {
          await this.search.index(INDEX.location, id, locationView(loc), { refresh: false });
          count++;
        }
      }
    }
    const alias = objectType === 'user' ? INDEX.user : objectType === 'organisation' ? INDEX.org : INDEX.location;
    await this.search.refresh(alias);
    return count;
  }
}

/** Topics the service writes (for docs and tests). */
export const TOPICS = [DELETE_USER_TOPIC, 'user.events'] as const;
