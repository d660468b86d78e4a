import { isIsoDate, isNonBlank, type Problems } from '../shared/validation.js';
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
}

const checkPeriod = (problems: Problems, period: Period | undefined, pointer: string): void => {
  if (period === undefined) return;
  problems.check(isIsoDate(period.validFrom), `${pointer}/validFrom`, 'must be a date (YYYY-MM-DD)');
  problems.check(isIsoDate(period.validUntil), `${pointer}/validUntil`, 'must be a date (YYYY-MM-DD)');
  if (isIsoDate(period.validFrom) && isIsoDate(period.validUntil))
    problems.check(period.validFrom <= period.validUntil, `${pointer}/validUntil`, 'must not be before validFrom');
};

export const checkLegalStatus = (problems: Problems, ls: LegalStatusRecord | undefined, pointer: string): void => {
  if (ls === undefined || typeof ls !== 'object') {
    problems.add(pointer, 'is required');
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
  if ('givenNames' in data) problems.check(isNonBlank(data.givenNames), `${pointer}/givenNames`, 'must not be empty');
  if ('familyName' in data) problems.check(isNonBlank(data.familyName), `${pointer}/familyName`, 'must not be empty');
  if ('otherNames' in data && data.otherNames !== undefined)
    data.otherNames.forEach((n, i) => problems.check(isNonBlank(n), `${pointer}/otherNames/${i}`, 'must not be empty'));
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
};
