import type { components as Matching } from '@estia/contracts/generated/openapi.matching.js';

type Details = Matching['schemas']['OpportunityDetails'];
type Exhaustive<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [never] ? List : never;
/** A list that must name every term of the contract's enum: a new term fails the type check until offered. */
const exhaustive =
  <Union>() =>
  <const List extends readonly Union[]>(list: Exhaustive<Union, List>): List =>
    list;

export const OPPORTUNITY_TYPES = exhaustive<Details['type']>()([
  'job',
  'internship',
  'traineeship',
  'apprenticeship',
  'volunteering',
  'mentoring',
]);
export const CONTRACT_TYPES = exhaustive<Details['contractType']>()([
  'permanent',
  'fixed_term',
  'temporary',
  'seasonal',
  'freelance',
  'unpaid',
]);
export const PAY_PERIODS = exhaustive<NonNullable<Details['pay']>['per']>()(['hour', 'month', 'year', 'total']);
export const DRIVING_LICENCES = exhaustive<NonNullable<Details['drivingLicence']>>()([
  'AM',
  'A1',
  'A2',
  'A',
  'B',
  'BE',
  'C1',
  'C1E',
  'C',
  'CE',
  'D1',
  'D1E',
  'D',
  'DE',
]);
export const PLACEMENT_STATUSES = exhaustive<Matching['schemas']['Placement']['status']>()([
  'proposed',
  'interested',
  'not_interested',
  'applied',
  'interviewing',
  'offered',
  'hired',
  'not_hired',
  'withdrawn',
  'employment_ended',
]);
export const NOT_HIRED_REASONS = exhaustive<Matching['schemas']['RecordNotHired']['reason']>()([
  'not_selected',
  'offer_declined',
  'position_filled',
  'no_show',
  'other',
]);
export const APPLICATION_FIELDS = exhaustive<Matching['schemas']['SendApplication']['fields'][number]>()([
  'legal_status',
  'legal_status_dates',
  'languages',
  'location',
  'skills',
  'occupations',
  'education',
  'driving_licences',
  'availability',
]);
export const REASON_CODES = exhaustive<Matching['schemas']['MatchReason']['code']>()([
  'not_matchable',
  'opportunity_not_open',
  'right_to_work_unknown',
  'no_right_to_work',
  'not_available_in_time',
  'not_enough_hours',
  'fewer_hours',
  'part_time',
  'too_far',
  'wants_remote_only',
  'language_gap',
  'language_short',
  'driving_licence',
  'unpaid_not_accepted',
  'below_score_floor',
  'missing_skills',
]);
export const OCCUPATION_FITS = exhaustive<Matching['schemas']['Match']['occupation']['fit']>()([
  'same_occupation',
  'same_unit_group',
  'same_minor_group',
  'same_sub_major_group',
  'same_major_group',
  'none',
]);
export const FOLLOW_UP_STATES = exhaustive<Matching['schemas']['FollowUp']['state']>()([
  'upcoming',
  'due',
  'recorded',
  'not_needed',
]);

/** Languages a job in the network most often asks for (any ISO 639 code is accepted by the API). */
export const WORK_LANGUAGES = ['el', 'en', 'ar', 'fa', 'fr', 'uk', 'de', 'it', 'ps', 'ku', 'tr', 'ru'] as const;

/** Where the network's members work: a regional capital per region, as the place of work. */
export const PLACES = [
  { code: 'EL30', city: 'Athens', latitude: 37.9838, longitude: 23.7275 },
  { code: 'EL52', city: 'Thessaloniki', latitude: 40.6401, longitude: 22.9444 },
  { code: 'EL41', city: 'Mytilene', latitude: 39.11, longitude: 26.5547 },
  { code: 'EL54', city: 'Ioannina', latitude: 39.665, longitude: 20.8537 },
  { code: 'EL43', city: 'Heraklion', latitude: 35.3387, longitude: 25.1442 },
  { code: 'EL63', city: 'Patras', latitude: 38.2466, longitude: 21.7346 },
] as const;
