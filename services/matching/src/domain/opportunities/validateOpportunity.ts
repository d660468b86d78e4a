import { isLatitude, isLongitude } from '../shared/geo.js';
import type { EscoLookup } from '../shared/escoLookup.js';
import { Problems, isFiniteNumber, isIsoDate, isNonEmptyText } from '../shared/problems.js';
import {
  CEFR_LEVELS,
  CONTRACT_TYPES,
  DRIVING_LICENCES,
  OPPORTUNITY_TYPES,
  PAY_PERIODS,
  isLanguageCode,
  isOneOf,
} from '../shared/vocabulary.js';
import type { OpportunityDetails } from './opportunity.js';

const BASE = '/body';

/** Every field problem of an opportunity, with JSON pointers; unknown ESCO codes are named. */
export function validateOpportunity(d: OpportunityDetails, esco: EscoLookup, today: string): void {
  const p = new Problems();
  p.check(isOneOf(OPPORTUNITY_TYPES, d.type), `${BASE}/type`, `must be one of ${OPPORTUNITY_TYPES.join(', ')}`);
  p.check(isNonEmptyText(d.title, 200), `${BASE}/title`, 'must be 1–200 characters');
  if (p.check(typeof d.occupation === 'string', `${BASE}/occupation`, 'is required (ESCO occupation id)'))
    p.check(esco.occupationIndex(d.occupation) >= 0, `${BASE}/occupation`, `unknown ESCO occupation "${d.occupation}"`);

  const seen = new Set<string>();
  for (const field of ['essentialSkills', 'optionalSkills'] as const) {
    const list = d[field];
    if (
      !p.check(
        Array.isArray(list) && list.length <= 100,
        `${BASE}/${field}`,
        'must be a list of at most 100 ESCO skill ids',
      )
    )
      continue;
    list.forEach((skill, i) => {
      if (esco.skillIndex(skill) < 0) p.add(`${BASE}/${field}/${i}`, `unknown ESCO skill "${String(skill)}"`);
      else if (seen.has(skill)) p.add(`${BASE}/${field}/${i}`, `skill "${skill}" is listed twice`);
      seen.add(skill);
    });
  }
  if (Array.isArray(d.essentialSkills))
    p.check(d.essentialSkills.length >= 1, `${BASE}/essentialSkills`, 'needs at least one essential skill');

  if (p.check(Array.isArray(d.languages), `${BASE}/languages`, 'must be a list')) {
    const langs = new Set<string>();
    d.languages.forEach((l, i) => {
      p.check(isLanguageCode(l?.language), `${BASE}/languages/${i}/language`, 'must be an ISO 639 code');
      p.check(isOneOf(CEFR_LEVELS, l?.minLevel), `${BASE}/languages/${i}/minLevel`, 'must be a CEFR level A1–C2');
      p.check(!langs.has(l?.language), `${BASE}/languages/${i}/language`, 'is listed twice');
      langs.add(l?.language);
    });
  }

  const loc = d.location;
  if (
    p.check(
      typeof loc === 'object' && loc !== null && typeof loc.remote === 'boolean',
      `${BASE}/location`,
      'needs remote: true or coordinates',
    )
  )
    if (!loc.remote) {
      p.check(isLatitude(loc.latitude), `${BASE}/location/latitude`, 'must be between -90 and 90');
      p.check(isLongitude(loc.longitude), `${BASE}/location/longitude`, 'must be between -180 and 180');
    }

  p.check(
    isOneOf(CONTRACT_TYPES, d.contractType),
    `${BASE}/contractType`,
    `must be one of ${CONTRACT_TYPES.join(', ')}`,
  );
  p.check(
    isFiniteNumber(d.hoursPerWeek) && d.hoursPerWeek > 0 && d.hoursPerWeek <= 60,
    `${BASE}/hoursPerWeek`,
    'must be between 0 and 60',
  );
  if (d.pay !== null) {
    p.check(
      isFiniteNumber(d.pay?.amount) && d.pay.amount > 0,
      `${BASE}/pay/amount`,
      'must be positive (or pay: null when unpaid)',
    );
    p.check(
      typeof d.pay?.currency === 'string' && /^[A-Z]{3}$/.test(d.pay.currency),
      `${BASE}/pay/currency`,
      'must be an ISO 4217 code',
    );
    p.check(isOneOf(PAY_PERIODS, d.pay?.per), `${BASE}/pay/per`, `must be one of ${PAY_PERIODS.join(', ')}`);
  } else if (d.type === 'job' || d.type === 'apprenticeship') p.add(`${BASE}/pay`, `a ${d.type} must be paid`);
  p.check(
    Number.isInteger(d.positions) && d.positions >= 1 && d.positions <= 10_000,
    `${BASE}/positions`,
    'must be a whole number ≥ 1',
  );
  p.check(isIsoDate(d.startDate), `${BASE}/startDate`, 'must be a date (YYYY-MM-DD)');
  if (d.closingDate !== null) {
    if (p.check(isIsoDate(d.closingDate), `${BASE}/closingDate`, 'must be a date (YYYY-MM-DD) or null'))
      p.check(d.closingDate >= today, `${BASE}/closingDate`, 'is in the past');
  }
  p.check(
    d.drivingLicence === null || isOneOf(DRIVING_LICENCES, d.drivingLicence),
    `${BASE}/drivingLicence`,
    'must be a licence category or null',
  );
  p.throwIfAny('Opportunity is not valid');
}
