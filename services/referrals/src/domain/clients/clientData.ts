import { isIsoDate, isNonBlank, type Problems, REQUIRED } from '../shared/validation.js';
import {
  CEFR_LEVELS,
  LEGAL_STATUSES,
  isCountryCode,
  isLanguageCode,
  isOneOf,
  type CefrLevel,
  type LegalStatusKind,
} from '../shared/vocabulary.js';

export interface LanguageSkill {
  language: string;
  level: CefrLevel;
  native?: boolean;
}

export interface Period {
  validFrom: string;
  validUntil: string;
}

/** Legal status with the dates that decide what a client may do (work, stay in reception). Personal. */
export interface LegalStatusRecord {
  status: LegalStatusKind;
  applicationDate?: string;
  decisionDate?: string;
  residencePermit?: Period;
  workPermit?: Period;
  /** The date the client must leave the reception facility. */
  mustLeaveReceptionBy?: string;
}

/** Everything that identifies or describes the person: all of it is sealed before it is stored. */
export interface ClientPersonalData {
  givenNames: string;
  familyName: string;
  /** Other spellings and former names, for duplicate detection and search. */
  otherNames?: string[];
  dateOfBirth: string;
  gender?: string;
  /** ISO 3166-1 alpha-2; empty when stateless or unknown. */
  nationalities: string[];
  languages: LanguageSkill[];
  contact?: { phone?: string; email?: string; address?: string };
  legalStatus: LegalStatusRecord;
  /** Where the client lives: used for nearest-first suggestions and (with consent) job matching. */
  location?: ClientLocation;
  /** What job matching needs beyond languages and legal status; shared only under a job_matching consent. */
  employment?: EmploymentProfile;
}

export interface ClientLocation {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** Region within the country, preferably NUTS (e.g. EL30). */
  region: string;
  coordinates?: { lat: number; lon: number };
  maxTravelKm?: number;
}

export const DRIVING_LICENCES = [
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
] as const;
export const OPPORTUNITY_KINDS = [
  'job',
  'internship',
  'traineeship',
  'apprenticeship',
  'volunteering',
  'mentoring',
] as const;

export interface EmploymentProfile {
  /** ESCO 1.1.1 skill URIs. */
  skills: string[];
  occupations: { escoUri?: string; iscoCode?: string }[];
  /** ISCED 2011 level, 0–8. */
  educationLevel?: number;
  drivingLicences: (typeof DRIVING_LICENCES)[number][];
  availability: {
    from: string;
    hoursPerWeek?: number;
    opportunityKinds: (typeof OPPORTUNITY_KINDS)[number][];
  };
}

const checkPeriod = (problems: Problems, period: Period | undefined, pointer: string): void => {
  if (period === undefined) return;
  problems.check(isIsoDate(period.validFrom), `${pointer}/validFrom`, 'must be a date (YYYY-MM-DD)');
  problems.check(isIsoDate(period.validUntil), `${pointer}/validUntil`, 'must be a date (YYYY-MM-DD)');
  if (isIsoDate(period.validFrom) && isIsoDate(period.validUntil))
    problems.check(period.validFrom <= period.validUntil, `${pointer}/validUntil`, 'must not be before validFrom');
};

const ESCO_URI = /^http:\/\/data\.europa\.eu\/esco\/(skill|occupation|isco)\//;
const REGION = /^[A-Za-z0-9-]{1,16}$/;
const ISCO = /^[0-9]{1,4}$/;
const isNumberIn = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;

// Same rules as the integration contract (candidate-profile-shared.v1), so what is stored can always be shared.
export const checkLocation = (problems: Problems, location: ClientLocation | undefined, pointer: string): void => {
  if (location === undefined) return;
  if (typeof location !== 'object' || location === null) {
    problems.add(pointer, 'must be an object');
    return;
  }
  problems.check(isCountryCode(location.country), `${pointer}/country`, 'must be an ISO 3166-1 alpha-2 code');
  problems.check(
    typeof location.region === 'string' && REGION.test(location.region),
    `${pointer}/region`,
    'must be a region code (letters, digits, -)',
  );
  if (location.coordinates !== undefined) {
    problems.check(isNumberIn(location.coordinates?.lat, -90, 90), `${pointer}/coordinates/lat`, 'must be -90..90');
    problems.check(isNumberIn(location.coordinates?.lon, -180, 180), `${pointer}/coordinates/lon`, 'must be -180..180');
  }
  if (location.maxTravelKm !== undefined)
    problems.check(isNumberIn(location.maxTravelKm, 0, 20_000), `${pointer}/maxTravelKm`, 'must be a distance in km');
};

