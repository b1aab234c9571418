/**
 * What follows every batch change, in one place: the change and the `course-batch` index update it
 * causes go through the outbox together (one logged batch; the index is updated at once, or by the
 * relay when the engine is down).
 */
import { indexEntry, type CqlStatement } from '@lern/kit';
import { INDEX, type LmsDeps } from '../context.ts';

/** Writes a batch change and queues its index update. */
export async function writeBatchChange(deps: Pick<LmsDeps, 'outbox'>, statements: readonly CqlStatement[], batchId: string): Promise<void> {
  await deps.outbox.write(statements, [indexEntry(INDEX.batch, batchId)]);
}
