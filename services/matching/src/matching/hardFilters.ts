import { dateOf } from '../domain/shared/dates.js';
import { distanceKm } from '../domain/shared/geo.js';
import { cefrRank } from '../domain/shared/vocabulary.js';
import { rightToWork } from '../rightToWork/rightToWork.js';
import type { RightToWorkTable } from '../rightToWork/rules.js';
import { SAMPLE_RIGHT_TO_WORK_RULES } from '../rightToWork/sampleRules.js';
import { holdsLicence } from './licences.js';
import type { MatchableCandidate, MatchableOpportunity } from './model.js';
import { EXCLUDING_CODES, type ExcludingCode, type MatchReason } from './reasons.js';
import { DEFAULT_TUNING, type MatchTuning } from './weights.js';

const UNPAID_TYPES: readonly string[] = ['volunteering', 'mentoring'];

/** The day the work would start: the published start date, or today for an opportunity already running. */
export const effectiveStart = (opportunity: MatchableOpportunity, asOf: string): string => {
  const today = dateOf(asOf);
  return opportunity.details.startDate > today ? opportunity.details.startDate : today;
};

const excludes = (code: ExcludingCode, detail: string, pointer: string): MatchReason => ({
  code,
  effect: 'excludes',
  detail,
  pointer,
});

/**
 * Every hard rule a pair fails, with a sentence and the field it looks at, written plainly from the domain
 * records. The engine applies a columnar, faster form of the same rules; this one is the reference it is
 * tested against, and what a "why not" reads out.
 */
export function hardRuleReasons(
  candidate: MatchableCandidate,
  opportunity: MatchableOpportunity,
  asOf: string,
  table: RightToWorkTable = SAMPLE_RIGHT_TO_WORK_RULES,
  tuning: MatchTuning = DEFAULT_TUNING,
): MatchReason[] {
  const reasons: MatchReason[] = [];
  const o = opportunity.details;
  const p = candidate.profile;
  const start = effectiveStart(opportunity, asOf);
  if (opportunity.status !== 'open')
    reasons.push(excludes('opportunity_not_open', `the opportunity is ${opportunity.status}`, '/opportunity/status'));
  else if (o.closingDate !== null && o.closingDate < dateOf(asOf))
    reasons.push(
      excludes('opportunity_not_open', `applications closed on ${o.closingDate}`, '/opportunity/closingDate'),
    );
  const rtw = rightToWork(candidate.legalStatus, o.type, start, table);
  if (!rtw.allowed)
    reasons.push(
      candidate.datesShared === false
        ? excludes(
            'right_to_work_unknown',
            `right to work on ${start} unknown: the client's consent to job matching does not share the dates of the legal status (${rtw.basis})`,
            '/candidate/consent/scope',
          )
        : excludes('no_right_to_work', `no right to work on ${start}: ${rtw.basis}`, '/candidate/legalStatus'),
    );
  if (p.availability.from > start)
    reasons.push(
      excludes(
        'not_available_in_time',
        `available from ${p.availability.from}, the work starts ${start}`,
        '/candidate/profile/availability/from',
      ),
    );
  const minimum = o.hoursPerWeek * (1 - tuning.hoursShortTolerance);
  if (p.availability.hoursPerWeek < minimum - 1e-9)
    reasons.push(
      excludes(
        'not_enough_hours',
        `offers ${p.availability.hoursPerWeek} hours a week; ${o.hoursPerWeek} asked (at least ${Math.ceil(minimum)} considered)`,
        '/candidate/profile/availability/hoursPerWeek',
      ),
    );
  const unpaid = o.pay === null || o.contractType === 'unpaid' || UNPAID_TYPES.includes(o.type);
  if (unpaid && !p.preferences.opportunityTypes.includes(o.type) && !p.preferences.contractTypes.includes('unpaid'))
    reasons.push(
      excludes(
        'unpaid_not_accepted',
        `unpaid ${o.type}: the candidate has not said they accept ${o.type} or unpaid work`,
        '/candidate/profile/preferences/opportunityTypes',
      ),
    );
  if (!holdsLicence(p.drivingLicences, o.drivingLicence))
    reasons.push(
      excludes('driving_licence', `driving licence ${o.drivingLicence} needed`, '/candidate/profile/drivingLicences'),
    );
  for (const need of o.languages) {
    const held = p.languages.find((l) => l.language === need.language);
    // One level short is kept (and flagged); more than one, or not speaking it at all, excludes.
    if (!held || cefrRank(held.level) < cefrRank(need.minLevel) - 1)
      reasons.push(
        excludes(
          'language_gap',
          `${need.language}: ${need.minLevel} required, ${held?.level ?? 'none'} held`,
          '/candidate/profile/languages',
        ),
      );
  }
  if (o.location.remote === false) {
    if (p.preferences.remote === 'only')
      reasons.push(
        excludes(
          'wants_remote_only',
          'on-site work; the candidate wants remote work only',
          '/candidate/profile/preferences/remote',
        ),
      );
    const d = distanceKm(p.location.latitude, p.location.longitude, o.location.latitude, o.location.longitude);
    if (d > p.mobilityKm)
      reasons.push(
        excludes(
          'too_far',
          `${Math.round(d)} km away; the candidate travels up to ${p.mobilityKm} km`,
          '/candidate/profile/mobilityKm',
        ),
      );
  }
  return reasons;
}

/** The codes of hardRuleReasons, once each, in checking order. */
export function failedHardFilters(
  candidate: MatchableCandidate,
  opportunity: MatchableOpportunity,
  asOf: string,
  table: RightToWorkTable = SAMPLE_RIGHT_TO_WORK_RULES,
  tuning: MatchTuning = DEFAULT_TUNING,
): ExcludingCode[] {
  const codes = new Set(hardRuleReasons(candidate, opportunity, asOf, table, tuning).map((r) => r.code));
  return EXCLUDING_CODES.filter((c) => codes.has(c));
}
