import { distanceKm } from '../domain/shared/geo.js';
import type { CompiledCandidate, CompiledOpportunity } from './compiled.js';
import type { MatchTuning } from './weights.js';

/** What the compiled hard filters and the score need to know about one pair. */
export interface PairParts {
  essentialMatched: number;
  optionalMatched: number;
  /** Index into candidate.occupations of the closest occupation, -1 if none shares even a major group. */
  occupationVia: number;
  occupation: number;
  languages: number;
  /** Requirements met only one level short. */
  languagesShort: number;
  distanceKm: number;
  distance: number;
  preferences: number;
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
  score: 0,
};

/**
 * Hard filters other than skills, on compiled records (cheapest first). `day` is the effective start day.
 * Returns the distance in km (0 for remote work), or -1 when the pair is excluded.
 */
export function passesHardFilters(c: CompiledCandidate, o: CompiledOpportunity, day: number, today: number): number {
  if (!o.open || o.closingDay < today) return -1;
  if (c.rtwFrom[o.type]! > day || c.rtwUntil[o.type]! < day) return -1;
  if (c.availableDay > day || c.hours < o.hours) return -1;
  if (o.licenceBit !== 0 && (c.licences & o.licenceBit) === 0) return -1;
  for (let i = 0; i < o.langCodes.length; i++) {
    const code = o.langCodes[i]!;
    let held = -1;
    for (let j = 0; j < c.langCodes.length; j++) if (c.langCodes[j] === code) held = c.langLevels[j]!;
    // Not speaking it at all excludes even when A1 is asked (A1 minus one level is not "none").
    if (held < 0 || held < o.langMin[i]! - 1) return -1;
  }
  if (o.remote) return 0;
  if (c.remotePref === 2) return -1;
  if (Math.abs(o.lat - c.lat) > c.mobilityLatDeg + 0.01) return -1;
  const d = distanceKm(c.lat, c.lon, o.lat, o.lon);
  return d <= c.mobilityKm ? d : -1;
}

/**
 * The best score a pair could reach once its skill overlap is known (every other part at its maximum):
 * when even that cannot enter the top k, the pair is skipped without the full score.
 */
export function scoreUpperBound(
  o: CompiledOpportunity,
  essentialMatched: number,
  optionalMatched: number,
  tuning: MatchTuning,
): number {
  const w = tuning.weights;
  const total = w.essentialSkills + w.optionalSkills + w.occupation + w.languages + w.distance + w.preferences;
  const essential = o.essential.length === 0 ? 1 : essentialMatched / o.essential.length;
  const optional = o.optional.length === 0 ? 0.5 : optionalMatched / o.optional.length;
  return (
    (w.essentialSkills * essential +
      w.optionalSkills * optional +
      w.occupation +
      w.languages +
      w.distance +
      w.preferences) /
    total
  );
}

/**
 * Scores a pair that passed the hard filters. Skill overlaps are counted by the caller (with a mark array,
 * the fast way round for each direction). The returned object is reused: copy what you keep.
 */
export function scorePair(
  c: CompiledCandidate,
  o: CompiledOpportunity,
  essentialMatched: number,
  optionalMatched: number,
  km: number,
  tuning: MatchTuning,
): PairParts {
  const w = tuning.weights;
  const s = scratch;
  s.essentialMatched = essentialMatched;
  s.optionalMatched = optionalMatched;
  const essential = o.essential.length === 0 ? 1 : essentialMatched / o.essential.length;
  // No optional skills listed: neutral, neither helps nor hurts against opportunities that list some.
  const optional = o.optional.length === 0 ? 0.5 : optionalMatched / o.optional.length;

  let best = 0;
  let via = -1;
  const iscoSim = tuning.iscoSimilarity;
  for (let i = 0; i < c.occupations.length; i++) {
    let sim = 0;
    const a = c.occIsco[i]!;
    if (c.occupations[i] === o.occupation) sim = 1;
    else if (a === o.isco) sim = iscoSim.unit;
    else if (((a / 10) | 0) === ((o.isco / 10) | 0)) sim = iscoSim.minor;
    else if (((a / 100) | 0) === ((o.isco / 100) | 0)) sim = iscoSim.subMajor;
    else if (((a / 1000) | 0) === ((o.isco / 1000) | 0)) sim = iscoSim.major;
    if (i >= c.occPreferredFrom) sim *= tuning.preferredOccupationFactor;
    // Less than a year of practice counts partly.
    else if (c.occMonths[i]! < 12) sim *= 0.7 + (0.3 * c.occMonths[i]!) / 12;
    if (sim > best) {
      best = sim;
      via = i;
    }
  }
  s.occupation = best;
  s.occupationVia = via;

  let langSum = 0;
  let short = 0;
  for (let i = 0; i < o.langCodes.length; i++) {
    let held = -1;
    for (let j = 0; j < c.langCodes.length; j++) if (c.langCodes[j] === o.langCodes[i]) held = c.langLevels[j]!;
    if (held >= o.langMin[i]!) langSum += 1;
    else {
      langSum += tuning.oneLevelShortCredit;
      short++;
    }
  }
  s.languages = o.langCodes.length === 0 ? 1 : langSum / o.langCodes.length;
  s.languagesShort = short;

  s.distanceKm = km;
  // Half the score is lost at half the person's mobility radius; remote work counts as next door.
  s.distance = o.remote ? 1 : Math.exp((-km * Math.LN2) / Math.max(1, c.mobilityKm / 2));

  const typeOk = (c.prefTypes >> o.type) & 1;
  const contractOk = (c.prefContracts >> o.contract) & 1;
  const remoteFit = o.remote && c.remotePref === 0 ? 0 : 1;
  s.preferences = (typeOk + contractOk + remoteFit) / 3;

  const total = w.essentialSkills + w.optionalSkills + w.occupation + w.languages + w.distance + w.preferences;
  s.score =
    (w.essentialSkills * essential +
      w.optionalSkills * optional +
      w.occupation * best +
      w.languages * s.languages +
      w.distance * s.distance +
      w.preferences * s.preferences) /
    total;
  return s;
}
