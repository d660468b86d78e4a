import { distanceKm } from '../domain/shared/geo.js';
import { OPPORTUNITY_TYPES } from '../domain/shared/vocabulary.js';
import { NO_OCCUPATION, SEVERAL_OCCUPATIONS, type CandidateTable } from './candidateTable.js';
import type { OpportunityTable } from './opportunityTable.js';
import { EXCLUDES } from './reasons.js';
import type { MatchTuning } from './weights.js';

const TYPES = OPPORTUNITY_TYPES.length;
const UNPAID_CONTRACT_BIT = 1 << 5; // CONTRACT_TYPES.indexOf('unpaid')

/** What the score of one pair is made of. */
export interface PairParts {
  essentialMatched: number;
  optionalMatched: number;
  /** Position among the candidate's occupations of the closest one, -1 if none shares even a major group. */
  occupationVia: number;
  occupation: number;
  languages: number;
  /** Requirements met only one level short. */
  languagesShort: number;
  distanceKm: number;
  distance: number;
  preferences: number;
  /** Factor (≤ 1) for fewer hours than asked and for part-time work offered to someone wanting full time. */
  hoursFactor: number;
  partTimeFactor: number;
  score: number;
}

const scratch: PairParts = {
  essentialMatched: 0,
  optionalMatched: 0,
  occupationVia: -1,
  occupation: 0,
  languages: 0,
  languagesShort: 0,
  distanceKm: 0,
  distance: 0,
  preferences: 0,
  hoursFactor: 1,
  partTimeFactor: 1,
  score: 0,
};

/** Distance in km of the last pair that passed `checkPair` (0 for remote work). */
export let pairKm = 0;

/** Position of the occupation the last `occupationFit` took its similarity from (-1: none). */
let fitVia = -1;

/**
 * The hard rules of a pair, cheapest first, in the order of EXCLUDING_CODES. Returns -1 when the pair passes,
 * else the index of the first rule it fails; with `all`, every failing rule is collected (for a "why not").
 * `day` is the day the work would start (its start date, or today when already running).
 */
export function checkPair(
  c: CandidateTable,
  i: number,
  o: OpportunityTable,
  j: number,
  day: number,
  today: number,
  tuning: MatchTuning,
  all?: number[],
): number {
  // Without `all` the first failing rule returns at once; with it, every one is collected.
  const from = all ? all.length : 0;
  if (o.open[j] === 0 || o.closingDay[j]! < today) {
    if (!all) return EXCLUDES.opportunity_not_open;
    all.push(EXCLUDES.opportunity_not_open);
  }
  const t = i * TYPES + o.type[j]!;
  if (c.rtwFrom[t]! > day || c.rtwUntil[t]! < day) {
    const code = c.datesShared[i] === 0 ? EXCLUDES.right_to_work_unknown : EXCLUDES.no_right_to_work;
    if (!all) return code;
    all.push(code);
  }
  if (c.availableDay[i]! > day) {
    if (!all) return EXCLUDES.not_available_in_time;
    all.push(EXCLUDES.not_available_in_time);
  }
  if (c.hours[i]! < o.hours[j]! * (1 - tuning.hoursShortTolerance) - 1e-9) {
    if (!all) return EXCLUDES.not_enough_hours;
    all.push(EXCLUDES.not_enough_hours);
  }
  if (
    o.unpaid[j] === 1 &&
    ((c.prefTypes[i]! >> o.type[j]!) & 1) === 0 &&
    (c.prefContracts[i]! & UNPAID_CONTRACT_BIT) === 0
  ) {
    if (!all) return EXCLUDES.unpaid_not_accepted;
    all.push(EXCLUDES.unpaid_not_accepted);
  }
  const licence = o.licenceBit[j]!;
  if (licence !== 0 && (c.licences[i]! & licence) === 0) {
    if (!all) return EXCLUDES.driving_licence;
    all.push(EXCLUDES.driving_licence);
  }
  if (languageGap(c, i, o, j)) {
    if (!all) return EXCLUDES.language_gap;
    all.push(EXCLUDES.language_gap);
  }
  if (o.remote[j] === 1) pairKm = 0;
  else {
    if (c.remotePref[i] === 2) {
      if (!all) return EXCLUDES.wants_remote_only;
      all.push(EXCLUDES.wants_remote_only);
    }
    // A cheap reject on the latitude gap before the great-circle distance.
    if (!all && Math.abs(o.lat[j]! - c.lat[i]!) > c.mobilityLatDeg[i]! + 0.01) return EXCLUDES.too_far;
    pairKm = distanceKm(c.lat[i]!, c.lon[i]!, o.lat[j]!, o.lon[j]!);
    if (pairKm > c.mobilityKm[i]!) {
      if (!all) return EXCLUDES.too_far;
      all.push(EXCLUDES.too_far);
    }
  }
  return all && all.length > from ? all[from]! : -1;
}

