/**
 * ESCO occupations ordered by ISCO key (see iscoKey): the occupations sharing an ISCO group at any level form
 * one run of that order, so a search can walk out from an opportunity's occupation level by level.
 */
export class IscoOrder {
  /** Occupation indices, by ISCO key. */
  readonly occupations: Int32Array;
  private readonly keys: Int32Array;

  constructor(iscoKeys: Int32Array) {
    this.occupations = Int32Array.from(iscoKeys.keys()).sort((a, b) => iscoKeys[a]! - iscoKeys[b]! || a - b);
    this.keys = Int32Array.from(this.occupations, (k) => iscoKeys[k]!);
  }

  /**
   * Positions [from, to) of the occupations whose key shares `key`'s quotient by `unit` (1: same unit group,
   * 10: minor, 100: sub-major, 1000: major group).
   */
  range(key: number, unit: number): [number, number] {
    const lo = Math.floor(key / unit) * unit;
    return [this.lowerBound(lo), this.lowerBound(lo + unit)];
  }

  private lowerBound(value: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
