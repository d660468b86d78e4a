import type { EscoLookup } from '../shared/escoLookup.js';
import { isLatitude, isLongitude } from '../shared/geo.js';
import { Problems, isFiniteNumber, isIsoDate } from '../shared/problems.js';
import {
  CEFR_LEVELS,
  CONTRACT_TYPES,
  DRIVING_LICENCES,
  LEGAL_STATUSES,
  OPPORTUNITY_TYPES,
  isLanguageCode,
  isOneOf,
} from '../shared/vocabulary.js';
import type { CandidateProfileData, LegalStatus, Period } from './candidateProfile.js';

const BASE = '/body';

export function validateProfile(d: CandidateProfileData, esco: EscoLookup): void {
  const p = new Problems();
  if (p.check(Array.isArray(d.occupations), `${BASE}/occupations`, 'must be a list'))
    d.occupations.forEach((o, i) => {
      p.check(
        esco.occupationIndex(o?.occupation) >= 0,
        `${BASE}/occupations/${i}/occupation`,
        `unknown ESCO occupation "${String(o?.occupation)}"`,
      );
      p.check(
        Number.isInteger(o?.months) && o.months >= 0 && o.months <= 720,
        `${BASE}/occupations/${i}/months`,
        'must be 0–720 months',
      );
    });
  if (
    p.check(
      Array.isArray(d.skills) && d.skills.length <= 300,
      `${BASE}/skills`,
      'must be a list of at most 300 ESCO skill ids',
    )
  )
    d.skills.forEach((s, i) =>
      p.check(esco.skillIndex(s) >= 0, `${BASE}/skills/${i}`, `unknown ESCO skill "${String(s)}"`),
    );
  p.check(
    d.educationLevel === null || (Number.isInteger(d.educationLevel) && d.educationLevel >= 1 && d.educationLevel <= 8),
    `${BASE}/educationLevel`,
    'must be an EQF level 1–8 or null',
  );
  if (p.check(Array.isArray(d.languages), `${BASE}/languages`, 'must be a list'))
    d.languages.forEach((l, i) => {
      p.check(isLanguageCode(l?.language), `${BASE}/languages/${i}/language`, 'must be an ISO 639 code');
      p.check(isOneOf(CEFR_LEVELS, l?.level), `${BASE}/languages/${i}/level`, 'must be a CEFR level A1–C2');
    });
  p.check(isLatitude(d.location?.latitude), `${BASE}/location/latitude`, 'must be between -90 and 90');
  p.check(isLongitude(d.location?.longitude), `${BASE}/location/longitude`, 'must be between -180 and 180');
  p.check(
    isFiniteNumber(d.mobilityKm) && d.mobilityKm >= 0 && d.mobilityKm <= 2000,
    `${BASE}/mobilityKm`,
    'must be 0–2000 km',
  );
  if (p.check(Array.isArray(d.drivingLicences), `${BASE}/drivingLicences`, 'must be a list'))
    d.drivingLicences.forEach((l, i) =>
      p.check(isOneOf(DRIVING_LICENCES, l), `${BASE}/drivingLicences/${i}`, 'is not a licence category'),
    );
  p.check(isIsoDate(d.availability?.from), `${BASE}/availability/from`, 'must be a date (YYYY-MM-DD)');
  p.check(
    isFiniteNumber(d.availability?.hoursPerWeek) &&
      d.availability.hoursPerWeek > 0 &&
      d.availability.hoursPerWeek <= 60,
    `${BASE}/availability/hoursPerWeek`,
    'must be between 0 and 60',
  );
  const prefs = d.preferences;
  if (p.check(typeof prefs === 'object' && prefs !== null, `${BASE}/preferences`, 'is required')) {
    (prefs.opportunityTypes ?? []).forEach((t, i) =>
      p.check(isOneOf(OPPORTUNITY_TYPES, t), `${BASE}/preferences/opportunityTypes/${i}`, 'is not an opportunity type'),
    );
    (prefs.contractTypes ?? []).forEach((t, i) =>
      p.check(isOneOf(CONTRACT_TYPES, t), `${BASE}/preferences/contractTypes/${i}`, 'is not a contract type'),
    );
    (prefs.occupations ?? []).forEach((o, i) =>
      p.check(
        esco.occupationIndex(o) >= 0,
        `${BASE}/preferences/occupations/${i}`,
        `unknown ESCO occupation "${String(o)}"`,
      ),
    );
    p.check(['no', 'also', 'only'].includes(prefs.remote), `${BASE}/preferences/remote`, 'must be no, also or only');
  }
  p.throwIfAny('Candidate profile is not valid');
}

const checkPeriod = (p: Problems, period: Period | undefined, pointer: string): void => {
  if (period === undefined) return;
  const ok = p.check(isIsoDate(period.validFrom), `${pointer}/validFrom`, 'must be a date (YYYY-MM-DD)');
  if (p.check(isIsoDate(period.validUntil), `${pointer}/validUntil`, 'must be a date (YYYY-MM-DD)') && ok)
    p.check(period.validFrom <= period.validUntil, `${pointer}/validUntil`, 'must not be before validFrom');
};

export function validateLegalStatus(ls: LegalStatus): void {
  const p = new Problems();
  p.check(
    isOneOf(LEGAL_STATUSES, ls?.status),
    `${BASE}/legalStatus/status`,
    `must be one of ${LEGAL_STATUSES.join(', ')}`,
  );
  p.check(
    typeof ls?.country === 'string' && /^[A-Z]{2}$/.test(ls.country),
    `${BASE}/legalStatus/country`,
    'must be ISO 3166-1 alpha-2',
  );
  for (const field of ['applicationDate', 'decisionDate'] as const)
    if (ls?.[field] !== undefined)
      p.check(isIsoDate(ls[field]), `${BASE}/legalStatus/${field}`, 'must be a date (YYYY-MM-DD)');
  checkPeriod(p, ls?.residencePermit, `${BASE}/legalStatus/residencePermit`);
  checkPeriod(p, ls?.workPermit, `${BASE}/legalStatus/workPermit`);
  p.throwIfAny('Legal status is not valid');
}