/** Not speaking a required language at all, or more than one CEFR level below it. */
function languageGap(c: CandidateTable, i: number, o: OpportunityTable, j: number): boolean {
  const n = o.nLang[j]!;
  if (n === 0) return false;
  const od = o.pool.data;
  const cd = c.pool.data;
  const oBase = o.start[j]! + o.nEssential[j]! + o.nOptional[j]!;
  const cBase = c.start[i]! + c.nSkills[i]! + 2 * c.nOcc[i]!;
  const held = c.nLang[i]!;
  for (let r = 0; r < n; r++) {
    const code = od[oBase + 2 * r]!;
    let level = -1;
    for (let k = 0; k < held; k++) if (cd[cBase + 2 * k] === code) level = cd[cBase + 2 * k + 1]!;
    // Not speaking it at all excludes even when A1 is asked (A1 minus one level is not "none").
    if (level < 0 || level < od[oBase + 2 * r + 1]! - 1) return true;
  }
  return false;
}

const totalWeight = (t: MatchTuning): number => {
  const w = t.weights;
  return w.essentialSkills + w.optionalSkills + w.occupation + w.languages + w.distance + w.preferences;
};

/**
 * The best score a pair could reach once its skill overlap is known (every other part at its maximum, no
 * adjustment): when even that cannot enter the top k, the pair is skipped without the full score.
 */
export function scoreUpperBound(
  o: OpportunityTable,
  j: number,
  essentialMatched: number,
  optionalMatched: number,
  tuning: MatchTuning,
): number {
  const w = tuning.weights;
  const nE = o.nEssential[j]!;
  const nO = o.nOptional[j]!;
  const essential = nE === 0 ? 1 : essentialMatched / nE;
  const optional = nO === 0 ? 0.5 : optionalMatched / nO;
  return (
    (w.essentialSkills * essential +
      w.optionalSkills * optional +
      w.occupation +
      w.languages +
      w.distance +
      w.preferences) /
    totalWeight(tuning)
  );
}

/**
 * Scores a pair that passed the hard rules (`km` from checkPair). Skill overlaps are counted by the caller
 * (with a mark array, the fast way round for each direction). The returned object is reused: copy what you keep.
 */
export function scorePair(
  c: CandidateTable,
  i: number,
  o: OpportunityTable,
  j: number,
  essentialMatched: number,
  optionalMatched: number,
  km: number,
  tuning: MatchTuning,
): PairParts {
  const w = tuning.weights;
  const s = scratch;
  const cd = c.pool.data;
  const od = o.pool.data;
  const nE = o.nEssential[j]!;
  const nO = o.nOptional[j]!;
  s.essentialMatched = essentialMatched;
  s.optionalMatched = optionalMatched;
  const essential = nE === 0 ? 1 : essentialMatched / nE;
  // No optional skills listed: neutral, neither helps nor hurts against opportunities that list some.
  const optional = nO === 0 ? 0.5 : optionalMatched / nO;

  const best = occupationFit(c, i, o, j, tuning);
  const via = fitVia;
  s.occupation = best;
  s.occupationVia = via;

  let langSum = 0;
  let short = 0;
  const nL = o.nLang[j]!;
  const oL = o.start[j]! + nE + nO;
  const cL = c.start[i]! + c.nSkills[i]! + 2 * c.nOcc[i]!;
  for (let r = 0; r < nL; r++) {
    let held = -1;
    for (let k = 0, n = c.nLang[i]!; k < n; k++) if (cd[cL + 2 * k] === od[oL + 2 * r]) held = cd[cL + 2 * k + 1]!;
    if (held >= od[oL + 2 * r + 1]!) langSum += 1;
    else {
      langSum += tuning.oneLevelShortCredit;
      short++;
    }
  }
  s.languages = nL === 0 ? 1 : langSum / nL;
  s.languagesShort = short;

  const remote = o.remote[j] === 1;
  s.distanceKm = km;
  // Half the score is lost at half the person's mobility radius; remote work counts as next door.
  s.distance = remote ? 1 : Math.exp((-km * Math.LN2) / Math.max(1, c.mobilityKm[i]! / 2));

  s.preferences = preferencesFit(c, i, o, j);
  s.hoursFactor = hoursFactor(c, i, o, j, tuning);
  s.partTimeFactor = partTimeFactor(c, i, o, j, tuning);

  s.score =
    ((w.essentialSkills * essential +
      w.optionalSkills * optional +
      w.occupation * best +
      w.languages * s.languages +
      w.distance * s.distance +
      w.preferences * s.preferences) /
      totalWeight(tuning)) *
    s.hoursFactor *
    s.partTimeFactor;
  return s;
}

const iscoOf = (c: CandidateTable, occupation: number): number => c.iscoKeys[occupation]!;

/** Similarity of two occupations by the deepest ISCO level (unit, minor, sub-major, major group) they share. */
function levelSimilarity(
  occ: number,
  isco: number,
  otherOcc: number,
  otherIsco: number,
  iscoSim: MatchTuning['iscoSimilarity'],
): number {
  if (occ === otherOcc) return 1;
  if (isco === otherIsco) return iscoSim.unit;
  if (((isco / 10) | 0) === ((otherIsco / 10) | 0)) return iscoSim.minor;
  if (((isco / 100) | 0) === ((otherIsco / 100) | 0)) return iscoSim.subMajor;
  if (((isco / 1000) | 0) === ((otherIsco / 1000) | 0)) return iscoSim.major;
  return 0;
}

