/**
 * The CSV of bulk (un)enrolment (pure), as upstream's BulkUploadManagementActor reads it: a header
 * naming the columns `batchId` and `userIds`, then one row per batch whose `userIds` cell lists user
 * ids separated by commas (so the cell is quoted):
 *
 * ```csv
 * batchId,userIds
 * 0130598559365038081,"user-1,user-2"
 * ```
 */
import type { EnrolmentErrorKey } from './errors.ts';

/** The columns upstream allows. */
export const BULK_COLUMNS = ['batchId', 'userIds'] as const;

/** One batch of a bulk request and the users it names (distinct, in the order given). */
export interface BulkRow {
  batchId: string;
  userIds: string[];
}

/** The outcome of reading the CSV. */
export type BulkParse = { ok: true; rows: BulkRow[] } | { ok: false; error: EnrolmentErrorKey; args: unknown[] };

/** Splits CSV text into records of cells (RFC 4180: quoted cells, doubled quotes, CRLF or LF); null when a quote is left open. */
export function parseCsv(text: string): string[][] | null {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
    } else cell += c;
  }
  if (quoted) return null;
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push(cells);
  }
  // Blank lines carry nothing.
  return records.filter((r) => r.some((v) => v.trim() !== ''));
}

/**
 * Reads the bulk CSV: header check, then rows; at most `maxUsers` user ids over all rows. A row
 * without a batch id keeps an empty one (answered as an invalid batch).
 */
export function parseBulkCsv(text: string, maxUsers: number): BulkParse {
  if (text.trim() === '') return { ok: false, error: 'emptyCsv', args: [] };
  const records = parseCsv(text);
  if (records === null) return { ok: false, error: 'invalidCsv', args: [] };
  const [header, ...data] = records;
  if (!header) return { ok: false, error: 'emptyCsv', args: [] };
  const columns = header.map((h) => h.trim());
  const index = new Map<string, number>();
  for (const [i, name] of columns.entries()) {
    const known = BULK_COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (!known) return { ok: false, error: 'invalidColumns', args: [name, BULK_COLUMNS.join(', ')] };
    index.set(known, i);
  }
  if (!index.has('batchId') || !index.has('userIds')) {
    const missing = BULK_COLUMNS.find((c) => !index.has(c))!;
    return { ok: false, error: 'invalidColumns', args: [missing, BULK_COLUMNS.join(', ')] };
  }
  if (data.length === 0) return { ok: false, error: 'noDataRows', args: [] };
  const rows: BulkRow[] = [];
  let users = 0;
  for (const record of data) {
    const batchId = (record[index.get('batchId')!] ?? '').trim();
    const ids = (record[index.get('userIds')!] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const userIds = [...new Set(ids)];
    users += userIds.length;
    if (users > maxUsers) return { ok: false, error: 'dataSizeExceeded', args: [`${maxUsers} user ids`] };
    rows.push({ batchId, userIds });
  }
  return { ok: true, rows };
}
