/** Request and result schemas of the feed routes. */
import { Type } from '@lern/kit';
import { Id, requestBody } from '../schemas.ts';

/** At most this many ids per update or delete. */
export const MAX_FEED_IDS = 100;

export const UserParams = Type.Object({ userId: Id('The user whose feed is read.') });

const FeedIds = Type.Array(Id('A feed entry id.'), { minItems: 1, maxItems: MAX_FEED_IDS, description: 'Feed entry ids.' });

export const UpdateFeedBody = requestBody(
  Type.Object(
    {
      userId: Id('The feed owner; must be the caller.'),
      ids: FeedIds,
      status: Type.Optional(Type.Union([Type.Literal('read'), Type.Literal('unread')], { description: "New status; default 'read' (upstream marks entries read)." })),
    },
    { additionalProperties: true },
  ),
);

export const DeleteFeedBody = requestBody(
  Type.Object(
    {
      userId: Id('The feed owner; must be the caller.'),
      ids: FeedIds,
      category: Type.String({ minLength: 1, maxLength: 128, description: 'Category of the entries (mandatory upstream).' }),
    },
    { additionalProperties: true },
  ),
);

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const Millis = Nullable(Type.Integer({ description: 'Epoch milliseconds.' }));
const Details = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]);

const FeedEntry = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  category: Nullable(Type.String()),
  priority: Nullable(Type.Integer()),
  status: Type.String(),
  action: Details,
  createdBy: Nullable(Type.String()),
  createdOn: Millis,
  updatedBy: Nullable(Type.String()),
  updatedOn: Millis,
  expireOn: Millis,
  version: Nullable(Type.String()),
});

const V1FeedEntry = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  category: Nullable(Type.String()),
  priority: Nullable(Type.Integer()),
  status: Type.String(),
  data: Details,
  createdBy: Nullable(Type.String()),
  createdOn: Millis,
  updatedBy: Nullable(Type.String()),
  updatedOn: Millis,
  expireOn: Millis,
});

export const FeedResult = Type.Object({ feeds: Type.Array(FeedEntry) });
export const V1FeedResult = Type.Object({ feeds: Type.Array(V1FeedEntry) });
