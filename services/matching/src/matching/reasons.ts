/**
 * The rules that keep a candidate and an opportunity apart (excludes), rank a match lower (lowers) or explain
 * it (informs), named by one code each. Order = the order the engine checks them (cheapest first): a pair's
 * first failing rule is the one counted in a list's `excluded`.
 */
export const EXCLUDING_CODES = [
  'opportunity_not_open',
  'right_to_work_unknown',
  'no_right_to_work',
  'not_available_in_time',
  'not_enough_hours',
  'unpaid_not_accepted',
  'driving_licence',
  'language_gap',
  'wants_remote_only',
  'too_far',
  'below_score_floor',
] as const;
export const LOWERING_CODES = ['fewer_hours', 'part_time', 'language_short'] as const;
export const REASON_CODES = ['not_matchable', ...EXCLUDING_CODES, ...LOWERING_CODES, 'missing_skills'] as const;

export type ExcludingCode = (typeof EXCLUDING_CODES)[number];
export type ReasonCode = (typeof REASON_CODES)[number];

export interface MatchReason {
  code: ReasonCode;
  effect: 'excludes' | 'lowers' | 'informs';
  /** A sentence a coach can act on. */
  detail: string;
  /** The field the rule looks at: /candidate/… or /opportunity/…. */
  pointer?: string;
}

/** Index of an excluding code (the engine counts exclusions by it). */
export const EXCLUDES = Object.fromEntries(EXCLUDING_CODES.map((c, i) => [c, i])) as Record<ExcludingCode, number>;

export interface ExclusionCount {
  code: ExcludingCode;
  count: number;
}

export const exclusionCounts = (counts: ArrayLike<number>): ExclusionCount[] =>
  EXCLUDING_CODES.map((code, i) => ({ code, count: counts[i]! })).filter((c) => c.count > 0);
