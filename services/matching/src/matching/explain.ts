import type { EscoCatalogue } from '../esco/catalogue.js';
import { dateOfEpochDay } from '../domain/shared/dates.js';
import { CEFR_LEVELS, OPPORTUNITY_TYPES } from '../domain/shared/vocabulary.js';
import { rightToWork } from '../rightToWork/rightToWork.js';
import type { RightToWorkDecision, RightToWorkTable } from '../rightToWork/rules.js';
import type { CandidateTable } from './candidateTable.js';
import type { Interner } from './compiled.js';
import type { OpportunityTable } from './opportunityTable.js';
import type { PairParts } from './pairScore.js';
import type { MatchReason } from './reasons.js';
import { labelOf, type MatchLabel, type MatchTuning, type MatchWeights } from './weights.js';

export interface SkillRef {
  id: string;
  label: string;
}

export interface Contribution {
  /** 0..1: how well this part fits. */
  value: number;
  /** Share of the score this part can give (weights normalised). */
  weight: number;
  /** value × weight: what it added to the score. */
  contribution: number;
}

export type OccupationFit =
  'same_occupation' | 'same_unit_group' | 'same_minor_group' | 'same_sub_major_group' | 'same_major_group' | 'none';

export interface LanguageFit {
  language: string;
  required: string;
  held: string | null;
  meets: boolean;
  /** "el: B1 required, A2 held". */
  text: string;
}

