import type { EscoCatalogue } from '../esco/catalogue.js';
import { epochDay } from '../domain/shared/dates.js';
import { CONTRACT_TYPES, OPPORTUNITY_TYPES, cefrRank } from '../domain/shared/vocabulary.js';
import { rightToWorkWindow } from '../rightToWork/rightToWork.js';
import type { RightToWorkTable } from '../rightToWork/rules.js';
import { licenceBit, licenceMask } from './licences.js';
import { slabInt32, slabUint16, slabUint8 } from './slab.js';
import type { MatchableCandidate, MatchableOpportunity } from './model.js';

export const NEVER = 2_147_483_647;
export const ALWAYS = -2_147_483_648;

/** Interns ISO 639 codes to small integers so language checks compare numbers. */
export class LanguageCodes {
  private readonly codes = new Map<string, number>();
  intern(code: string): number {
    let n = this.codes.get(code);
    if (n === undefined) this.codes.set(code, (n = this.codes.size));
    return n;
  }
}

/**
 * An opportunity reduced to numbers: ESCO skills as sorted dense indices, dates as epoch days, ISCO code as
 * 1 followed by its 4 digits (so "0110" keeps its leading zero and a shared prefix is a shared quotient).
 */
export interface CompiledOpportunity {
  id: string;
  source: MatchableOpportunity;
  open: boolean;
  closingDay: number;
  type: number;
  contract: number;
  occupation: number;
  isco: number;
  essential: Int32Array;
  optional: Int32Array;
  langCodes: Uint16Array;
  langMin: Uint8Array;
  remote: boolean;
  lat: number;
  lon: number;
  licenceBit: number;
  startDay: number;
  hours: number;
}

export interface CompiledCandidate {
  id: string;
  source: MatchableCandidate;
  skills: Int32Array;
  /** Practised occupations, then preferred ones (flagged by `occPreferredFrom`). */
  occupations: Int32Array;
  occIsco: Int32Array;
  occMonths: Int32Array;
  occPreferredFrom: number;
  langCodes: Uint16Array;
  langLevels: Uint8Array;
  lat: number;
  lon: number;
  mobilityKm: number;
  /** Degrees of latitude the mobility radius spans: a cheap reject before the great-circle distance. */
  mobilityLatDeg: number;
  licences: number;
  availableDay: number;
  hours: number;
  /** Right-to-work window per opportunity type: [from, until] in epoch days; from = NEVER when not allowed. */
  rtwFrom: Int32Array;
  rtwUntil: Int32Array;
  prefTypes: number;
  prefContracts: number;
  remotePref: 0 | 1 | 2;
}

export const iscoKey = (code: string): number => Number(`1${code.padEnd(4, '0').slice(0, 4)}`);

const sortedUnique = (values: number[]): Int32Array =>
  slabInt32([...new Set(values.filter((v) => v >= 0))].sort((a, b) => a - b));

export function compileOpportunity(
  o: MatchableOpportunity,
  esco: EscoCatalogue,
  langs: LanguageCodes,
): CompiledOpportunity {
  const d = o.details;
  const occupation = esco.occupationIndex(d.occupation);
  return {
    id: o.id,
    source: o,
    open: o.status === 'open',
    closingDay: d.closingDate === null ? NEVER : epochDay(d.closingDate),
    type: OPPORTUNITY_TYPES.indexOf(d.type),
    contract: CONTRACT_TYPES.indexOf(d.contractType),
    occupation,
    isco: occupation < 0 ? 0 : iscoKey(esco.occupationIscoAt(occupation)),
    essential: sortedUnique(d.essentialSkills.map((s) => esco.skillIndex(s))),
    optional: sortedUnique(d.optionalSkills.map((s) => esco.skillIndex(s))),
    langCodes: slabUint16(d.languages.map((l) => langs.intern(l.language))),
    langMin: slabUint8(d.languages.map((l) => cefrRank(l.minLevel))),
    remote: d.location.remote,
    lat: d.location.remote ? 0 : d.location.latitude,
    lon: d.location.remote ? 0 : d.location.longitude,
    licenceBit: d.drivingLicence === null ? 0 : licenceBit(d.drivingLicence),
    startDay: epochDay(d.startDate),
    hours: d.hoursPerWeek,
  };
}

export function compileCandidate(
  c: MatchableCandidate,
  esco: EscoCatalogue,
  langs: LanguageCodes,
  rules: RightToWorkTable,
): CompiledCandidate {
  const p = c.profile;
  const practised = p.occupations
    .map((o) => ({ idx: esco.occupationIndex(o.occupation), months: o.months }))
    .filter((o) => o.idx >= 0);
  const preferred = p.preferences.occupations.map((id) => esco.occupationIndex(id)).filter((i) => i >= 0);
  const occ = [...practised, ...preferred.map((idx) => ({ idx, months: 0 }))];
  const rtwFrom: number[] = [];
  const rtwUntil: number[] = [];
  OPPORTUNITY_TYPES.forEach((type, t) => {
    const w = rightToWorkWindow(c.legalStatus, type, rules);
    rtwFrom[t] = !w.allowed ? NEVER : w.from === undefined ? ALWAYS : epochDay(w.from);
    rtwUntil[t] = !w.allowed ? ALWAYS : w.until === undefined ? NEVER : epochDay(w.until);
  });
  const mask = (list: readonly string[], vocabulary: readonly string[]) =>
    list.length === 0 ? 0xff : list.reduce((m, v) => m | (1 << vocabulary.indexOf(v)), 0);
  return {
    id: c.id,
    source: c,
    skills: sortedUnique(p.skills.map((s) => esco.skillIndex(s))),
    occupations: slabInt32(occ.map((o) => o.idx)),
    occIsco: slabInt32(occ.map((o) => iscoKey(esco.occupationIscoAt(o.idx)))),
    occMonths: slabInt32(occ.map((o) => o.months)),
    occPreferredFrom: practised.length,
    langCodes: slabUint16(p.languages.map((l) => langs.intern(l.language))),
    langLevels: slabUint8(p.languages.map((l) => cefrRank(l.level))),
    lat: p.location.latitude,
    lon: p.location.longitude,
    mobilityKm: p.mobilityKm,
    mobilityLatDeg: p.mobilityKm / 110.574,
    licences: licenceMask(p.drivingLicences),
    availableDay: epochDay(p.availability.from),
    hours: p.availability.hoursPerWeek,
    rtwFrom: slabInt32(rtwFrom),
    rtwUntil: slabInt32(rtwUntil),
    prefTypes: mask(p.preferences.opportunityTypes, OPPORTUNITY_TYPES),
    prefContracts: mask(p.preferences.contractTypes, CONTRACT_TYPES),
    remotePref: p.preferences.remote === 'no' ? 0 : p.preferences.remote === 'also' ? 1 : 2,
  };
}
