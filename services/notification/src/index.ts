/**
 * @lern/notification: the in-app notification feed, email / SMS / device sends and their
 * templates (`lern service notification`), on upstream notification-service's paths, envelope and
 * `err` codes.
 *
 * Cassandra (keyspace `sunbird_notifications`) holds the feed and the templates; asynchronous sends
 * go to Kafka `lms.notification` through the outbox, in the shape upstream's notification job
 * consumes; synchronous sends are delivered here (SMTP, an SMS provider's HTTP API, a device push
 * adapter), retried, and dead-lettered on `lms.notification.failed` when every attempt fails.
 * Callers and their grants come from User-Org's `sunbird` keyspace (the kit's caller directory).
 */
import { addRoutes, defineService, type ServiceDefinition } from '@lern/kit';
import { createDeps } from './context.ts';
import type { Adapters } from './delivery/adapter.ts';
import { createEmailAdapter } from './delivery/email.ts';
import { createSmsAdapter } from './delivery/sms.ts';
import { KIT_ERROR_CODES } from './errors.ts';
import { feedRoutes } from './feed/routes.ts';
import { resolveOptions, type NotificationOptions } from './options.ts';
import { sendRoutes } from './send/routes.ts';
import { templateRoutes } from './templates/routes.ts';
import { otpRoutes } from './otp/routes.ts';
import { OtpStore } from './otp/store.ts';

/** Settings over the environment's (tests). */
export interface NotificationServiceOptions {
  options?: NotificationOptions;
  /** Adapters over the configured ones (e.g. a device push adapter). */
  adapters?: Partial<Adapters>;
  now?: () => Date;
}

/** The Notification service with the given settings. */
export function createNotificationService(given: NotificationServiceOptions = {}): ServiceDefinition {
  return defineService({
    name: 'notification',
    connectors: ['cassandra', 'kafka'],
    primary: 'cassandra',
    errorCodes: KIT_ERROR_CODES,
    register(app, kit) {
      const options = given.options ?? resolveOptions();
      const email = options.smtp ? createEmailAdapter(options.smtp) : null;
      const adapters: Adapters = {
        email,
        phone: options.sms ? createSmsAdapter(options.sms) : null,
        device: null,
        ...given.adapters,
      };
      const deps = createDeps({ cassandra: kit.connectors.cassandra!, kafka: kit.connectors.kafka ?? null, adapters, options, log: kit.log, ...(given.now ? { now: given.now } : {}) });
      deps.outbox.attach(app);
      if (email) app.addHook('onClose', (_instance, done) => {
        email.close();
        done();
      });
      // One line per resource.
      addRoutes(app, ...feedRoutes(deps), ...sendRoutes(deps), ...templateRoutes(deps), ...otpRoutes(deps, new OtpStore(kit.connectors.cassandra!)));
    },
  });
}

/** The Notification service definition (`lern service notification`). */
export const service: ServiceDefinition = createNotificationService();

export { createDeps, type NotificationDeps } from './context.ts';
export { FeedStore, KEYSPACE } from './feed/store.ts';
export { userFeedResult, v1Feed, v2Feed, type FeedView, type V1FeedView } from './feed/operations.ts';
export { jobEvent, NOTIFICATION_TOPIC, NOTIFICATION_FAILED_TOPIC, type JobEvent } from './send/events.ts';
export { resolveOptions, type NotificationOptions } from './options.ts';
export type { Adapters, DeliveryAdapter, DevicePushAdapter, OutgoingMessage } from './delivery/adapter.ts';
