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
}

export const DEFAULT_TUNING: MatchTuning = {
  weights: DEFAULT_WEIGHTS,
  strongFrom: 0.6,
  partialFrom: 0.4,
  iscoSimilarity: { unit: 0.75, minor: 0.5, subMajor: 0.3, major: 0.1 },
  preferredOccupationFactor: 0.8,
  oneLevelShortCredit: 0.5,
};

export type MatchLabel = 'strong' | 'partial' | 'weak';

export const labelOf = (score: number, tuning: MatchTuning): MatchLabel =>
  score >= tuning.strongFrom ? 'strong' : score >= tuning.partialFrom ? 'partial' : 'weak';
