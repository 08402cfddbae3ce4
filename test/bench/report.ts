/**
 * The bench's figures as one table (printed) and one JSON document (written): each row with this
 * extension's value, the reference's, their ratio, the target and whether it was met.
 */

export interface Figure {
  name: string;
  unit: string;
  ours: number | undefined;
  /** The reference's value; undefined where the figure has none (a count, a growth). */
  reference?: number;
  /** ours / reference, where both exist. */
  ratio?: number;
  /** The target as words, e.g. `ratio <= 0.50`. */
  target: string;
  pass: boolean;
  /** A figure shown for context, with no target of its own: never counted as met or missed. */
  info?: true;
  /** Why it could not be measured, when it could not. */
  error?: string;
}

export interface RatioTarget {
  name: string;
  unit: string;
  ours: number;
  reference: number;
  maxRatio: number;
}

export function ratioFigure({ name, unit, ours, reference, maxRatio }: RatioTarget): Figure {
  const ratio = ours / reference;
  return { name, unit, ours, reference, ratio, target: `ratio <= ${maxRatio.toFixed(2)}`, pass: Number.isFinite(ratio) && ratio <= maxRatio };
}

export function failedFigure(name: string, unit: string, target: string, error: string): Figure {
  return { name, unit, ours: undefined, target, pass: false, error };
}

function show(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) {
    return '-';
  }
  if (unit === 'KB') {
    return `${value.toFixed(1)} KB`;
  }
  if (unit === 'ms' || unit === 'µs') {
    return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ${unit}`;
  }
  return `${value}${unit ? ` ${unit}` : ''}`;
}

export function formatTable(figures: Figure[]): string {
  const header = ['figure', 'this extension', 'reference', 'ratio', 'target', 'result'];
  const rows = figures.map((f) => [
    f.name,
    show(f.ours, f.unit),
    show(f.reference, f.unit),
    f.ratio === undefined ? '-' : `${f.ratio.toFixed(2)}x`,
    f.target,
    f.info ? 'info' : f.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** The figures that carry a target (every row but the `info` ones). */
export function targeted(figures: Figure[]): Figure[] {
  return figures.filter((figure) => !figure.info);
}
