/**
 * Feed decisions, pure: how a stored entry is shown (v2 with its action, v1 with its data), the
 * order of a feed, which requested ids a user owns, and which entries fall off past the feed limit.
 */
import type { FeedRow } from './store.ts';

/** A v2 feed entry as GET /v1/notification/feed/read answers it. */
export interface FeedView {
  id: string;
  userId: string;
  category: string | null;
  priority: number | null;
  status: string;
  action: Record<string, unknown> | null;
  createdBy: string | null;
  createdOn: number | null;
  updatedBy: string | null;
  updatedOn: number | null;
  expireOn: number | null;
  version: string | null;
}

/** A v1 entry (User-Org's user feed): data in place of action. */
export interface V1FeedView {
  id: string;
  userId: string;
  category: string | null;
  priority: number | null;
  status: string;
  data: Record<string, unknown> | null;
  createdBy: string | null;
  createdOn: number | null;
  updatedBy: string | null;
  updatedOn: number | null;
  expireOn: number | null;
}

const millis = (d: Date | null): number | null => (d ? d.getTime() : null);

/** The stored JSON object, or null when absent or not an object. */
export function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null || text === '') return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Newest first; entries without a creation time last (upstream's order). */
export function newestFirst<T extends { createdOn: number | null }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => (b.createdOn ?? 0) - (a.createdOn ?? 0));
}

/** The v2 feed of a user: entries that are not v1, newest first. */
export function v2Feed(rows: readonly FeedRow[]): FeedView[] {
  return newestFirst(
    rows
      .filter((r) => r.version !== 'v1')
      .map((r) => ({
        id: r.id,
        userId: r.userId,
        category: r.category,
        priority: r.priority,
        status: r.status,
        action: parseObject(r.action),
        createdBy: r.createdBy,
        createdOn: millis(r.createdOn),
        updatedBy: r.updatedBy,
        updatedOn: millis(r.updatedOn),
        expireOn: millis(r.expireOn),
        version: r.version,
      })),
  );
}

/** The v1 feed of a user (what User-Org's /v1/user/feed shows), newest first. */
export function v1Feed(rows: readonly FeedRow[]): V1FeedView[] {
  return newestFirst(
    rows
      .filter((r) => r.version === 'v1')
      .map((r) => ({
        id: r.id,
        userId: r.userId,
        category: r.category,
        priority: r.priority,
        status: r.status,
        data: parseObject(r.action),
        createdBy: r.createdBy,
        createdOn: millis(r.createdOn),
        updatedBy: r.updatedBy,
        updatedOn: millis(r.updatedOn),
        expireOn: millis(r.expireOn),
      })),
  );
}

/** The requested ids the user has (upstream answers 404 when none match). */
export function ownedIds(rows: readonly FeedRow[], requested: readonly string[]): string[] {
  const have = new Set(rows.map((r) => r.id));
  return [...new Set(requested)].filter((id) => have.has(id));
}

/**
 * Entries to drop so that a user keeps at most `limit` after `adding` new ones: the oldest first
 * (upstream's feed_limit keeps a feed bounded).
 */
export function overflow(rows: readonly FeedRow[], adding: number, limit: number): string[] {
  const excess = rows.length + adding - limit;
  if (excess <= 0) return [];
  return [...rows]
    .sort((a, b) => (a.createdOn?.getTime() ?? 0) - (b.createdOn?.getTime() ?? 0))
    .slice(0, excess)
    .map((r) => r.id);
}

/**
 * User-Org's `/v1/user/feed/:userId` result from this service's v1 feed
 * (`GET /private/v1/notification/feed/read/:userId` -> `result.feeds`): `{ response: { userFeed } }`,
 * fields without a value left out, as upstream User-Org answers.
 */
export function userFeedResult(feeds: readonly V1FeedView[]): { response: { userFeed: Record<string, unknown>[] } } {
  return { response: { userFeed: feeds.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null))) } };
}