/** Similarity of the candidate's closest occupation to the opportunity's (0..1, by the deepest shared ISCO level). */
export function occupationFit(
  c: CandidateTable,
  i: number,
  o: OpportunityTable,
  j: number,
  tuning: MatchTuning,
): number {
  const cd = c.pool.data;
  let best = 0;
  let via = -1;
  const iscoSim = tuning.iscoSimilarity;
  const occBase = c.start[i]! + c.nSkills[i]!;
  const oOcc = o.occupation[j]!;
  const oIsco = o.isco[j]!;
  const practised = c.nPractised[i]!;
  for (let k = 0, n = c.nOcc[i]!; k < n; k++) {
    const occ = cd[occBase + 2 * k]!;
    const months = cd[occBase + 2 * k + 1]!;
    let sim = levelSimilarity(occ, iscoOf(c, occ), oOcc, oIsco, iscoSim);
    if (k >= practised) sim *= tuning.preferredOccupationFactor;
    // Less than a year of practice counts partly.
    else if (months < 12) sim *= 0.7 + (0.3 * months) / 12;
    if (sim > best) {
      best = sim;
      via = k;
    }
  }
  fitVia = via;
  return best;
}

/**
 * At least occupationFit, read from one column when the candidate has a single occupation: its level's
 * similarity without the reductions for short practice or a preferred occupation (when those reduce).
 */
function occupationCeiling(c: CandidateTable, i: number, o: OpportunityTable, j: number, tuning: MatchTuning): number {
  const occ = c.soleOccupation[i]!;
  if (occ === SEVERAL_OCCUPATIONS) return occupationFit(c, i, o, j, tuning);
  if (occ === NO_OCCUPATION) return 0;
  const sim = levelSimilarity(occ, iscoOf(c, occ), o.occupation[j]!, o.isco[j]!, tuning.iscoSimilarity);
  const factor = tuning.preferredOccupationFactor;
  return factor > 1 ? sim * factor : sim;
}

/** Share of the candidate's stated preferences (type, contract, remote) the opportunity meets. */
export function preferencesFit(c: CandidateTable, i: number, o: OpportunityTable, j: number): number {
  const types = c.prefTypes[i]!;
  const contracts = c.prefContracts[i]!;
  const typeOk = types === 0 ? 1 : (types >> o.type[j]!) & 1;
  const contractOk = contracts === 0 ? 1 : (contracts >> o.contract[j]!) & 1;
  const remoteFit = o.remote[j] === 1 && c.remotePref[i] === 0 ? 0 : 1;
  return (typeOk + contractOk + remoteFit) / 3;
}

/** Factor (≤ 1) for offering fewer hours than asked. */
export function hoursFactor(c: CandidateTable, i: number, o: OpportunityTable, j: number, tuning: MatchTuning): number {
  const offered = c.hours[i]!;
  const asked = o.hours[j]!;
  return offered < asked ? 1 - (tuning.hoursShortPenalty * (1 - offered / asked)) / tuning.hoursShortTolerance : 1;
}

/** Factor (≤ 1) for part-time work offered to someone available full time. */
export function partTimeFactor(
  c: CandidateTable,
  i: number,
  o: OpportunityTable,
  j: number,
  tuning: MatchTuning,
): number {
  const full = tuning.fullTimeHours;
  const asked = o.hours[j]!;
  return c.hours[i]! >= full && asked < full ? 1 - tuning.partTimePenalty * (1 - asked / full) : 1;
}

/**
 * The best score a candidate could reach for the opportunity with at most this skill overlap: every part but
 * occupation, languages and distance computed as scorePair does (same terms, same order, so never below its
 * score), the occupation at least as scored, languages and distance at their maximum; -1 when the slot is freed or the latitude gap alone puts an on-site
 * opportunity out of reach.
 */
export function candidateBound(
  c: CandidateTable,
  i: number,
  o: OpportunityTable,
  j: number,
  essentialMatched: number,
  optionalMatched: number,
  tuning: MatchTuning,
): number {
  // A freed slot can linger in an index list; the latitude test is checkPair's own cheap reject.
  if (c.alive[i] === 0) return -1;
  if (o.remote[j] === 0 && Math.abs(o.lat[j]! - c.lat[i]!) > c.mobilityLatDeg[i]! + 0.01) return -1;
  const w = tuning.weights;
  const nE = o.nEssential[j]!;
  const nO = o.nOptional[j]!;
  const essential = nE === 0 ? 1 : essentialMatched / nE;
  const optional = nO === 0 ? 0.5 : optionalMatched / nO;
  return (
    ((w.essentialSkills * essential +
      w.optionalSkills * optional +
      w.occupation * occupationCeiling(c, i, o, j, tuning) +
      w.languages +
      w.distance +
      w.preferences * preferencesFit(c, i, o, j)) /
      totalWeight(tuning)) *
    hoursFactor(c, i, o, j, tuning) *
    partTimeFactor(c, i, o, j, tuning)
  );
}