/** A match that explains itself in terms a person can check. */
export interface MatchResult {
  candidateId: string;
  opportunityId: string;
  score: number;
  label: MatchLabel;
  components: Record<keyof MatchWeights, Contribution>;
  /** Factor (≤ 1) the weighted sum was multiplied by (fewer hours, part time for someone wanting full time). */
  adjustment: number;
  skills: {
    matchedEssential: SkillRef[];
    missingEssential: SkillRef[];
    matchedOptional: SkillRef[];
    missingOptional: SkillRef[];
  };
  occupation: {
    fit: OccupationFit;
    opportunity: { id: string; label: string; isco: string };
    /** The candidate's occupation that gave the fit (practised, or only preferred). */
    via: { id: string; label: string; isco: string; practised: boolean; months: number } | null;
  };
  languages: LanguageFit[];
  /** null for remote work. */
  distanceKm: number | null;
  rightToWork: RightToWorkDecision;
  /** The detail of every reason that lowered the match. */
  flags: string[];
  /** What lowered the match, and the essential skills missing. */
  reasons: MatchReason[];
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

export interface ExplainContext {
  esco: EscoCatalogue;
  tuning: MatchTuning;
  rules: RightToWorkTable;
  languages: Interner;
}

export function explain(
  c: CandidateTable,
  i: number,
  o: OpportunityTable,
  j: number,
  parts: PairParts,
  day: number,
  { esco, tuning, rules, languages: codes }: ExplainContext,
): MatchResult {
  const w = tuning.weights;
  const total = w.essentialSkills + w.optionalSkills + w.occupation + w.languages + w.distance + w.preferences;
  const part = (weight: number, value: number): Contribution => ({
    value: round(value),
    weight: round(weight / total),
    contribution: round((weight / total) * value, 4),
  });
  const cd = c.pool.data;
  const od = o.pool.data;
  const held = new Set(cd.subarray(c.start[i]!, c.start[i]! + c.nSkills[i]!));
  const split = (from: number, n: number) => {
    const matched: SkillRef[] = [];
    const missing: SkillRef[] = [];
    for (let k = from; k < from + n; k++) {
      const s = od[k]!;
      (held.has(s) ? matched : missing).push({ id: esco.skillIdAt(s), label: esco.skillLabelAt(s) });
    }
    return { matched, missing };
  };
  const nE = o.nEssential[j]!;
  const nO = o.nOptional[j]!;
  const ess = split(o.start[j]!, nE);
  const opt = split(o.start[j]! + nE, nO);

  const reasons: MatchReason[] = [];
  const languages: LanguageFit[] = [];
  const oL = o.start[j]! + nE + nO;
  const cL = c.start[i]! + c.nSkills[i]! + 2 * c.nOcc[i]!;
  for (let r = 0; r < o.nLang[j]!; r++) {
    const code = od[oL + 2 * r]!;
    const language = codes.name(code);
    let level = -1;
    for (let k = 0; k < c.nLang[i]!; k++) if (cd[cL + 2 * k] === code) level = cd[cL + 2 * k + 1]!;
    const required = CEFR_LEVELS[od[oL + 2 * r + 1]!]!;
    const heldLevel = level < 0 ? null : CEFR_LEVELS[level]!;
    const meets = level >= od[oL + 2 * r + 1]!;
    const text = `${language}: ${required} required, ${heldLevel ?? 'none'} held`;
    languages.push({ language, required, held: heldLevel, meets, text });
    if (!meets)
      reasons.push({
        code: 'language_short',
        effect: 'lowers',
        detail: `language one level short (${text})`,
        pointer: '/candidate/profile/languages',
      });
  }
  const offered = c.hours[i]!;
  const asked = o.hours[j]!;
  if (parts.hoursFactor < 1)
    reasons.push({
      code: 'fewer_hours',
      effect: 'lowers',
      detail: `offers ${offered} of the ${asked} hours a week asked`,
      pointer: '/candidate/profile/availability/hoursPerWeek',
    });
  if (parts.partTimeFactor < 1)
    reasons.push({
      code: 'part_time',
      effect: 'lowers',
      detail: `part-time work (${asked} hours a week) for someone available full time (${offered})`,
      pointer: '/opportunity/hoursPerWeek',
    });
  if (ess.missing.length > 0)
    reasons.push({
      code: 'missing_skills',
      effect: 'informs',
      detail: `missing ${ess.missing.length} of ${nE} essential skills: ${ess.missing.map((s) => s.label).join(', ')}`,
      pointer: '/opportunity/essentialSkills',
    });

  const via = parts.occupationVia;
  const oOcc = esco.occupationAt(o.occupation[j]!);
  let fit: OccupationFit = 'none';
  let viaRef: MatchResult['occupation']['via'] = null;
  if (via >= 0) {
    const occBase = c.start[i]! + c.nSkills[i]!;
    const occ = cd[occBase + 2 * via]!;
    const a = c.iscoKeys[occ]!;
    const b = o.isco[j]!;
    fit =
      occ === o.occupation[j]
        ? 'same_occupation'
        : a === b
          ? 'same_unit_group'
          : ((a / 10) | 0) === ((b / 10) | 0)
            ? 'same_minor_group'
            : ((a / 100) | 0) === ((b / 100) | 0)
              ? 'same_sub_major_group'
              : 'same_major_group';
    const v = esco.occupationAt(occ);
    viaRef = {
      id: v.id,
      label: v.preferredLabel,
      isco: v.isco,
      practised: via < c.nPractised[i]!,
      months: cd[occBase + 2 * via + 1]!,
    };
  }

  const type = OPPORTUNITY_TYPES[o.type[j]!]!;
  return {
    candidateId: c.idOf(i),
    opportunityId: o.idOf(j),
    score: round(parts.score),
    label: labelOf(parts.score, tuning),
    components: {
      essentialSkills: part(w.essentialSkills, nE === 0 ? 1 : parts.essentialMatched / nE),
      optionalSkills: part(w.optionalSkills, nO === 0 ? 0.5 : parts.optionalMatched / nO),
      occupation: part(w.occupation, parts.occupation),
      languages: part(w.languages, parts.languages),
      distance: part(w.distance, parts.distance),
      preferences: part(w.preferences, parts.preferences),
    },
    adjustment: round(parts.hoursFactor * parts.partTimeFactor),
    skills: {
      matchedEssential: ess.matched,
      missingEssential: ess.missing,
      matchedOptional: opt.matched,
      missingOptional: opt.missing,
    },
    occupation: { fit, opportunity: { id: oOcc.id, label: oOcc.preferredLabel, isco: oOcc.isco }, via: viaRef },
    languages,
    distanceKm: o.remote[j] === 1 ? null : round(parts.distanceKm, 1),
    rightToWork: rightToWork(c.legalStatus(i), type, dateOfEpochDay(day), rules),
    flags: reasons.filter((r) => r.effect === 'lowers').map((r) => r.detail),
    reasons,
  };
}
