/**
 * CSV as upstream reads bulk uploads (opencsv defaults): comma separated, `"` quotes, `""` inside
 * quotes for a quote, line breaks allowed inside quotes, CRLF or LF, a UTF-8 byte-order mark ignored.
 * Lines whose cells are all empty are skipped, as upstream does.
 */

/** Parses CSV text into rows of cells (blank lines left out). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    row.push(cell);
    if (row.some((c) => c !== '')) rows.push(row);
    row = [];
    cell = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else if (c === '\n' || c === '\r') endRow();
    else cell += c;
    i++;
  }
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}
