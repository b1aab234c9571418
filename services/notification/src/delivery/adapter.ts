/**
 * Delivery adapters: one interface per channel, so email (SMTP), SMS (provider HTTP API) and device
 * push (a documented adapter point: no provider ships here) are interchangeable and testable.
 */

/** One message to deliver now. */
export interface OutgoingMessage {
  /** Email addresses, phone numbers or device tokens. */
  to: readonly string[];
  subject?: string;
  /** Sender address or id; the adapter's default when absent. */
  from?: string;
  body: string;
  /** Device push: the raw data and topic. */
  rawData?: Record<string, unknown>;
  topic?: string;
}

/** A channel's transport. Throws on failure; the caller retries and dead-letters. */
export interface DeliveryAdapter {
  readonly channel: 'email' | 'phone' | 'device';
  send(message: OutgoingMessage): Promise<void>;
}

/** The adapters a service runs with; a missing channel fails its sends with a clear reason. */
export interface Adapters {
  email: DeliveryAdapter | null;
  phone: DeliveryAdapter | null;
  device: DeliveryAdapter | null;
}

/**
 * Device push adapter point. Upstream sends through Firebase Cloud Messaging; an installation that
 * wants synchronous device pushes supplies an adapter with this shape (createNotificationService's
 * `adapters.device`). Asynchronous device sends go to `lms.notification` like the others.
 */
export type DevicePushAdapter = DeliveryAdapter & { readonly channel: 'device' };
