import { dateOf } from '../domain/shared/dates.js';
import { distanceKm } from '../domain/shared/geo.js';
import { cefrRank } from '../domain/shared/vocabulary.js';
import { rightToWork } from '../rightToWork/rightToWork.js';
import type { RightToWorkTable } from '../rightToWork/rules.js';
import { SAMPLE_RIGHT_TO_WORK_RULES } from '../rightToWork/sampleRules.js';
import { holdsLicence } from './licences.js';
import type { MatchableCandidate, MatchableOpportunity } from './model.js';

export type HardFilter =
  | 'opportunity_not_open'
  | 'no_right_to_work'
  | 'not_available_in_time'
  | 'not_enough_hours'
  | 'too_far'
  | 'wants_remote_only'
  | 'language_gap'
  | 'driving_licence';

/** The day the work would start: the published start date, or today for an opportunity already running. */
export const effectiveStart = (opportunity: MatchableOpportunity, asOf: string): string => {
  const today = dateOf(asOf);
  return opportunity.details.startDate > today ? opportunity.details.startDate : today;
};

/**
 * Which hard filters a pair fails, written plainly from the domain records. The engine uses a compiled,
 * faster form of the same rules; this one is the reference it is tested against and explains a "why not".
 */
export function failedHardFilters(
  candidate: MatchableCandidate,
  opportunity: MatchableOpportunity,
  asOf: string,
  table: RightToWorkTable = SAMPLE_RIGHT_TO_WORK_RULES,
): HardFilter[] {
  const failed: HardFilter[] = [];
  const o = opportunity.details;
  const p = candidate.profile;
  const start = effectiveStart(opportunity, asOf);
  if (opportunity.status !== 'open' || (o.closingDate !== null && o.closingDate < dateOf(asOf)))
    failed.push('opportunity_not_open');
  if (!rightToWork(candidate.legalStatus, o.type, start, table).allowed) failed.push('no_right_to_work');
  if (p.availability.from > start) failed.push('not_available_in_time');
  if (p.availability.hoursPerWeek < o.hoursPerWeek) failed.push('not_enough_hours');
  if (o.location.remote === false) {
    if (p.preferences.remote === 'only') failed.push('wants_remote_only');
    const d = distanceKm(p.location.latitude, p.location.longitude, o.location.latitude, o.location.longitude);
    if (d > p.mobilityKm) failed.push('too_far');
  }
  for (const need of o.languages) {
    const held = p.languages.find((l) => l.language === need.language);
    // One level short is kept (and flagged); more than one, or not speaking it at all, excludes.
    if (!held || cefrRank(held.level) < cefrRank(need.minLevel) - 1) {
      failed.push('language_gap');
      break;
    }
  }
  if (!holdsLicence(p.drivingLicences, o.drivingLicence)) failed.push('driving_licence');
  return failed;
}