export const checkEmployment = (problems: Problems, e: EmploymentProfile | undefined, pointer: string): void => {
  if (e === undefined) return;
  if (typeof e !== 'object' || e === null) {
    problems.add(pointer, 'must be an object');
    return;
  }
  if (!Array.isArray(e.skills)) problems.add(`${pointer}/skills`, 'must be a list');
  else
    e.skills.forEach((s, i) =>
      problems.check(typeof s === 'string' && ESCO_URI.test(s), `${pointer}/skills/${i}`, 'must be an ESCO URI'),
    );
  if (!Array.isArray(e.occupations)) problems.add(`${pointer}/occupations`, 'must be a list');
  else
    e.occupations.forEach((o, i) => {
      const p = `${pointer}/occupations/${i}`;
      problems.check(o?.escoUri !== undefined || o?.iscoCode !== undefined, p, 'must name escoUri or iscoCode');
      if (o?.escoUri !== undefined)
        problems.check(ESCO_URI.test(String(o.escoUri)), `${p}/escoUri`, 'must be an ESCO URI');
      if (o?.iscoCode !== undefined)
        problems.check(ISCO.test(String(o.iscoCode)), `${p}/iscoCode`, 'must be an ISCO-08 code');
    });
  if (e.educationLevel !== undefined)
    problems.check(
      Number.isInteger(e.educationLevel) && isNumberIn(e.educationLevel, 0, 8),
      `${pointer}/educationLevel`,
      'must be an ISCED level 0–8',
    );
  if (!Array.isArray(e.drivingLicences)) problems.add(`${pointer}/drivingLicences`, 'must be a list');
  else
    e.drivingLicences.forEach((d, i) =>
      problems.check(isOneOf(DRIVING_LICENCES, d), `${pointer}/drivingLicences/${i}`, 'must be an EU licence category'),
    );
  const a = e.availability;
  if (typeof a !== 'object' || a === null) problems.add(`${pointer}/availability`, 'is required', REQUIRED);
  else {
    problems.check(isIsoDate(a.from), `${pointer}/availability/from`, 'must be a date (YYYY-MM-DD)');
    if (a.hoursPerWeek !== undefined)
      problems.check(
        Number.isInteger(a.hoursPerWeek) && isNumberIn(a.hoursPerWeek, 1, 80),
        `${pointer}/availability/hoursPerWeek`,
        'must be 1–80',
      );
    if (!Array.isArray(a.opportunityKinds) || a.opportunityKinds.length === 0)
      problems.add(`${pointer}/availability/opportunityKinds`, 'must name at least one kind');
    else
      a.opportunityKinds.forEach((k, i) =>
        problems.check(
          isOneOf(OPPORTUNITY_KINDS, k),
          `${pointer}/availability/opportunityKinds/${i}`,
          `must be one of ${OPPORTUNITY_KINDS.join(', ')}`,
        ),
      );
  }
};

export const checkLegalStatus = (problems: Problems, ls: LegalStatusRecord | undefined, pointer: string): void => {
  if (ls === undefined || typeof ls !== 'object') {
    problems.add(pointer, 'is required', REQUIRED);
    return;
  }
  problems.check(
    isOneOf(LEGAL_STATUSES, ls.status),
    `${pointer}/status`,
    `must be one of ${LEGAL_STATUSES.join(', ')}`,
  );
  for (const field of ['applicationDate', 'decisionDate', 'mustLeaveReceptionBy'] as const) {
    const value = ls[field];
    if (value !== undefined) problems.check(isIsoDate(value), `${pointer}/${field}`, 'must be a date (YYYY-MM-DD)');
  }
  if (isIsoDate(ls.applicationDate) && isIsoDate(ls.decisionDate))
    problems.check(
      ls.applicationDate <= ls.decisionDate,
      `${pointer}/decisionDate`,
      'must not be before applicationDate',
    );
  checkPeriod(problems, ls.residencePermit, `${pointer}/residencePermit`);
  checkPeriod(problems, ls.workPermit, `${pointer}/workPermit`);
};

/** Checks the fields present in `data` (all of them on registration, some on correction). */
export const checkPersonalData = (
  problems: Problems,
  data: Partial<ClientPersonalData>,
  today: string,
  pointer = '/personal',
): void => {
  if ('givenNames' in data)
    problems.check(isNonBlank(data.givenNames), `${pointer}/givenNames`, 'must not be empty', REQUIRED);
  if ('familyName' in data)
    problems.check(isNonBlank(data.familyName), `${pointer}/familyName`, 'must not be empty', REQUIRED);
  if ('otherNames' in data && data.otherNames !== undefined)
    data.otherNames.forEach((n, i) =>
      problems.check(isNonBlank(n), `${pointer}/otherNames/${i}`, 'must not be empty', REQUIRED),
    );
  if ('dateOfBirth' in data) {
    if (!isIsoDate(data.dateOfBirth)) problems.add(`${pointer}/dateOfBirth`, 'must be a date (YYYY-MM-DD)');
    else problems.check(data.dateOfBirth <= today, `${pointer}/dateOfBirth`, 'must not be in the future');
  }
  if ('nationalities' in data) {
    if (!Array.isArray(data.nationalities)) problems.add(`${pointer}/nationalities`, 'must be a list');
    else
      data.nationalities.forEach((c, i) =>
        problems.check(isCountryCode(c), `${pointer}/nationalities/${i}`, 'must be an ISO 3166-1 alpha-2 code'),
      );
  }
  if ('languages' in data) {
    if (!Array.isArray(data.languages)) problems.add(`${pointer}/languages`, 'must be a list');
    else
      data.languages.forEach((l, i) => {
        problems.check(isLanguageCode(l.language), `${pointer}/languages/${i}/language`, 'must be an ISO 639 code');
        problems.check(isOneOf(CEFR_LEVELS, l.level), `${pointer}/languages/${i}/level`, 'must be a CEFR level A1–C2');
      });
  }
  if ('legalStatus' in data) checkLegalStatus(problems, data.legalStatus, `${pointer}/legalStatus`);
  if ('location' in data) checkLocation(problems, data.location, `${pointer}/location`);
  if ('employment' in data) checkEmployment(problems, data.employment, `${pointer}/employment`);
};
