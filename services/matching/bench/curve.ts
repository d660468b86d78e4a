/** The growth-curve table of the matching benchmark (the exponent fit is the shared one in bench/curve.ts). */

/** A fixed-width table, one row per size. */
export function curveTable(header: readonly string[], rows: readonly (string | number)[][]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  return cells.map((r) => r.map((v, c) => v.padStart(widths[c]!)).join('  ')).join('\n');
}
