/**
 * `job_request` in PostgreSQL (the only SQL of report requests). A report's password
 * (`encryptionKey`, for the zip the job writes) is stored encrypted with AES-256-GCM under a key
 * derived from LERN_ENCRYPTION_KEY (as upstream encrypts it with its service key); without that
 * setting it is stored as given.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { PostgresConnector } from '@lern/kit';
import type { JobRequestRow } from './requests.ts';
import { JOB_REQUEST_TABLE, jobRequestTable } from './table.ts';

/** A new (or resubmitted) request. */
export interface NewJobRequest {
  tag: string;
  requestId: string;
  dataset: string;
  requestedBy: string;
  channel: string;
  datasetConfig: Record<string, unknown>;
  encryptionKey: string | null;
  submittedAt: Date;
}

interface SqlRow {
  tag: string;
  request_id: string;
  job_id: string | null;
  status: string | null;
  request_data: Record<string, unknown> | null;
  requested_by: string | null;
  requested_channel: string | null;
  dt_job_submitted: Date | null;
  download_urls: string[] | null;
  dt_job_completed: Date | null;
  execution_time: number | null;
  err_message: string | null;
  iteration: number | null;
}

const COLUMNS = 'tag, request_id, job_id, status, request_data, requested_by, requested_channel, dt_job_submitted, download_urls, dt_job_completed, execution_time, err_message, iteration';

const toRow = (r: SqlRow): JobRequestRow => ({
  tag: r.tag,
  requestId: r.request_id,
  jobId: r.job_id,
  status: r.status ?? 'SUBMITTED',
  requestData: r.request_data,
  requestedBy: r.requested_by,
  requestedChannel: r.requested_channel,
  submittedAt: r.dt_job_submitted,
  downloadUrls: r.download_urls,
  completedAt: r.dt_job_completed,
  executionTime: r.execution_time,
  errMessage: r.err_message,
  iteration: r.iteration,
});

/** `v1:<iv>:<tag>:<ciphertext>` (base64 parts) under SHA-256 of the service secret. */
export function sealKey(secret: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(secret, 'utf8').digest(), iv);
  const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

/** Reads and writes job requests. */
export class JobRequestStore {
  private readonly pg: PostgresConnector;
  private readonly ensure: () => Promise<void>;
  private readonly secret: string | undefined;

  constructor(pg: PostgresConnector, secret: string | undefined) {
    this.pg = pg;
    this.ensure = jobRequestTable(pg);
    this.secret = secret;
  }

  private sealed(key: string | null): string | null {
    return key === null || this.secret === undefined ? key : sealKey(this.secret, key);
  }

  /** The request with this tag and id; null when there is none. */
  async get(tag: string, requestId: string): Promise<JobRequestRow | null> {
    await this.ensure();
    const rs = await this.pg.query<SqlRow>(`SELECT ${COLUMNS} FROM ${JOB_REQUEST_TABLE} WHERE tag = $1 AND request_id = $2`, [tag, requestId]);
    return rs.rows[0] ? toRow(rs.rows[0]) : null;
  }

  /** Stores a new request; false when one with its id exists already (a concurrent submission). */
  async insert(r: NewJobRequest): Promise<boolean> {
    await this.ensure();
    const rs = await this.pg.query(
      `INSERT INTO ${JOB_REQUEST_TABLE} (tag, request_id, job_id, status, request_data, requested_by, requested_channel, dt_job_submitted, encryption_key, iteration) ` +
        `VALUES ($1, $2, $3, 'SUBMITTED', $4, $5, $6, $7, $8, 0) ON CONFLICT (tag, request_id) DO NOTHING`,
      [r.tag, r.requestId, r.dataset, JSON.stringify(r.datasetConfig), r.requestedBy, r.channel, r.submittedAt, this.sealed(r.encryptionKey)],
    );
    return rs.rowCount === 1;
  }

  /** Submits a FAILED request again (same id): back to SUBMITTED, its outcome cleared. */
  async resubmit(r: NewJobRequest): Promise<void> {
    await this.ensure();
    await this.pg.query(
      `UPDATE ${JOB_REQUEST_TABLE} SET status = 'SUBMITTED', request_data = $3, dt_job_submitted = $4, encryption_key = $5, ` +
        `dt_job_completed = NULL, download_urls = NULL, err_message = NULL, execution_time = NULL WHERE tag = $1 AND request_id = $2 AND status = 'FAILED'`,
      [r.tag, r.requestId, JSON.stringify(r.datasetConfig), r.submittedAt, this.sealed(r.encryptionKey)],
    );
  }

  /** The latest requests of a tag, newest first. */
  async list(tag: string, limit: number): Promise<JobRequestRow[]> {
    await this.ensure();
    const rs = await this.pg.query<SqlRow>(`SELECT ${COLUMNS} FROM ${JOB_REQUEST_TABLE} WHERE tag = $1 ORDER BY dt_job_submitted DESC NULLS LAST LIMIT $2`, [tag, limit]);
    return rs.rows.map(toRow);
  }
}
