/** How much each part of a match counts. Normalised by their sum, so only the proportions matter. */
export interface MatchWeights {
  essentialSkills: number;
  optionalSkills: number;
  occupation: number;
  languages: number;
  distance: number;
  preferences: number;
}

export const DEFAULT_WEIGHTS: MatchWeights = {
  essentialSkills: 0.35,
  optionalSkills: 0.1,
  occupation: 0.25,
  languages: 0.1,
  distance: 0.1,
  preferences: 0.1,
};

export interface MatchTuning {
  weights: MatchWeights;
  /** Score thresholds of the labels a person reads. */
  strongFrom: number;
  partialFrom: number;
  /** Occupation similarity by the deepest shared ISCO-08 level (same ESCO occupation scores 1). */
  iscoSimilarity: { unit: number; minor: number; subMajor: number; major: number };
  /** A preferred (but never practised) occupation counts this much of a practised one. */
  preferredOccupationFactor: number;
  /** Credit for a language one CEFR level short (kept, flagged). */
  oneLevelShortCredit: number;
  /** Matches scoring below this are not listed (a truck driver is not shown nursing jobs to fill a page). */
  scoreFloor: number;
  /** A person offering fewer hours than asked, by at most this share, is kept (ranked lower, flagged). */
  hoursShortTolerance: number;
  /** Score lost at the full tolerance (proportionally less for a smaller shortfall). */
  hoursShortPenalty: number;
  /** Hours a week from which work counts as full time, and a person offering them as wanting it. */
  fullTimeHours: number;
  /** Score lost by a part-time job for someone wanting full time, at zero hours (proportional to the hours missing). */
  partTimePenalty: number;
}

export const DEFAULT_TUNING: MatchTuning = {
  weights: DEFAULT_WEIGHTS,
  strongFrom: 0.6,
  partialFrom: 0.4,
  iscoSimilarity: { unit: 0.75, minor: 0.5, subMajor: 0.3, major: 0.1 },
  preferredOccupationFactor: 0.8,
  oneLevelShortCredit: 0.5,
  scoreFloor: 0.35,
  hoursShortTolerance: 0.25,
  hoursShortPenalty: 0.15,
  fullTimeHours: 35,
  partTimePenalty: 0.25,
};

/** The tuning with a score floor from the environment (MATCH_SCORE_FLOOR, 0..1), as the service starts it. */
export const tuningFromEnv = (env: Record<string, string | undefined>, base: MatchTuning = DEFAULT_TUNING) => {
  const raw = env.MATCH_SCORE_FLOOR;
  if (raw === undefined || raw === '') return base;
  const floor = Number(raw);
  if (!Number.isFinite(floor) || floor < 0 || floor > 1)
    throw new Error(`MATCH_SCORE_FLOOR must be a number from 0 to 1 (got "${raw}")`);
  return { ...base, scoreFloor: floor };
};

export type MatchLabel = 'strong' | 'partial' | 'weak';

export const labelOf = (score: number, tuning: MatchTuning): MatchLabel =>
  score >= tuning.strongFrom ? 'strong' : score >= tuning.partialFrom ? 'partial' : 'weak';
