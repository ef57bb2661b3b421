/** Output formats every result-printing command accepts. */
export type OutputFormat = 'table' | 'json' | 'csv';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv'];

type Cell = string | number | bigint | boolean | null | undefined;

function cellText(v: Cell): string {
  return v === null || v === undefined ? '' : String(v);
}

function csvCell(v: Cell): string {
  const s = cellText(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Renders rows as an aligned text table, JSON (one array) or CSV with a header row. */
export function renderRows(
  rows: readonly Record<string, Cell>[],
  format: OutputFormat,
  columns?: string[],
): string {
  const cols = columns ?? (rows.length > 0 ? Object.keys(rows[0]) : []);
  if (format === 'json') {
    return `${JSON.stringify(
      rows.map((r) =>
        Object.fromEntries(cols.map((c) => [c, typeof r[c] === 'bigint' ? Number(r[c]) : r[c]])),
      ),
      null,
      2,
    )}\n`;
  }
  if (format === 'csv') {
    return `${[cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n')}\n`;
  }
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cellText(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((s, i) => s.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return `${[line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cellText(r[c]))))].join('\n')}\n`;
}
