/**
 * Send routes. Upstream exposes only /v2/notification/send through the gateway. Here: v2 feed
 * notifications may be sent by any signed-in user; email, SMS and device sends, and the v1 routes
 * that only carry those, need an administrator; the private v2 route (User-Org's user feed) is
 * internal and also takes v2 notifications: services without a user token (Groups' outbox relay)
 * send there.
 */
import { defineRoute, forbidden, isAnyAdmin, type Route } from '@lern/kit';
import type { NotificationDeps } from '../context.ts';
import { sendValidation } from '../errors.ts';
import { fromV1 } from './operations.ts';
import { PrivateSendBody, SendResult, V1SendBody, V2SendBody } from './schemas.ts';
import { checkV1, deliverAll, enqueue, sendV1Feed, sendV2, splitPrivate } from './send.ts';

const SUCCESS = { response: 'SUCCESS' as const };

export function sendRoutes(deps: NotificationDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/notification/send',
      policy: 'admin',
      validationError: sendValidation,
      schema: { body: V1SendBody, result: SendResult },
      summary: 'Queue email, SMS or device notifications (v1 shape) on lms.notification',
      tags: ['send'],
      handler: async (req) => {
        checkV1(req.body.request.notifications);
        await enqueue(deps, req.body.request.notifications.map(fromV1), req.requestId);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/notification/send/sync',
      policy: 'admin',
      validationError: sendValidation,
      schema: { body: V1SendBody, result: SendResult },
      summary: 'Deliver email, SMS or device notifications (v1 shape) now, retried; failures are dead-lettered and answered 503',
      tags: ['send'],
      handler: async (req) => {
        checkV1(req.body.request.notifications);
        await deliverAll(deps, req.body.request.notifications.map(fromV1), req.requestId);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v2/notification/send',
      policy: 'authenticated',
      errors: [403],
      validationError: sendValidation,
      schema: { body: V2SendBody, result: SendResult },
      summary: 'Send v2 notifications: feed entries now; email, SMS and device (administrators) queued on lms.notification',
      tags: ['send'],
      handler: async (req) => {
        const notifications = req.body.request.notifications;
        if (notifications.some((n) => n.type !== 'feed') && !isAnyAdmin(req.caller!.grants)) throw forbidden();
        await sendV2(deps, notifications, req.requestId);
        return SUCCESS;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/private/v2/notification/send',
      policy: 'internal',
      validationError: sendValidation,
      schema: { body: PrivateSendBody, result: SendResult },
      summary: "Service-to-service sends: v1 feed entries (User-Org's /v1/user/feed/create) and v2 notifications",
      tags: ['send'],
      handler: async (req) => {
        const { v1, v2 } = splitPrivate(req.body.request.notifications);
        await sendV1Feed(deps, v1);
        await sendV2(deps, v2, req.requestId);
        return SUCCESS;
      },
    }),
  ];
}
