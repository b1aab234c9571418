/**
 * The notifications of group changes (pure), in the request shape of the Notification service's
 * `POST /v2/notification/send` (feed notifications, as upstream's MemberUpdateNotificationHandler,
 * ActivityUpdateNotificationHandler and GroupDeleteNotificationHandler build them):
 *
 * ```json
 * {"request":{"notifications":[{"ids":["<userId>",...],"priority":1,"type":"feed",
 *   "action":{"type":"member-added","category":"group",
 *     "template":{"type":"JSON","params":{"param1":"<actor name>","param2":"<group name> group"}},
 *     "createdBy":{"id":"<actor id>","name":"<actor name>","type":"User"},
 *     "additionalInfo":{"group":{"id":"<groupId>","name":"<group name>"},"groupRole":"member"}}}]}}
 * ```
 * Action types: `member-added` (to the added users), `member-removed` (to the removed users),
 * `member-exit` (a member left: to the group's admins), `group-activity-added` /
 * `group-activity-removed` (to the other active members; `additionalInfo.activity` {id, type}),
 * `group-deleted` (to the other members).
 */

/** Upstream's notification action types. */
export type GroupNotificationType = 'member-added' | 'member-removed' | 'member-exit' | 'group-activity-added' | 'group-activity-removed' | 'group-deleted';

/** Input of {@link groupNotification}. */
export interface GroupNotificationInput {
  type: GroupNotificationType;
  recipients: readonly string[];
  group: { id: string; name: string };
  actor: { id: string; name: string };
  /** The recipients' role in the group (member notifications). */
  role?: string;
  activity?: { id: string; type: string };
}

/** One notification of the v2 send request. */
export interface FeedNotification {
  ids: string[];
  priority: number;
  type: 'feed';
  action: {
    type: GroupNotificationType;
    category: 'group';
    template: { type: 'JSON'; params: Record<string, string> };
    createdBy: { id: string; name: string; type: 'User' };
    additionalInfo: Record<string, unknown>;
  };
}

/** The body of one `POST /v2/notification/send`. */
export interface NotificationRequest {
  request: { notifications: FeedNotification[] };
}

/** The notification of one change, or null when nobody is to be told. */
export function groupNotification(input: GroupNotificationInput): FeedNotification | null {
  const ids = [...new Set(input.recipients)].filter((id) => id !== input.actor.id || input.type === 'member-exit');
  if (ids.length === 0) return null;
  const groupLabel = `${input.group.name} group`;
  const actorFirst = input.type === 'member-added' || input.type === 'group-activity-added';
  const params = actorFirst ? { param1: input.actor.name, param2: groupLabel } : { param1: groupLabel, param2: input.actor.name };
  const additionalInfo: Record<string, unknown> = { group: { id: input.group.id, name: input.group.name } };
  if (input.role !== undefined) additionalInfo.groupRole = input.role;
  if (input.activity) additionalInfo.activity = { id: input.activity.id, type: input.activity.type };
  return {
    ids,
    priority: 1,
    type: 'feed',
    action: {
      type: input.type,
      category: 'group',
      template: { type: 'JSON', params },
      createdBy: { id: input.actor.id, name: input.actor.name, type: 'User' },
      additionalInfo,
    },
  };
}

/** The send request of the notifications (empty ones dropped), or null when there are none. */
export function notificationRequest(notifications: readonly (FeedNotification | null)[]): NotificationRequest | null {
  const present = notifications.filter((n): n is FeedNotification => n !== null);
  return present.length === 0 ? null : { request: { notifications: present } };
}
