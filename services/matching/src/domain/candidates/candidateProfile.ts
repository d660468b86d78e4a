import type {
  CefrLevel,
  ContractType,
  DrivingLicence,
  LegalStatusKind,
  OpportunityType,
} from '../shared/vocabulary.js';

export interface Period {
  validFrom: string;
  validUntil: string;
}

/** As the referrals service records it (its ClientLegalStatusChanged event), plus the country that granted it. */
export interface LegalStatus {
  status: LegalStatusKind;
  /** ISO 3166-1 alpha-2 of the state where the status is held: the right-to-work rules are national. */
  country: string;
  applicationDate?: string;
  decisionDate?: string;
  residencePermit?: Period;
  workPermit?: Period;
}

export interface CandidateProfileData {
  /** ESCO occupations the person has worked in (or trained for), with months of experience. */
  occupations: { occupation: string; months: number }[];
  skills: string[];
  /** European Qualifications Framework level 1–8, null when unknown. */
  educationLevel: number | null;
  languages: { language: string; level: CefrLevel }[];
  location: { latitude: number; longitude: number };
  mobilityKm: number;
  drivingLicences: DrivingLicence[];
  availability: { from: string; hoursPerWeek: number };
  preferences: {
    /** Empty: any. */
    opportunityTypes: OpportunityType[];
    contractTypes: ContractType[];
    /** ESCO occupations the person would like to work in. */
    occupations: string[];
    remote: 'no' | 'also' | 'only';
  };
}
