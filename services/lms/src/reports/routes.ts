/**
 * Report job request routes: callers holding a report role in the channel (`x-channel-id`) submit
 * requests and list a tag's requests; the data products pick SUBMITTED rows up from PostgreSQL.
 */
import { LernError, defineRoute, type Caller, type PostgresConnector, type Route } from '@lern/kit';
import type { LmsDeps } from '../context.ts';
import { lmsValidation } from '../errors.ts';
import { decideSubmit, jobView, mayUseReports, requestIdOf, storedTag } from './requests.ts';
import { ChannelHeaders, JobView, ListParams, ListQuery, ListResult, SubmitBody } from './schemas.ts';
import { JobRequestStore, type NewJobRequest } from './store.ts';

/** Requests listed when the query does not say. */
const DEFAULT_LIST_LIMIT = 10;
const TAGS = ['reports'];

const channelOf = (headers: Record<string, string | string[] | undefined>): string => String(headers['x-channel-id']);

function requireReportRole(caller: Caller | null, channel: string): Caller {
  if (!caller || !mayUseReports(caller.grants, channel)) throw new LernError('FORBIDDEN', 'FORBIDDEN', 'You are forbidden from accessing specified resource.');
  return caller;
}

/** The report routes; `secret` (LERN_ENCRYPTION_KEY) encrypts report passwords at rest. */
export function reportRoutes(deps: LmsDeps, pg: PostgresConnector, secret: string | undefined): Route[] {
  const store = new JobRequestStore(pg, secret);
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/jobrequest/submit',
      // Narrowed in the handler to report roles held in the channel.
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(),
      schema: { body: SubmitBody, headers: ChannelHeaders, result: JobView },
      summary: 'Request a report; the same request on the same day returns the stored one',
      tags: TAGS,
      async handler(req) {
        const channel = channelOf(req.headers);
        const caller = requireReportRole(req.caller, channel);
        const r = req.body.request;
        if (r.requestedBy !== undefined && r.requestedBy !== caller.userId) throw new LernError('FORBIDDEN', 'FORBIDDEN', 'You are forbidden from accessing specified resource.');
        const now = deps.now();
        const key = { tag: r.tag, dataset: r.dataset, requestedBy: caller.userId, channel, datasetConfig: r.datasetConfig as Record<string, unknown> };
        const request: NewJobRequest = {
          ...key,
          tag: storedTag(r.tag, channel),
          requestId: requestIdOf(key, now),
          encryptionKey: r.encryptionKey ?? null,
          submittedAt: now,
        };
        const stored = await store.get(request.tag, request.requestId);
        const decision = decideSubmit(stored);
        if (decision === 'insert') await store.insert(request);
        else if (decision === 'resubmit') await store.resubmit(request);
        const row = decision === 'existing' ? stored : await store.get(request.tag, request.requestId);
        if (!row) throw new LernError('SERVER_ERROR', 'INTERNAL_ERROR', 'Process failed,please try again later.');
        return jobView(row, now);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/jobrequest/list/:tag',
      // Narrowed in the handler to report roles held in the channel.
      policy: 'authenticated',
      errors: [403],
      validationError: lmsValidation(),
      schema: { params: ListParams, querystring: ListQuery, headers: ChannelHeaders, result: ListResult },
      summary: "A tag's report requests in the channel, newest first",
      tags: TAGS,
      async handler(req) {
        const channel = channelOf(req.headers);
        requireReportRole(req.caller, channel);
        const rows = await store.list(storedTag(req.params.tag, channel), req.query.limit ?? DEFAULT_LIST_LIMIT);
        const now = deps.now();
        return { count: rows.length, jobs: rows.map((row) => jobView(row, now)) };
      },
    }),
  ];
}
