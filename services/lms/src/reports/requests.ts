/**
 * Report (data exhaust) job requests (pure), as upstream's analytics service keeps them
 * (sunbird-analytics-service JobAPIService, which lms-service's /v1/jobrequest routes call):
 * - the request id is the MD5 (upper-case hex) of `dataset|tag|requestedBy|channel|yyyy-MM-dd`,
 *   with `|<datasetConfig.type>` appended when the config names a type; the date is the submission
 *   day (UTC). The same request on the same day is therefore the same row;
 * - the row's tag is `<tag>:<channel>`;
 * - submitting again returns the stored request unless it FAILED, which resubmits it (status back to
 *   SUBMITTED, same id).
 */
import { createHash } from 'node:crypto';

/** Upstream's job statuses. */
export type JobStatus = 'SUBMITTED' | 'PROCESSING' | 'SUCCESS' | 'FAILED';

/** What identifies a request. */
export interface RequestKey {
  tag: string;
  dataset: string;
  requestedBy: string;
  channel: string;
  datasetConfig: Record<string, unknown>;
}

/** The request id upstream derives (see the module comment). */
export function requestIdOf(key: RequestKey, submitted: Date): string {
  const day = submitted.toISOString().slice(0, 10);
  const type = typeof key.datasetConfig.type === 'string' ? key.datasetConfig.type : undefined;
  const parts = [key.dataset, key.tag, key.requestedBy, key.channel, day, ...(type === undefined ? [] : [type])];
  return createHash('md5').update(parts.join('|'), 'utf8').digest('hex').toUpperCase();
}

/** The stored tag of a request: `<tag>:<channel>`. */
export const storedTag = (tag: string, channel: string): string => `${tag}:${channel}`;

/** What a submission does given the stored request with its id (if any). */
export function decideSubmit(stored: { status: string } | null): 'insert' | 'resubmit' | 'existing' {
  if (stored === null) return 'insert';
  return stored.status.toUpperCase() === 'FAILED' ? 'resubmit' : 'existing';
}

/** A stored job request. */
export interface JobRequestRow {
  tag: string;
  requestId: string;
  jobId: string | null;
  status: string;
  requestData: Record<string, unknown> | null;
  requestedBy: string | null;
  requestedChannel: string | null;
  submittedAt: Date | null;
  downloadUrls: string[] | null;
  completedAt: Date | null;
  executionTime: number | null;
  errMessage: string | null;
  iteration: number | null;
}

/** How long download links are said to stay valid (upstream's channel.data_exhaust.expiryMins default). */
export const EXPIRY_MINUTES = 30;

/** A request as upstream's JobResponse shows it. */
export function jobView(row: JobRequestRow, now: Date) {
  const processed = row.status === 'SUCCESS' || row.status === 'FAILED';
  const submitted = row.submittedAt?.getTime() ?? 0;
  const completed = row.completedAt?.getTime() ?? null;
  return {
    requestId: row.requestId,
    tag: row.tag,
    dataset: row.jobId,
    requestedBy: row.requestedBy,
    requestedChannel: row.requestedChannel,
    status: row.status,
    lastUpdated: completed ?? submitted,
    datasetConfig: row.requestData ?? {},
    attempts: row.iteration ?? 0,
    jobStats: processed ? { dtJobSubmitted: submitted, dtJobCompleted: completed, executionTime: row.executionTime } : { dtJobSubmitted: submitted, dtJobCompleted: null, executionTime: null },
    downloadUrls: processed ? (row.downloadUrls ?? []) : [],
    expiresAt: now.getTime() + EXPIRY_MINUTES * 60_000,
    statusMessage: row.errMessage,
  };
}

/** Roles that may request and read reports (upstream's dataset authorised roles), held in the channel. */
export const REPORT_ROLES: readonly string[] = ['ORG_ADMIN', 'REPORT_ADMIN', 'REPORT_VIEWER', 'CONTENT_CREATOR', 'COURSE_MENTOR'];

/** True when grants allow reports of a channel: a report role held in that root organisation, or system administration. */
export function mayUseReports(grants: readonly { role: string; orgIds: readonly string[] }[], channel: string): boolean {
  return grants.some((g) => (REPORT_ROLES.includes(g.role) && g.orgIds.includes(channel)) || (g.role === 'SYSTEM_ADMINISTRATION' && g.orgIds.includes('*')));
}
