/**
 * The compact ESCO 1.1.1 dataset committed under data/esco/ (derived by scripts/deriveEsco.ts).
 * Rows are tuples and relations are indices into `skills`, which keeps the file small and the parse fast.
 */
export const ESCO_DATASET_FORMAT = 1;

/** [ISCO-08 code (1–4 digits), English label]. The parent is the code minus its last digit. */
export type IscoRow = [code: string, label: string];
/** [short id (the UUID at the end of the ESCO URI), ISCO-08 4-digit code, preferred label, alternative labels]. */
export type OccupationRow = [id: string, isco: string, preferred: string, alt: string[]];
/** [short id, 'S' skill/competence | 'K' knowledge, preferred label, alternative labels]. */
export type SkillRow = [id: string, type: 'S' | 'K', preferred: string, alt: string[]];

export interface EscoDataset {
  format: typeof ESCO_DATASET_FORMAT;
  version: string;
  source: string;
  isco: IscoRow[];
  occupations: OccupationRow[];
  skills: SkillRow[];
  /** Per occupation (same order as `occupations`): indices into `skills`. */
  essential: number[][];
  optional: number[][];
}

export const OCCUPATION_URI_PREFIX = 'http://data.europa.eu/esco/occupation/';
export const SKILL_URI_PREFIX = 'http://data.europa.eu/esco/skill/';
