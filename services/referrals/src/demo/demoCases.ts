import type { ClientPersonalData } from '../domain/clients/clientData.js';

/**
 * Fictional people for the demo network's caseloads: no real person is described. Names are common
 * ones of the countries listed, combined at random; dates are invented.
 */
const PEOPLE: readonly Omit<ClientPersonalData, 'legalStatus'>[] = [
  {
    givenNames: 'Farid',
    familyName: 'Rahimi',
    dateOfBirth: '1988-03-14',
    nationalities: ['AF'],
    languages: [
      { language: 'fa', level: 'C2' },
      { language: 'en', level: 'A2' },
    ],
  },
  {
    givenNames: 'Hevin',
    familyName: 'Barzani',
    dateOfBirth: '1995-07-02',
    nationalities: ['IQ'],
    languages: [
      { language: 'ku', level: 'C2' },
      { language: 'ar', level: 'B2' },
    ],
  },
  {
    givenNames: 'Yonas',
    familyName: 'Tesfaye',
    dateOfBirth: '1992-11-21',
    nationalities: ['ER'],
    languages: [
      { language: 'ti', level: 'C2' },
      { language: 'en', level: 'B1' },
    ],
  },
  {
    givenNames: 'Mariam',
    familyName: 'Diallo',
    dateOfBirth: '1999-01-30',
    nationalities: ['GN'],
    languages: [{ language: 'fr', level: 'C1' }],
  },
  {
    givenNames: 'Olena',
    familyName: 'Kovalenko',
    dateOfBirth: '1984-05-09',
    nationalities: ['UA'],
    languages: [
      { language: 'uk', level: 'C2' },
      { language: 'en', level: 'B2' },
    ],
  },
  {
    givenNames: 'Samira',
    familyName: 'Al-Khatib',
    dateOfBirth: '1990-09-17',
    nationalities: ['SY'],
    languages: [{ language: 'ar', level: 'C2' }],
  },
  {
    givenNames: 'Idris',
    familyName: 'Mohammadi',
    dateOfBirth: '2001-02-11',
    nationalities: ['AF'],
    languages: [
      { language: 'ps', level: 'C2' },
      { language: 'fa', level: 'B2' },
    ],
  },
  {
    givenNames: 'Nadia',
    familyName: 'Osmani',
    dateOfBirth: '1986-12-03',
    nationalities: ['AF'],
    languages: [
      { language: 'fa', level: 'C2' },
      { language: 'el', level: 'A2' },
    ],
  },
  {
    givenNames: 'Kwame',
    familyName: 'Mensah',
    dateOfBirth: '1993-06-25',
    nationalities: ['GH'],
    languages: [{ language: 'en', level: 'C1' }],
  },
  {
    givenNames: 'Leyla',
    familyName: 'Karimi',
    dateOfBirth: '1997-04-08',
    nationalities: ['IR'],
    languages: [
      { language: 'fa', level: 'C2' },
      { language: 'en', level: 'B2' },
    ],
  },
  {
    givenNames: 'Tariq',
    familyName: 'Jaber',
    dateOfBirth: '1979-10-19',
    nationalities: ['PS'],
    languages: [
      { language: 'ar', level: 'C2' },
      { language: 'en', level: 'B1' },
    ],
  },
  {
    givenNames: 'Aisha',
    familyName: 'Bangura',
    dateOfBirth: '2000-08-14',
    nationalities: ['SL'],
    languages: [{ language: 'en', level: 'B2' }],
  },
  {
    givenNames: 'Dmytro',
    familyName: 'Shevchuk',
    dateOfBirth: '1991-03-27',
    nationalities: ['UA'],
    languages: [
      { language: 'uk', level: 'C2' },
      { language: 'ru', level: 'C1' },
    ],
  },
  {
    givenNames: 'Rahel',
    familyName: 'Haile',
    dateOfBirth: '1996-12-12',
    nationalities: ['ET'],
    languages: [{ language: 'am', level: 'C2' }],
  },
  {
    givenNames: 'Omid',
    familyName: 'Sadeghi',
    dateOfBirth: '1989-07-07',
    nationalities: ['IR'],
    languages: [
      { language: 'fa', level: 'C2' },
      { language: 'de', level: 'A2' },
    ],
  },
  {
    givenNames: 'Fatou',
    familyName: 'Camara',
    dateOfBirth: '1994-02-19',
    nationalities: ['SN'],
    languages: [
      { language: 'fr', level: 'C2' },
      { language: 'wo', level: 'C2' },
    ],
  },
];

/** Where a demo referral ends up (every state of the loop, and one left unanswered past its time). */
export const DEMO_REFERRAL_ENDS = [
  'requested',
  'overdue',
  'accepted',
  'in-progress',
  'on-hold',
  'completed',
  'rejected',
  'cancelled',
  'failed',
  'expired',
] as const;
export type DemoReferralEnd = (typeof DEMO_REFERRAL_ENDS)[number];

export interface DemoCase {
  index: number;
  personal: ClientPersonalData;
  /** How long before now the client was registered. */
  registeredDaysAgo: number;
  end: DemoReferralEnd;
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The demo's cases, for `count` clients: each with a legal status (some permits ending within weeks, so
 * deadline reminders appear), a need, a referral consent and one referral ending as `DEMO_REFERRAL_ENDS`
 * cycles. Deterministic for a given `now` (day precision).
 */
export function demoCases(count: number, now: number): DemoCase[] {
  return Array.from({ length: count }, (_, index) => {
    const person = PEOPLE[index % PEOPLE.length]!;
    const round = Math.floor(index / PEOPLE.length);
    const registeredDaysAgo = 12 + (index % 9);
    const kind = index % 4;
    const legalStatus: ClientPersonalData['legalStatus'] =
      kind === 0
        ? { status: 'asylum_seeker', applicationDate: isoDate(now - (200 + index) * DAY) }
        : kind === 1
          ? {
              status: 'refugee',
              decisionDate: isoDate(now - 300 * DAY),
              // Ends within the reminders' horizon: the officer sees it coming.
              residencePermit: { validFrom: isoDate(now - 330 * DAY), validUntil: isoDate(now + (20 + index) * DAY) },
            }
          : kind === 2
            ? {
                status: 'subsidiary_protection',
                decisionDate: isoDate(now - 400 * DAY),
                residencePermit: { validFrom: isoDate(now - 400 * DAY), validUntil: isoDate(now + 600 * DAY) },
                workPermit: { validFrom: isoDate(now - 400 * DAY), validUntil: isoDate(now + (50 + index) * DAY) },
              }
            : {
                status: 'asylum_seeker',
                applicationDate: isoDate(now - 60 * DAY),
                mustLeaveReceptionBy: isoDate(now + (25 + index) * DAY),
              };
    return {
      index,
      registeredDaysAgo,
      end: DEMO_REFERRAL_ENDS[index % DEMO_REFERRAL_ENDS.length]!,
      personal: {
        ...person,
        // A second round of the same names is another person: other birth year, other spelling.
        ...(round > 0
          ? {
              givenNames: `${person.givenNames} ${['Noor', 'Amin', 'Sara', 'Ilyas'][round % 4]}`,
              dateOfBirth: `${Number(person.dateOfBirth.slice(0, 4)) - round}${person.dateOfBirth.slice(4)}`,
            }
          : {}),
        contact: { phone: `+30 690 ${String(1000000 + index * 7919).slice(1, 4)} ${String(1000 + index).slice(1)}` },
        legalStatus,
      },
    };
  });
}
