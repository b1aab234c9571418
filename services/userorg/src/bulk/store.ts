/**
 * CQL of bulk uploads: `bulk_upload_process` (one row per upload) and `bulk_upload_process_task`
 * (one row per CSV line, sequence from 1), plus the user and organisation reads the rows need.
 * Task data and results hold personal data and are stored encrypted.
 */
import type { CassandraConnector } from '@lern/kit';
import type { BulkObjectType } from './columns.ts';

/** Upstream ProjectUtil.BulkProcessStatus. */
export const PROCESS_STATUS = { NEW: 0, IN_PROGRESS: 1, COMPLETED: 3, FAILED: 9 } as const;

/** An upload. */
export interface ProcessRecord {
  id: string;
  objectType: BulkObjectType;
  /** The uploader's root organisation. */
  organisationId: string | null;
  status: number;
  taskCount: number;
  failureResult: string | null;
  uploadedBy: string;
  lastUpdatedOn: Date | null;
}

/** One line of an upload; data and results are ciphertexts. */
export interface TaskRecord {
  sequenceId: number;
  data: string;
  status: number;
  successResult: string | null;
  failureResult: string | null;
  iterationId: number;
}

/** What rows read of an organisation. */
export interface OrgInfo {
  id: string;
  channel: string | null;
  rootOrgId: string | null;
  isTenant: boolean;
  status: number | null;
  orgName: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** Reads and writes the bulk upload tables. */
export class BulkStore {
  private readonly db: CassandraConnector;

  constructor(db: CassandraConnector) {
    this.db = db;
  }

  private t(table: string): string {
    return this.db.table('sunbird', table);
  }

