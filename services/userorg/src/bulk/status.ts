/**
 * Status of an upload (upstream BulkUploadManagementActor.getUploadStatus): NOT STARTED / IN PROGRESS
 * with a message while it runs; when COMPLETED, the per-row results (successResult, failureResult),
 * with emails and phones of user rows masked. An upload that stopped on an error is FAILED (upstream
 * shows it as NOT STARTED).
 */
import { LernError, administers, forbidden, formatMessage, isSystemAdmin, type Caller } from '@lern/kit';
import { maskEmail, maskPhone, type PiiCipher } from '../pii.ts';
import { PROCESS_STATUS, type BulkStore } from './store.ts';

/** err prefix (upstream ActorOperations GET_BULK_OP_STATUS). */
export const STATUS_PREFIX = 'UOS_BLKSTSRED';

/** What the status read needs. */
export interface StatusDeps {
  store: BulkStore;
  cipher: PiiCipher;
}

/** Upstream BulkUploadJsonKey names. */
const NAMES: Readonly<Record<number, string>> = {
  [PROCESS_STATUS.NEW]: 'NOT STARTED',
  [PROCESS_STATUS.IN_PROGRESS]: 'IN PROGRESS',
  [PROCESS_STATUS.COMPLETED]: 'COMPLETED',
  [PROCESS_STATUS.FAILED]: 'FAILED',
};

/** One entry of the status answer. */
export interface StatusEntry {
  processId: string;
  status: string;
  message: string;
  objectType?: string;
  successResult?: Record<string, unknown>[];
  failureResult?: Record<string, unknown>[];
}

function masked(row: Record<string, unknown>): Record<string, unknown> {
  const out = { ...row };
  if (typeof out.email === 'string') out.email = maskEmail(out.email);
  if (typeof out.phone === 'string') out.phone = maskPhone(out.phone);
  return out;
}

/** The status of an upload, for its uploader or an administrator of the uploader's root organisation. */
export async function uploadStatus(deps: StatusDeps, caller: Caller, processId: string): Promise<{ response: StatusEntry[] }> {
  const p = await deps.store.process(processId);
  if (!p) throw new LernError('RESOURCE_NOT_FOUND', `${STATUS_PREFIX}0013`, formatMessage('Requested {0} resource not found', ''));
  const mayRead = p.uploadedBy === caller.userId || (p.organisationId !== null && administers(caller.grants, { orgIds: [p.organisationId], rootOrgId: p.organisationId })) || isSystemAdmin(caller.grants);
  if (!mayRead) throw forbidden('UOS_0071');
  const status = NAMES[p.status] ?? NAMES[PROCESS_STATUS.NEW]!;
  const entry: StatusEntry = { processId: p.id, status, message: formatMessage('Operation is {0}.', status.toLowerCase()) };
  if (p.status === PROCESS_STATUS.FAILED) {
    entry.objectType = p.objectType;
    entry.failureResult = [{ err_msg: p.failureResult ?? 'server error' }];
  }
  if (p.status === PROCESS_STATUS.COMPLETED) {
    const success: Record<string, unknown>[] = [];
    const failure: Record<string, unknown>[] = [];
    for (const task of await deps.store.tasks(p.id)) {
      const sealed = task.status === PROCESS_STATUS.COMPLETED ? task.successResult : task.failureResult;
      if (sealed === null) continue;
      const row = JSON.parse(deps.cipher.decrypt(sealed)) as Record<string, unknown>;
      const shown = p.objectType === 'user' ? masked(row) : row;
      (task.status === PROCESS_STATUS.COMPLETED ? success : failure).push(shown);
    }
    Object.assign(entry, { objectType: p.objectType, successResult: success, failureResult: failure });
  }
  return { response: [entry] };
}
