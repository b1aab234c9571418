/**
 * Pure builders of the Kafka messages the service publishes. Topic names here are without the
 * environment prefix (`LERN_KAFKA_TOPIC_PREFIX` is added by the producer).
 *
 * `user.events` (schema `lern.userorg.event` version 1), one message per state change, keyed by the
 * changed object's id so all changes of one object stay in order on one partition:
 * ```
 * { schema: "lern.userorg.event", version: 1, eventId, ets, action,
 *   object: { id, type: "User"|"Organisation"|"Location"|"SystemSetting"|"TenantPreference" },
 *   actor: { id, type: "User"|"System" }, channel?, rootOrgId?, changedFields: string[] }
 * ```
 * `changedFields` names the fields written, never their values: events carry no personal data.
 *
 * `delete.user` keeps upstream's BE_JOB_REQUEST instruction shape read by the user-deletion-cleanup job:
 * `{ eid: "BE_JOB_REQUEST", ets, mid, actor, context: { pdata }, object: { id, type: "User" },
 *    edata: { action: "delete-user", iteration: 1, userId, organisationId, userName, suggested_users, managed_users } }`.
 */
import { randomUUID } from 'node:crypto';

/** Topic of every User-Org state change. */
export const USER_EVENTS_TOPIC = 'user.events';
/** Topic of user-deletion instructions. */
export const DELETE_USER_TOPIC = 'delete.user';

/** A message ready for the producer. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: Record<string, unknown>;
}

/** Kinds of objects whose changes are published. */
export type ObjectType = 'User' | 'Organisation' | 'Location' | 'SystemSetting' | 'TenantPreference';

/** What happened to the object. */
export type ChangeAction =
  | 'create'
  | 'update'
  | 'block'
  | 'unblock'
  | 'delete'
  | 'assign-role'
  | 'status-update';

/** Who made the change: a user id from the token, or the system for anonymous/private calls. */
export interface EventActor {
  id: string;
  type: 'User' | 'System';
}

/** Input of toChangeEvent. */
export interface ChangeEventInput {
  action: ChangeAction;
  objectType: ObjectType;
  objectId: string;
  actor: EventActor;
  changedFields: readonly string[];
  channel?: string | null;
  rootOrgId?: string | null;
  /** @default Date.now() */
  ets?: number;
  /** @default a random UUID */
  eventId?: string;
}

/** Fields that are personal data: their names may appear in changedFields, never their values. */
const SCHEMA = 'lern.userorg.event';

/** Builds one `user.events` message. */
export function toChangeEvent(input: ChangeEventInput): OutgoingMessage {
  const value: Record<string, unknown> = {
    schema: SCHEMA,
    version: 1,
    eventId: input.eventId ?? randomUUID(),
    ets: input.ets ?? Date.now(),
    action: input.action,
    object: { id: input.objectId, type: input.objectType },
    actor: { id: input.actor.id, type: input.actor.type },
    changedFields: [...new Set(input.changedFields)].sort(),
  };
  if (input.channel) value.channel = input.channel;
  if (input.rootOrgId) value.rootOrgId = input.rootOrgId;
  return { topic: USER_EVENTS_TOPIC, key: input.objectId, value };
}

/** Shorthand for a user change. */
export function toUserEvent(
  action: ChangeAction,
  user: { id: string; channel?: string | null; rootOrgId?: string | null },
  actor: EventActor,
  changedFields: readonly string[],
  at?: { ets?: number; eventId?: string },
): OutgoingMessage {
  return toChangeEvent({
    action,
    objectType: 'User',
    objectId: user.id,
    actor,
    changedFields,
    channel: user.channel ?? null,
    rootOrgId: user.rootOrgId ?? null,
    ...at,
  });
}

/** Input of toDeleteUserEvent. */
export interface DeleteUserInput {
  userId: string;
  rootOrgId: string | null;
  userName: string | null;
  /** Other users holding each of the deleted user's roles in the same root org. */
  suggestedUsers: { role: string; users: string[] }[];
  /** Users managed by the deleted user. */
  managedUsers: string[];
  /** @default Date.now() */
  ets?: number;
  /** @default `LP.<ets>.<uuid>` like upstream */
  mid?: string;
}

/** Builds the `delete.user` instruction (upstream's BE_JOB_REQUEST shape). */
export function toDeleteUserEvent(input: DeleteUserInput): OutgoingMessage {
  const ets = input.ets ?? Date.now();
  return {
    topic: DELETE_USER_TOPIC,
    key: input.userId,
    value: {
      eid: 'BE_JOB_REQUEST',
      ets,
      mid: input.mid ?? `LP.${ets}.${randomUUID()}`,
      actor: { id: 'User Deletion', type: 'System' },
      context: { pdata: { id: 'org.sunbird.platform', ver: '1.0' } },
      object: { id: input.userId, type: 'User' },
      edata: {
        action: 'delete-user',
        iteration: 1,
        userId: input.userId,
        organisationId: input.rootOrgId,
        userName: input.userName,
        suggested_users: input.suggestedUsers,
        managed_users: input.managedUsers,
      },
    },
  };
}
