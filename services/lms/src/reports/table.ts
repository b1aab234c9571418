/**
 * The PostgreSQL table of report job requests. The kit's migration runner covers Cassandra, search
 * and Kafka only, so the service creates this one table itself, idempotently (`CREATE TABLE IF NOT
 * EXISTS`), the first time a report route needs it; a failure (PostgreSQL down) is retried by the
 * next request. Upstream's shape (sunbird-analytics-service `job_request`, PK `tag, request_id`),
 * with `text` where upstream declares short VARCHARs, so long tags and channels fit; readers of
 * upstream's table read it unchanged. The data products that run the jobs update status, download
 * URLs, completion time and errors in place.
 */
import type { PostgresConnector } from '@lern/kit';

/** The table's name. */
export const JOB_REQUEST_TABLE = 'job_request';

/** The DDL (idempotent). */
export const JOB_REQUEST_DDL = `CREATE TABLE IF NOT EXISTS ${JOB_REQUEST_TABLE} (
  tag text NOT NULL,
  request_id text NOT NULL,
  job_id text,
  status text,
  request_data json,
  requested_by text,
  requested_channel text,
  dt_job_submitted timestamp,
  download_urls text[],
  dt_file_created timestamp,
  dt_job_completed timestamp,
  execution_time integer,
  err_message text,
  iteration integer,
  encryption_key text,
  processed_batches text,
  PRIMARY KEY (tag, request_id)
)`;

/** PostgreSQL's codes of a concurrent `CREATE TABLE IF NOT EXISTS` losing the race (type or relation already created). */
const ALREADY_CREATED = new Set(['23505', '42P07']);

/** Creates the table once per process (and again after a failed attempt). */
export function jobRequestTable(pg: PostgresConnector): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () =>
    (ready ??= pg.query(JOB_REQUEST_DDL).then(
      () => undefined,
      (error: unknown) => {
        if (ALREADY_CREATED.has(String((error as { code?: unknown }).code))) return;
        ready = undefined;
        throw error;
      },
    ));
}
