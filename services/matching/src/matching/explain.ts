import type { EscoCatalogue } from '../esco/catalogue.js';
import { dateOfEpochDay } from '../domain/shared/dates.js';
import { CEFR_LEVELS, OPPORTUNITY_TYPES } from '../domain/shared/vocabulary.js';
import { rightToWork } from '../rightToWork/rightToWork.js';
import type { RightToWorkDecision, RightToWorkTable } from '../rightToWork/rules.js';
import type { CompiledCandidate, CompiledOpportunity } from './compiled.js';
import type { PairParts } from './pairScore.js';
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
  /** "B1 required, A2 held". */
  text: string;
}

/** A match that explains itself in terms a person can check. */
export interface MatchResult {
  candidateId: string;
  opportunityId: string;
  score: number;
  label: MatchLabel;
  components: Record<keyof MatchWeights, Contribution>;
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
  /** Things a coach should look at: a language one level short, … */
  flags: string[];
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function explain(
  c: CompiledCandidate,
  o: CompiledOpportunity,
  parts: PairParts,
  day: number,
  esco: EscoCatalogue,
  tuning: MatchTuning,
  rules: RightToWorkTable,
): MatchResult {
  const w = tuning.weights;
  const total = w.essentialSkills + w.optionalSkills + w.occupation + w.languages + w.distance + w.preferences;
  const part = (weight: number, value: number): Contribution => ({
    value: round(value),
    weight: round(weight / total),
    contribution: round((weight / total) * value, 4),
  });

  const held = new Set(c.skills);
  const split = (list: Int32Array) => {
    const matched: SkillRef[] = [];
    const missing: SkillRef[] = [];
    for (const s of list)
      (held.has(s) ? matched : missing).push({ id: esco.skillIdAt(s), label: esco.skillLabelAt(s) });
    return { matched, missing };
  };
  const ess = split(o.essential);
  const opt = split(o.optional);

  const languages: LanguageFit[] = [];
  const flags: string[] = [];
  o.langCodes.forEach((code, i) => {
    const language = o.source.details.languages[i]!.language;
    const j = c.langCodes.indexOf(code);
    const required = CEFR_LEVELS[o.langMin[i]!]!;
    const level = j < 0 ? null : CEFR_LEVELS[c.langLevels[j]!]!;
    const meets = j >= 0 && c.langLevels[j]! >= o.langMin[i]!;
    const text = `${language}: ${required} required, ${level ?? 'none'} held`;
    languages.push({ language, required, held: level, meets, text });
    if (!meets) flags.push(`language one level short (${text})`);
  });

  const via = parts.occupationVia;
  const oOcc = esco.occupationAt(o.occupation);
  let fit: OccupationFit = 'none';
  let viaRef: MatchResult['occupation']['via'] = null;
  if (via >= 0) {
    const a = c.occIsco[via]!;
    fit =
      c.occupations[via] === o.occupation
        ? 'same_occupation'
        : a === o.isco
          ? 'same_unit_group'
          : ((a / 10) | 0) === ((o.isco / 10) | 0)
            ? 'same_minor_group'
            : ((a / 100) | 0) === ((o.isco / 100) | 0)
              ? 'same_sub_major_group'
              : 'same_major_group';
    const v = esco.occupationAt(c.occupations[via]!);
    viaRef = {
      id: v.id,
      label: v.preferredLabel,
      isco: v.isco,
      practised: via < c.occPreferredFrom,
      months: c.occMonths[via]!,
    };
  }

  const type = OPPORTUNITY_TYPES[o.type]!;
  const score = round(parts.score);
  return {
    candidateId: c.id,
    opportunityId: o.id,
    score,
    label: labelOf(parts.score, tuning),
    components: {
      essentialSkills: part(
        w.essentialSkills,
        o.essential.length === 0 ? 1 : parts.essentialMatched / o.essential.length,
      ),
      optionalSkills: part(w.optionalSkills, o.optional.length === 0 ? 0.5 : parts.optionalMatched / o.optional.length),
      occupation: part(w.occupation, parts.occupation),
      languages: part(w.languages, parts.languages),
      distance: part(w.distance, parts.distance),
      preferences: part(w.preferences, parts.preferences),
    },
    skills: {
      matchedEssential: ess.matched,
      missingEssential: ess.missing,
      matchedOptional: opt.matched,
      missingOptional: opt.missing,
    },
    occupation: { fit, opportunity: { id: oOcc.id, label: oOcc.preferredLabel, isco: oOcc.isco }, via: viaRef },
    languages,
    distanceKm: o.remote ? null : round(parts.distanceKm, 1),
    rightToWork: rightToWork(c.source.legalStatus, type, dateOfEpochDay(day), rules),
    flags,
  };
}
