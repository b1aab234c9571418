/**
 * A user's course list: the cached list (upstream's `<userId>:user-enrolments`) or one read of the
 * user's enrolment partition plus each course's structure (itself cached), then the request's
 * course filter and batch details, which are applied after the cache so every request shape shares it.
 */
import { batchView } from '../batches/view.ts';
import type { StoredStructure } from '../courses/store.ts';
import type { EnrolmentContext } from './operations.ts';
import { activeEnrolments, byLastAccess, enrolmentView, pickBatchFields, type CourseEnrolmentView, type CourseFacts } from './view.ts';

/** How a list is asked for. */
export interface ListOptions {
  /** Only enrolments of these courses. */
  courseIds?: readonly string[];
  /** Batch fields to add as `batch` (none: no batch details). */
  batchFields: readonly string[];
  /** false: read the enrolments even when a cached list exists. */
  useCache: boolean;
}

const factsOf = (s: StoredStructure): CourseFacts => ({ courseId: s.courseId, name: s.name, channel: s.channel, status: s.status, leafNodes: s.leafNodes });

/** Reads a user's list from the store (and refreshes the cache). */
async function readList(ctx: EnrolmentContext, userId: string): Promise<CourseEnrolmentView[]> {
  const { deps } = ctx;
  const active = activeEnrolments(await ctx.store.listByUser(userId));
  const courseIds = [...new Set(active.map((e) => e.courseId))];
  const structures = await Promise.all(courseIds.map((id) => ctx.structures.get(id)));
  const courses = new Map(courseIds.map((id, i) => [id, structures[i] ? factsOf(structures[i]) : null]));
  const list = byLastAccess(active.map((e) => enrolmentView(e, courses.get(e.courseId) ?? null, deps.timeZone)));
  void ctx.cache.set(userId, list);
  return list;
}

/** Adds each item's batch (the requested fields of its document). */
async function withBatches(ctx: EnrolmentContext, items: CourseEnrolmentView[], fields: readonly string[]): Promise<CourseEnrolmentView[]> {
  const keys = [...new Map(items.map((i) => [`${i.courseId}\u0000${i.batchId}`, i])).values()];
  const batches = await Promise.all(keys.map((i) => ctx.deps.batches.getIn(i.courseId, i.batchId)));
  const documents = new Map<string, Record<string, unknown>>();
  batches.forEach((b) => {
    if (b) documents.set(`${b.courseId}\u0000${b.batchId}`, batchView(b, ctx.deps.timeZone));
  });
  return items.map((i) => {
    const doc = documents.get(`${i.courseId}\u0000${i.batchId}`);
    return { ...i, batch: doc ? pickBatchFields(doc, fields) : {} };
  });
}

/** The user's course list as the request asks for it. */
export async function listCourses(ctx: EnrolmentContext, userId: string, options: ListOptions): Promise<CourseEnrolmentView[]> {
  const cached = options.useCache ? await ctx.cache.get(userId) : undefined;
  let items = cached ?? (await readList(ctx, userId));
  if (options.courseIds && options.courseIds.length > 0) {
    const wanted = new Set(options.courseIds);
    items = items.filter((i) => wanted.has(i.courseId));
  }
  return options.batchFields.length > 0 ? withBatches(ctx, items, options.batchFields) : items;
}
