/**
 * Small-cell suppression for published figures. A cell counting fewer than THRESHOLD people is shown as
 * "<5" (primary suppression, zero included). Then, for every additive group (a total and the parts that
 * sum to it: the providers of the network, the reasons of the rejected, the months of a period ...), a
 * group left with exactly one hidden cell would give it away by subtraction, so the smallest visible part
 * (or, with none left, the total) is hidden too (complementary suppression), until no group has exactly
 * one hidden cell.
 */
export const THRESHOLD = 5;
export const SUPPRESSED = '<5' as const;
export type Published = number | typeof SUPPRESSED;

export interface SuppressionGroup {
  total: string;
  parts: readonly string[];
}

export interface CellTable {
  /** People counts by cell id; only these are suppressed. */
  counts: Map<string, number>;
  groups: readonly SuppressionGroup[];
}

/** The ids of the cells to hide. Deterministic: ties are broken by cell id. */
export function suppressedCells(table: CellTable): Set<string> {
  const hidden = new Set<string>();
  for (const [id, value] of table.counts) if (value < THRESHOLD) hidden.add(id);
  const groups = table.groups.filter((g) => table.counts.has(g.total) && g.parts.every((p) => table.counts.has(p)));
  for (let changed = true; changed;) {
    changed = false;
    for (const group of groups) {
      const cells = [group.total, ...group.parts];
      if (cells.filter((c) => hidden.has(c)).length !== 1) continue;
      const visibleParts = group.parts.filter((p) => !hidden.has(p));
      const pick =
        visibleParts.length > 0
          ? visibleParts.reduce((best, p) => {
              const [bv, pv] = [table.counts.get(best)!, table.counts.get(p)!];
              return pv < bv || (pv === bv && p < best) ? p : best;
            })
          : group.total;
      // A group whose only cell is its total (no parts) cannot be differenced.
      if (hidden.has(pick)) continue;
      hidden.add(pick);
      changed = true;
    }
  }
  return hidden;
}

/** A count as published: the number, or "<5" when hidden. */
export const publish = (hidden: ReadonlySet<string>, id: string, value: number): Published =>
  hidden.has(id) ? SUPPRESSED : value;

/** A figure computed over `n` people (a median, a share) is shown only when n reaches the threshold. */
export const publishOver = (n: number, value: number | null): Published | null =>
  value === null ? null : n < THRESHOLD ? SUPPRESSED : value;