  async createProcess(p: { id: string; objectType: BulkObjectType; organisationId: string | null; uploadedBy: string; taskCount: number; now: Date; uploadedDate: string }): Promise<void> {
    await this.db.execute(
      `INSERT INTO ${this.t('bulk_upload_process')} (id, objecttype, organisationid, status, taskcount, createdby, createdon, uploadedby, uploadeddate, processstarttime, lastupdatedon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [p.id, p.objectType, p.organisationId, PROCESS_STATUS.NEW, p.taskCount, p.uploadedBy, p.now, p.uploadedBy, p.uploadedDate, p.uploadedDate, p.now],
    );
  }

  async process(id: string): Promise<ProcessRecord | null> {
    const r = (await this.db.execute(`SELECT id, objecttype, organisationid, status, taskcount, failureresult, uploadedby, lastupdatedon FROM ${this.t('bulk_upload_process')} WHERE id = ?`, [id])).first();
    if (!r) return null;
    return {
      id: String(r.id),
      objectType: String(r.objecttype) as BulkObjectType,
      organisationId: str(r.organisationid),
      status: num(r.status) ?? PROCESS_STATUS.NEW,
      taskCount: num(r.taskcount) ?? 0,
      failureResult: str(r.failureresult),
      uploadedBy: String(r.uploadedby),
      lastUpdatedOn: r.lastupdatedon instanceof Date ? r.lastupdatedon : null,
    };
  }

  /** Ids of uploads in a status (storage-attached index on status). */
  async processIdsInStatus(status: number): Promise<string[]> {
    const rs = await this.db.execute(`SELECT id FROM ${this.t('bulk_upload_process')} WHERE status = ?`, [status]);
    return rs.rows.map((r) => String(r.id));
  }

  /**
   * Takes an upload over: sets its status and heartbeat only if the heartbeat is still `seen`
   * (lightweight transaction), so two replicas never run one upload. False when someone else did.
   */
  async claim(id: string, seen: Date | null, status: number, now: Date): Promise<boolean> {
    const rs = await this.db.execute(`UPDATE ${this.t('bulk_upload_process')} SET status = ?, lastupdatedon = ? WHERE id = ? IF lastupdatedon = ?`, [status, now, id, seen], {
      serialConsistency: 0x0009, // LOCAL_SERIAL
    });
    return rs.first()?.['[applied]'] === true;
  }

  async finishProcess(id: string, status: number, failureResult: string | null, now: Date, endTime: string): Promise<void> {
    await this.db.execute(`UPDATE ${this.t('bulk_upload_process')} SET status = ?, failureresult = ?, processendtime = ?, lastupdatedon = ? WHERE id = ?`, [status, failureResult, endTime, now, id]);
  }

  async insertTasks(processId: string, tasks: readonly { sequenceId: number; data: string }[], now: Date): Promise<void> {
    const query = `INSERT INTO ${this.t('bulk_upload_process_task')} (processid, sequenceid, data, status, iterationid, createdon) VALUES (?, ?, ?, ?, ?, ?)`;
    // Batches of 50 rows of one partition: few round trips, small batches.
    for (let i = 0; i < tasks.length; i += 50) {
      await this.db.batch(tasks.slice(i, i + 50).map((t) => ({ query, params: [processId, t.sequenceId, t.data, PROCESS_STATUS.NEW, 0, now] })));
    }
  }

  /** Tasks of an upload with sequence ids in (after, upTo], in order. */
  async tasks(processId: string, after = 0, upTo = Number.MAX_SAFE_INTEGER): Promise<TaskRecord[]> {
    const rs = await this.db.execute(
      `SELECT sequenceid, data, status, successresult, failureresult, iterationid FROM ${this.t('bulk_upload_process_task')} WHERE processid = ? AND sequenceid > ? AND sequenceid <= ?`,
      [processId, after, Math.min(upTo, 2_147_483_647)],
    );
    return rs.rows.map((r) => ({
      sequenceId: Number(r.sequenceid),
      data: String(r.data),
      status: num(r.status) ?? PROCESS_STATUS.NEW,
      successResult: str(r.successresult),
      failureResult: str(r.failureresult),
      iterationId: num(r.iterationid) ?? 0,
    }));
  }

  /** Records a task's outcome and beats the upload's heartbeat. */
  async finishTask(processId: string, task: Pick<TaskRecord, 'sequenceId' | 'status' | 'successResult' | 'failureResult' | 'iterationId'>, now: Date): Promise<void> {
    await this.db.batch([
      {
        query: `UPDATE ${this.t('bulk_upload_process_task')} SET status = ?, successresult = ?, failureresult = ?, iterationid = ?, lastupdatedon = ? WHERE processid = ? AND sequenceid = ?`,
        params: [task.status, task.successResult, task.failureResult, task.iterationId, now, processId, task.sequenceId],
      },
      { query: `UPDATE ${this.t('bulk_upload_process')} SET lastupdatedon = ? WHERE id = ?`, params: [now, processId] },
    ]);
  }

  /** A user's root organisation; undefined when the user does not exist. */
  async userRootOrgId(userId: string): Promise<string | null | undefined> {
    const r = (await this.db.execute(`SELECT rootorgid FROM ${this.t('user')} WHERE id = ?`, [userId])).first();
    return r ? str(r.rootorgid) : undefined;
  }

  /** A user's organisations and root (for the uploader's rights over an updated user); null when unknown. */
  async userScope(userId: string): Promise<{ orgIds: string[]; rootOrgId: string | null } | null> {
    const [user, orgs] = await Promise.all([
      this.db.execute(`SELECT rootorgid FROM ${this.t('user')} WHERE id = ?`, [userId]),
      this.db.execute(`SELECT organisationid, isdeleted FROM ${this.t('user_organisation')} WHERE userid = ?`, [userId]),
    ]);
    const r = user.first();
    if (!r) return null;
    return { orgIds: orgs.rows.filter((o) => o.isdeleted !== true).map((o) => String(o.organisationid)), rootOrgId: str(r.rootorgid) };
  }

  async org(orgId: string): Promise<OrgInfo | null> {
    const r = (await this.db.execute(`SELECT id, channel, rootorgid, istenant, isrootorg, status, orgname FROM ${this.t('organisation')} WHERE id = ?`, [orgId])).first();
    if (!r) return null;
    return { id: String(r.id), channel: str(r.channel), rootOrgId: str(r.rootorgid), isTenant: r.istenant === true || r.isrootorg === true, status: num(r.status), orgName: str(r.orgname) };
  }

  async setting(id: string): Promise<string | null> {
    const r = (await this.db.execute(`SELECT value FROM ${this.t('system_settings')} WHERE id = ?`, [id])).first();
    return r ? str(r.value) : null;
  }
}
