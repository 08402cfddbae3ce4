/** The fault matrix as text: an aligned table for the test output and Markdown for the run folder.
 *  Rows hold no secret: codes, counts, outcome words and the messages a user reads. */

export interface MatrixRow {
  fault: string;
  entry: string;
  /** Token requests the server received for this cell. */
  requests: number;
  /** The error code, or `-` when the entry succeeded. */
  code: string;
  /** What became of the stored credentials. */
  stored: string;
  /** What the user (or a consumer showing the rejection) reads. */
  message: string;
  ms: number;
}

const HEADERS = ['fault', 'entry', 'requests', 'code', 'stored', 'user message'] as const;
const MESSAGE_WIDTH = 90;

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 3)}...`;
}

function cells(row: MatrixRow, messageWidth = Infinity): string[] {
  return [row.fault, row.entry, String(row.requests), row.code, row.stored, truncate(row.message || '-', messageWidth)];
}

/** Columns padded to their widest cell, for a monospaced log; long messages truncated. */
export function textTable(rows: readonly MatrixRow[]): string {
  const body = rows.map((row) => cells(row, MESSAGE_WIDTH));
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...body.map((line) => line[i].length)));
  const line = (values: readonly string[]) => values.map((value, i) => value.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(HEADERS), widths.map((width) => '-'.repeat(width)).join('-|-'), ...body.map(line)].join('\n');
}

/** The whole messages, for reading later. */
export function markdownTable(rows: readonly MatrixRow[]): string {
  const escape = (value: string) => value.replace(/\|/g, '\\|');
  const line = (values: readonly string[]) => `| ${values.map(escape).join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows.map((row) => line(cells(row)))].join('\n');
}

/** Seconds spent per fault (all its entries), in table order, and the whole. */
export function timings(rows: readonly MatrixRow[]): string {
  const perFault = new Map<string, number>();
  for (const row of rows) {
    perFault.set(row.fault, (perFault.get(row.fault) ?? 0) + row.ms);
  }
  const total = rows.reduce((sum, row) => sum + row.ms, 0);
  const parts = [...perFault].map(([fault, ms]) => `${fault} ${(ms / 1000).toFixed(1)} s`);
  return `${rows.length} cells in ${(total / 1000).toFixed(1)} s (each cell from its own sign-in); per fault: ${parts.join(', ')}`;
}
