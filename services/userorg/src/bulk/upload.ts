/**
 * Accepting a bulk upload (upstream BaseBulkUploadController and the User/Org/LocationBulkUploadActor):
 * the file is checked for size, header and row count before anything is stored; then the upload and
 * one task per line are stored and the worker runs them in the background. The answer is the process
 * id to poll `GET /v1/upload/status/:processId` with.
 */
import { randomUUID } from 'node:crypto';
import { LernError, formatMessage, sunbirdTimestamp, type Caller } from '@lern/kit';
import type { PiiCipher } from '../pii.ts';
import { parseCsv } from './csv.ts';
import { checkHeader, columnRules, columnsSetting, rowRecord, type BulkObjectType } from './columns.ts';
import type { BulkStore, OrgInfo } from './store.ts';
import type { BulkWorker } from './worker.ts';

/** err prefixes per kind (upstream ActorOperations USER_/ORG_/LOCATION_BULK_UPLOAD). */
export const UPLOAD_PREFIX: Readonly<Record<BulkObjectType, string>> = { user: 'UOS_USRUPLD', organisation: 'UOS_ORGUPLD', location: 'UOS_LOCUPLD' };

/** Limits of an upload. Upstream: file_upload_max_size=10 (MB of 10^6 bytes), sunbird_user_bulk_upload_size=1001 and bulk_upload_org_data_size=300 lines with the header. */
export interface UploadLimits {
  maxFileBytes: number;
  /** Lines including the header. */
  maxLines: Readonly<Record<BulkObjectType, number>>;
}

/** Upstream's limits (locations have none upstream; they get the user limit here). */
export const DEFAULT_LIMITS: UploadLimits = { maxFileBytes: 10 * 1_000_000, maxLines: { user: 1001, organisation: 300, location: 1001 } };

/** What accepting an upload needs. */
export interface UploadDeps {
  store: BulkStore;
  worker: BulkWorker;
  cipher: PiiCipher;
  limits: UploadLimits;
  now?: () => Date;
}

const clientError = (prefix: string, code: string, message: string): LernError => new LernError('CLIENT_ERROR', `${prefix}${code}`, message);

/** Upstream's size message: the limit in MB (10^6 bytes). */
export function sizeMessage(limits: UploadLimits): string {
  return formatMessage('Max allowed size is {0}', `${limits.maxFileBytes / 1_000_000}MB`);
}

/** Checks the file's size in bytes (the schema bounds its characters). */
export function checkSize(prefix: string, csv: string, limits: UploadLimits): void {
  if (Buffer.byteLength(csv, 'utf8') > limits.maxFileBytes) throw clientError(prefix, '0014', sizeMessage(limits));
}

/** The uploader's active root organisation, which user and organisation uploads belong to. */
async function uploaderOrg(store: BulkStore, userId: string): Promise<OrgInfo | null> {
  const rootOrgId = await store.userRootOrgId(userId);
  const org = rootOrgId ? await store.org(rootOrgId) : null;
  return org && (org.status === null || org.status === 1) && org.channel ? org : null;
}

/** Validates and stores an upload, starts it, and returns its process id. */
export async function acceptUpload(deps: UploadDeps, type: BulkObjectType, caller: Caller, csv: string, locationType: string | null): Promise<{ processId: string }> {
  const { store } = deps;
  const prefix = UPLOAD_PREFIX[type];
  checkSize(prefix, csv, deps.limits);
  const lines = parseCsv(csv);
  if (lines.length < 2) throw clientError(prefix, '0010', 'CSV file is Empty.');
  const rules = columnRules(type, type === 'location' ? null : await store.setting(columnsSetting(type)));
  const fields = checkHeader(lines[0]!, rules, prefix);
  const maxLines = deps.limits.maxLines[type];
  if (lines.length > maxLines) throw clientError(prefix, '0007', formatMessage('Maximum upload data size should be {0}', maxLines - 1));
  let organisationId: string | null;
  if (type !== 'location') {
    const org = await uploaderOrg(store, caller.userId);
    if (!org) throw clientError(prefix, '0049', 'Not able to associate with root org');
    organisationId = org.id;
  } else organisationId = (await store.userRootOrgId(caller.userId)) ?? null;

  const now = (deps.now ?? (() => new Date()))();
  const processId = randomUUID();
  const tasks = lines.slice(1).map((cells, i) => {
    const record = rowRecord(fields, cells);
    return { sequenceId: i + 1, data: deps.cipher.encrypt(JSON.stringify(type === 'location' ? { ...record, type: locationType } : record)) };
  });
  // Tasks first: an upload row never points at missing tasks, even if this request dies half-way.
  await store.insertTasks(processId, tasks, now);
  await store.createProcess({ id: processId, objectType: type, organisationId, uploadedBy: caller.userId, taskCount: tasks.length, now, uploadedDate: sunbirdTimestamp(now) });
  deps.worker.start({ processId, objectType: type, caller });
  return { processId };
}

