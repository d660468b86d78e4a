import type { ClientPersonalData } from '../domain/clients/clientData.js';
import type { ConsentScope } from '../domain/shared/vocabulary.js';

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

const ESCO = 'http://data.europa.eu/esco';
/** Trades the demo's employers ask for (ESCO 1.1.1): a client's work history and skills. */
const TRADES = [
  {
    occupation: `${ESCO}/occupation/2a22ff9e-de3b-408d-b312-5034896cc4f4`, // carpenter
    skills: [
      `${ESCO}/skill/11c0bfec-6bc8-4ec0-a535-91bd65be92c5`, // install wood elements in structures
      `${ESCO}/skill/2da864d4-339f-40ab-91c0-9f8d229a2c0b`, // snap chalk line
      `${ESCO}/skill/156f8c5b-894a-4ccc-a70e-37a2726f3f00`, // work ergonomically
    ],
  },
  {
    occupation: `${ESCO}/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e`, // cook
    skills: [
      `${ESCO}/skill/0ff99f51-40d9-42f1-a1ec-377b2bb5e15f`, // comply with food safety and hygiene
      `${ESCO}/skill/210827e3-3129-45a2-8683-70399f3f561f`, // order supplies
    ],
  },
  {
    occupation: `${ESCO}/occupation/f756fdab-7726-4c48-bfcc-94ff8810fc08`, // kitchen porter
    skills: [`${ESCO}/skill/0ff99f51-40d9-42f1-a1ec-377b2bb5e15f`],
  },
] as const;

/** What job matching needs (legal status, location, availability) and what it can use. */
const MATCHING_SCOPE: readonly ConsentScope[] = [
  'legal_status',
  'legal_status_dates',
  'languages',
  'location',
  'skills',
  'occupations',
  'driving_licences',
  'availability',
];

/**
 * The job seeker in a demo client: where they live (near their organisation, within 40 km), their trade
 * and skills, the Greek they learnt, when and how much they can work, and what their job-matching consent shares. Every third
 * consent leaves out the permit dates: matching cannot tell whether they may work, and says so.
 */
export function jobSeeker(
  index: number,
  home: { region: string; lat: number; lon: number },
  today: Date,
  languages: ClientPersonalData['languages'] = [],
): { personal: Pick<ClientPersonalData, 'location' | 'employment' | 'languages'>; matchingScope: ConsentScope[] } {
  const trade = TRADES[index % TRADES.length]!;
  // Greek learnt since arrival (a beginner's A1 for every fifth): the jobs ask for A2 or B1.
  const greek = languages.some((l) => l.language === 'el')
    ? []
    : [{ language: 'el', level: index % 5 === 0 ? ('A1' as const) : ('A2' as const) }];
  return {
    personal: {
      languages: [...languages, ...greek],
      location: {
        country: 'GR',
        region: home.region,
        coordinates: { lat: home.lat + ((index % 5) - 2) * 0.01, lon: home.lon + ((index % 3) - 1) * 0.01 },
        maxTravelKm: 40,
      },
      employment: {
        skills: [...trade.skills],
        occupations: [{ escoUri: trade.occupation }],
        drivingLicences: index % 2 === 0 ? ['B'] : [],
        availability: {
          from: isoDate(today.getTime()),
          hoursPerWeek: index % 4 === 1 ? 30 : 40,
          opportunityKinds: ['job', 'internship', 'traineeship', 'apprenticeship'],
        },
      },
    },
    matchingScope: MATCHING_SCOPE.filter((s) => index % 3 !== 2 || s !== 'legal_status_dates'),
  };
}
