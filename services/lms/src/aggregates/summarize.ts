/**
 * The aggregate answers (pure).
 *
 * Collection summary: upstream counted enrolment and certificate AUDIT events in Druid; Lern counts
 * from what the activity-aggregate-updater keeps, per active participant of the batch:
 * `enrolment` (participants), `start` (one content completed or more) and `complete` (every leaf of
 * the course completed, `agg.completedCount` against the course's leaf count).
 *
 * Group activity aggregates (upstream's GroupAggregatesActor): the group's members that have
 * aggregates for the activity, each with every figure (`agg` counts and `aggregates` values) and when
 * it last changed; a member with aggregates in several contexts (batches) shows the context updated
 * last; the activity's `enrolmentCount` is the number of such members, updated when the latest
 * figure was.
 */
import type { ActivityAgg, GroupMember } from './store.ts';

/** Count key of completed leaf contents. */
export const COMPLETED_COUNT = 'completedCount';

/** A summary metric. */
export interface SummaryMetric {
  type: 'enrolment' | 'start' | 'complete';
  count: number;
}

/** The summary metrics of a batch's participants. */
export function collectionMetrics(participants: readonly string[], aggs: readonly ActivityAgg[], leafNodesCount: number): SummaryMetric[] {
  const active = new Set(participants);
  const completed = new Map<string, number>();
  for (const a of aggs) if (active.has(a.userId)) completed.set(a.userId, Math.max(completed.get(a.userId) ?? 0, a.agg[COMPLETED_COUNT] ?? 0));
  const counts = [...completed.values()];
  return [
    { type: 'enrolment', count: active.size },
    { type: 'start', count: counts.filter((c) => c > 0).length },
    { type: 'complete', count: leafNodesCount > 0 ? counts.filter((c) => c >= leafNodesCount).length : 0 },
  ];
}

const newest = (a: ActivityAgg): number => Math.max(0, ...Object.values(a.lastUpdated).map((d) => d.getTime()));

/** A member's figures as upstream lists them (sorted by metric). */
export function memberAggs(a: ActivityAgg): { metric: string; value: number; lastUpdatedOn: number | null }[] {
  const figures: Record<string, number> = { ...a.agg, ...a.aggregates };
  return Object.keys(figures)
    .sort()
    .map((metric) => ({ metric, value: figures[metric]!, lastUpdatedOn: a.lastUpdated[metric]?.getTime() ?? null }));
}

/** The group aggregates answer. */
export function groupActivityAggregates(
  input: { groupId: string; activityId: string; activityType: string; members: readonly GroupMember[]; aggs: readonly ActivityAgg[]; names: ReadonlyMap<string, string> },
  now: number,
) {
  const latest = new Map<string, ActivityAgg>();
  for (const a of input.aggs) {
    const held = latest.get(a.userId);
    if (!held || newest(a) > newest(held)) latest.set(a.userId, a);
  }
  const members = input.members
    .filter((m) => latest.has(m.userId))
    .map((m) => ({ userId: m.userId, name: input.names.get(m.userId) ?? null, role: m.role, status: m.status, createdBy: m.createdBy, agg: memberAggs(latest.get(m.userId)!) }));
  const updated = members.flatMap((m) => m.agg.map((a) => a.lastUpdatedOn ?? 0));
  const lastUpdatedOn = updated.length > 0 && Math.max(...updated) > 0 ? Math.max(...updated) : now;
  return {
    groupId: input.groupId,
    activity: { id: input.activityId, type: input.activityType, agg: [{ metric: 'enrolmentCount' as const, lastUpdatedOn, value: members.length }] },
    members,
  };
}
