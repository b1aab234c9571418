/** Request schemas of the send routes: upstream's v1 (mode/deliveryType) and v2 (type/action) shapes. */
import { Type, type Static } from '@lern/kit';
import { Id, JsonObject, requestBody } from '../schemas.ts';

/** Most recipients of one notification (upstream MAX_NOTIFICATION_SIZE is 1000). */
export const MAX_RECIPIENTS = 1000;
/** Most notifications of one request. */
export const MAX_NOTIFICATIONS = 50;

/** An email address, phone number, device token or user id. */
const Recipient = Type.String({ minLength: 1, maxLength: 320 });
const Recipients = Type.Array(Recipient, { maxItems: MAX_RECIPIENTS, description: 'Recipients: email addresses, phone numbers, device tokens or user ids (feed).' });
const Text = (maxLength: number, description: string) => Type.String({ maxLength, description });

const Template = Type.Object(
  {
    id: Type.Optional(Text(128, 'A stored template id (v1).')),
    type: Text(32, 'JSON, TEXT, HTML, ...'),
    ver: Type.Optional(Text(32, 'Template version.')),
    data: Type.Optional(Text(30_000, 'Template text with $param / ${param} placeholders.')),
    params: Type.Optional(JsonObject('Values of the placeholders.')),
    config: Type.Optional(Type.Object({ sender: Type.Optional(Text(320, 'Sender')), subject: Type.Optional(Text(998, 'Subject')) }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

const CreatedBy = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 128 }), name: Type.Optional(Text(256, 'Name')), type: Type.Optional(Text(64, 'User or System')) },
  { additionalProperties: true },
);

const Action = Type.Object(
  {
    type: Text(128, 'Action type, e.g. add-member; selects the stored template.'),
    category: Type.Optional(Text(128, 'Category, e.g. groups.')),
    template: Type.Optional(Template),
    createdBy: Type.Optional(CreatedBy),
    additionalInfo: Type.Optional(JsonObject('Shown with the entry; sender/subject for email.')),
  },
  { additionalProperties: true },
);

export const V2Notification = Type.Object(
  {
    ids: Type.Optional(Type.Union([Recipients, Type.Null()])),
    priority: Type.Integer({ minimum: 0, maximum: 100 }),
    type: Type.Union([Type.Literal('feed'), Type.Literal('email'), Type.Literal('phone'), Type.Literal('device')]),
    action: Action,
  },
  { additionalProperties: true },
);
export type V2Notification = Static<typeof V2Notification>;

export const V2SendBody = requestBody(Type.Object({ notifications: Type.Array(V2Notification, { minItems: 1, maxItems: MAX_NOTIFICATIONS }) }, { additionalProperties: true }));

const V1Config = Type.Object(
  {
    sender: Type.Optional(Text(320, 'Sender')),
    subject: Type.Optional(Text(998, 'Subject')),
    topic: Type.Optional(Text(256, 'Device topic')),
    otp: Type.Optional(Type.Object({ length: Type.Optional(Type.Integer({ minimum: 4, maximum: 10 })), expiryInMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })) }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);

export const V1Notification = Type.Object(
  {
    mode: Type.Union([Type.Literal('email'), Type.Literal('phone'), Type.Literal('device')]),
    deliveryType: Type.Union([Type.Literal('message'), Type.Literal('otp'), Type.Literal('whatsapp'), Type.Literal('call')]),
    config: Type.Optional(V1Config),
    ids: Type.Optional(Type.Union([Recipients, Type.Null()])),
    template: Type.Optional(Type.Object({ id: Type.Optional(Text(128, 'Template id')), data: Type.Optional(Text(30_000, 'Template text')), params: Type.Optional(JsonObject('Placeholder values')) }, { additionalProperties: true })),
    rawData: Type.Optional(JsonObject('Device push data.')),
  },
  { additionalProperties: true },
);
export type V1Notification = Static<typeof V1Notification>;

export const V1SendBody = requestBody(Type.Object({ notifications: Type.Array(V1Notification, { minItems: 1, maxItems: MAX_NOTIFICATIONS }) }, { additionalProperties: true }));

/** User-Org's feed entry (`/v1/user/feed/create` forwards it here as a v1 feed notification). */
export const V1FeedNotification = Type.Object(
  {
    userId: Id('The user whose feed gets the entry.'),
    category: Type.String({ minLength: 1, maxLength: 128 }),
    priority: Type.Integer({ minimum: 0, maximum: 100 }),
    data: JsonObject('The entry data.'),
    createdBy: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: true },
);
export type V1FeedNotification = Static<typeof V1FeedNotification>;

/** A private send's item: a v1 feed entry, or a v2 notification (services without a user token). */
export const PrivateNotification = Type.Union([V2Notification, V1FeedNotification]);
export type PrivateNotification = Static<typeof PrivateNotification>;

export const PrivateSendBody = requestBody(Type.Object({ notifications: Type.Array(PrivateNotification, { minItems: 1, maxItems: MAX_NOTIFICATIONS }) }, { additionalProperties: true }));

export const SendResult = Type.Object({ response: Type.Literal('SUCCESS') });
