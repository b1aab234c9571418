/**
 * The `course-batch` index, derived from Cassandra: one document per batch (its API view), written
 * by the outbox after each batch change and rebuilt in bulk by POST /v1/data/sync and `lern reindex`.
 */
import type { BulkOp } from '@lern/kit';
import { INDEX, type LmsDeps } from '../context.ts';
import { batchView } from './view.ts';

/** Documents sent per bulk request when rebuilding. */
const BULK_SIZE = 200;

/** Re-reads a batch and writes its document, or removes the document when the batch is gone (idempotent). */
export async function indexBatch(deps: LmsDeps, batchId: string): Promise<void> {
  const batch = await deps.batches.get(batchId);
  if (batch) await deps.search.index(INDEX.batch, batchId, batchView(batch, deps.timeZone), { refresh: deps.refreshIndex });
  else await deps.search.delete(INDEX.batch, batchId, { refresh: deps.refreshIndex });
}

/** Rewrites the documents of the batches of `courseIds` (every batch when undefined); returns how many. */
export async function syncBatches(deps: Pick<LmsDeps, 'batches' | 'search' | 'timeZone'>, courseIds?: readonly string[]): Promise<number> {
  let ops: BulkOp[] = [];
  let count = 0;
  const flush = async (): Promise<void> => {
    if (ops.length === 0) return;
    const result = await deps.search.bulk(ops, { refresh: true });
    if (result.errors.length > 0) throw new Error(`index rebuild failed for ${result.errors.length} batches, e.g. ${result.errors[0]!.id}: ${result.errors[0]!.reason}`);
    ops = [];
  };
  await deps.batches.eachBatch(courseIds, async (batch) => {
    ops.push({ op: 'index', alias: INDEX.batch, id: batch.batchId, doc: batchView(batch, deps.timeZone) });
    count++;
    if (ops.length >= BULK_SIZE) await flush();
  });
  await flush();
  return count;
}
