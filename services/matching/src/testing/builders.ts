import type { CandidateProfileData, LegalStatus } from '../domain/candidates/candidateProfile.js';
import type { OpportunityDetails } from '../domain/opportunities/opportunity.js';
import type { MatchableCandidate, MatchableOpportunity } from '../matching/model.js';

/** Real ESCO 1.1.1 ids used across the tests. */
export const ESCO = {
  carpenter: '2a22ff9e-de3b-408d-b312-5034896cc4f4', // ISCO 7115
  roofer: 'b4c6d1b0-929e-48be-9f67-47bd8c30658b', // ISCO 7121
  welder: '7aedaa07-3884-4c5b-88f9-80997b2aa54b', // ISCO 7212
  cook: '90f75f67-495d-49fa-ab57-2f320e251d7e', // ISCO 5120
  kitchenPorter: 'f756fdab-7726-4c48-bfcc-94ff8810fc08', // ISCO 9412
  softwareDeveloper: 'f2b15a0e-e65a-438a-affb-29b9d50b77d1', // ISCO 2512
  webDeveloper: 'c40a2919-48a9-40ea-b506-1f34f693496d', // ISCO 2513
  skills: {
    installWood: '11c0bfec-6bc8-4ec0-a535-91bd65be92c5', // install wood elements in structures
    snapChalkLine: '2da864d4-339f-40ab-91c0-9f8d229a2c0b',
    workErgonomically: '156f8c5b-894a-4ccc-a70e-37a2726f3f00',
    crosscutSaw: '05f05855-acac-4366-a6ee-42f0bebe3780', // operate crosscut saw
    foodSafety: '0ff99f51-40d9-42f1-a1ec-377b2bb5e15f', // comply with food safety and hygiene
    orderSupplies: '210827e3-3129-45a2-8683-70399f3f561f',
    programming: '21d2f96d-35f7-4e3f-9745-c533d2dd6e97', // computer programming
  },
} as const;

export const ATHENS = { latitude: 37.9838, longitude: 23.7275 };
export const PIRAEUS = { latitude: 37.942, longitude: 23.6465 }; // ~8 km from Athens
export const THESSALONIKI = { latitude: 40.6401, longitude: 22.9444 }; // ~300 km from Athens

export const carpenterJob = (overrides: Partial<OpportunityDetails> = {}): OpportunityDetails => ({
  type: 'job',
  title: 'Carpenter for a renovation team',
  occupation: ESCO.carpenter,
  essentialSkills: [ESCO.skills.installWood, ESCO.skills.snapChalkLine],
  optionalSkills: [ESCO.skills.crosscutSaw],
  languages: [{ language: 'el', minLevel: 'A2' }],
  location: { remote: false, ...PIRAEUS, country: 'GR', locality: 'Piraeus' },
  contractType: 'fixed_term',
  hoursPerWeek: 40,
  pay: { amount: 1100, currency: 'EUR', per: 'month' },
  positions: 2,
  startDate: '2026-12-01',
  closingDate: '2026-11-30',
  drivingLicence: null,
  ...overrides,
});

export const refugeeInGreece = (overrides: Partial<LegalStatus> = {}): LegalStatus => ({
  status: 'refugee',
  country: 'GR',
  decisionDate: '2025-03-01',
  residencePermit: { validFrom: '2025-03-01', validUntil: '2028-02-29' },
  ...overrides,
});

export const carpenterProfile = (overrides: Partial<CandidateProfileData> = {}): CandidateProfileData => ({
  occupations: [{ occupation: ESCO.carpenter, months: 48 }],
  skills: [ESCO.skills.installWood, ESCO.skills.snapChalkLine, ESCO.skills.workErgonomically],
  educationLevel: 3,
  languages: [
    { language: 'ar', level: 'C2' },
    { language: 'el', level: 'A2' },
  ],
  location: ATHENS,
  mobilityKm: 30,
  drivingLicences: ['B'],
  availability: { from: '2026-11-01', hoursPerWeek: 40 },
  preferences: { opportunityTypes: [], contractTypes: [], occupations: [], remote: 'also' },
  ...overrides,
});

export const openOpportunity = (id: string, details: OpportunityDetails): MatchableOpportunity => ({
  id,
  status: 'open',
  details,
});

export const candidate = (
  id: string,
  profile: CandidateProfileData,
  legalStatus: LegalStatus | null = refugeeInGreece(),
): MatchableCandidate => ({
  id,
  profile,
  legalStatus,
});
