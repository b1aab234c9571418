/**
 * Send decisions, pure: placeholder rendering, the job request (upstream's NotificationRequest, what
 * the notification job consumes) built from a v1 or v2 notification, the feed entries of a v2 feed
 * notification, and the recipients' rules.
 */
import type { FeedRow } from '../feed/store.ts';
import type { V1FeedNotification, V1Notification, V2Notification } from './schemas.ts';

/** Upstream's NotificationRequest: one delivery for the job (or for a synchronous send). */
export interface JobNotification {
  mode: 'email' | 'phone' | 'device';
  deliveryType: 'message' | 'otp' | 'whatsapp' | 'call';
  config: { sender?: string; subject?: string; topic?: string; otp?: { length?: number; expiryInMinute?: number } };
  ids: string[];
  template: { id?: string; data?: string; params?: Record<string, unknown> } | null;
  rawData?: Record<string, unknown>;
}

/** A stored template (notification_template), as the send path needs it. */
export interface StoredTemplate {
  data: string;
  type: string;
  ver: string | null;
}

/** Replaces `${name}` and `$name` with the params' values (Velocity's simple references); unknown names stay. */
export function render(text: string, params: Record<string, unknown> = {}): string {
  const value = (name: string, whole: string): string => {
    const v = params[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => value(braced ?? bare ?? '', whole));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Why a notification cannot be sent as given (cross-field rules), or undefined. */
export function refusal(kind: string, ids: readonly string[] | null | undefined, topic: string | undefined, index: number): string | undefined {
  const none = !ids || ids.length === 0;
  if (kind === 'device') return none && !topic ? `#/notifications/${index}: neither device ids nor a topic given` : undefined;
  return none ? `#/notifications/${index}: required key [ids] not found` : undefined;
}

/** The job request of a v1 notification, its template rendered. */
export function fromV1(n: V1Notification): JobNotification {
  const params = n.template?.params;
  return {
    mode: n.mode,
    deliveryType: n.deliveryType,
    config: { ...n.config },
    ids: [...(n.ids ?? [])],
    template: n.template ? { ...n.template, ...(n.template.data !== undefined ? { data: render(n.template.data, params) } : {}) } : null,
    ...(n.rawData ? { rawData: n.rawData } : {}),
  };
}

/** The job request of a v2 email, phone or device notification; `stored` is the action's template when one is mapped. */
export function fromV2(n: V2Notification, stored: StoredTemplate | null): JobNotification {
  const info = n.action.additionalInfo ?? {};
  const t = n.action.template;
  const params = t?.params;
  const text = t?.data ?? stored?.data;
  const sender = str(t?.config?.sender) ?? str(info.sender);
  const subject = str(t?.config?.subject) ?? str(info.subject);
  const otp = obj(info.otp);
  const topic = str(info.topic);
  const mode = n.type === 'phone' ? 'phone' : n.type === 'device' ? 'device' : 'email';
  return {
    mode,
    deliveryType: mode === 'phone' && otp ? 'otp' : 'message',
    config: { ...(sender ? { sender } : {}), ...(subject ? { subject } : {}), ...(topic ? { topic } : {}), ...(otp ? { otp } : {}) },
    ids: [...(n.ids ?? [])],
    template: text !== undefined ? { data: render(text, params), ...(params ? { params } : {}) } : params ? { params } : null,
    ...(mode === 'device' ? { rawData: obj(info.rawData) ?? {} } : {}),
  };
}

/** The feed entries of a v2 feed notification: one per user, the action's template rendered. */
export function feedRows(n: V2Notification, stored: StoredTemplate | null, now: Date, newId: () => string): FeedRow[] {
  const t = n.action.template;
  const text = t?.data ?? stored?.data;
  const action = {
    ...n.action,
    template: {
      ver: t?.ver ?? stored?.ver ?? null,
      type: t?.type ?? stored?.type ?? 'JSON',
      data: text !== undefined ? render(text, t?.params) : JSON.stringify(t?.params ?? {}),
    },
  };
  return (n.ids ?? []).map((userId) => ({
    userId,
    id: newId(),
    action: JSON.stringify(action),
    category: n.action.category ?? null,
    priority: n.priority,
    status: 'unread',
    version: null,
    expireOn: null,
    createdBy: n.action.createdBy?.id ?? null,
    createdOn: now,
    updatedBy: null,
    updatedOn: null,
  }));
}

/** The v1 feed entry User-Org's user feed writes. */
export function v1FeedRow(n: V1FeedNotification, now: Date, id: string): FeedRow {
  return {
    userId: n.userId,
    id,
    action: JSON.stringify(n.data),
    category: n.category,
    priority: n.priority,
    status: 'unread',
    version: 'v1',
    expireOn: null,
    createdBy: n.createdBy ?? null,
    createdOn: now,
    updatedBy: null,
    updatedOn: null,
  };
}

/** Waits before each retry: base, 2 x base, 4 x base, ... (attempts - 1 of them). */
export function retryDelays(attempts: number, baseDelayMs: number): number[] {
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => baseDelayMs * 2 ** i);
}
