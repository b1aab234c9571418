/**
 * The Notification service client: `POST <LERN_NOTIFICATION_URL>/private/v2/notification/send` on the
 * service's internal port (service-to-service, no user token). Any answer but 2xx is a failure, so
 * the outbox retries it.
 */
import type { NotificationRequest } from './events.ts';

/** Path of the send route on the Notification service. */
export const SEND_PATH = '/private/v2/notification/send';

/** Sends notifications; rejects when the Notification service did not accept them. */
export type NotificationSender = (request: NotificationRequest) => Promise<void>;

/** A sender to the Notification service at `baseUrl`. */
export function notificationClient(baseUrl: string, timeoutMs: number): NotificationSender {
  return async (request) => {
    const res = await fetch(`${baseUrl}${SEND_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is reused.
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`notification service answered ${res.status}`);
  };
}
