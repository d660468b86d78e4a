/** Growth curves for benchmarks: how time and memory grow with size, and the fitted exponent (1.0 = linear). */

/** Least-squares slope of log(y) against log(x): y ∝ x^exponent. */
export function fittedExponent(points: readonly { size: number; value: number }[]): number | null {
  const usable = points.filter((p) => p.size > 0 && p.value > 0);
  if (usable.length < 2) return null;
  const xs = usable.map((p) => Math.log(p.size));
  const ys = usable.map((p) => Math.log(p.value));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? null : Math.round((num / den) * 100) / 100;
}

/** A fixed-width table, one row per size. */
export function curveTable(header: readonly string[], rows: readonly (string | number)[][]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  return cells.map((r) => r.map((v, c) => v.padStart(widths[c]!)).join('  ')).join('\n');
}
