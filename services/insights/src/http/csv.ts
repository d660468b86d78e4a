/**
 * Rows as CSV (RFC 4180): nested objects become `parent.child` columns, in the order first seen; a cell
 * with a comma, quote or line break is quoted. Hidden cells stay "<5"; unmeasured ones are empty.
 */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const flat = rows.map((row) => flatten(row));
  const columns: string[] = [];
  for (const row of flat) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const lines = [columns.map(cell).join(','), ...flat.map((row) => columns.map((c) => cell(row[c])).join(','))];
  return lines.join('\r\n') + '\r\n';
}

function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[`${prefix}${k}`] = v;
  }
  return out;
}

const cell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};
