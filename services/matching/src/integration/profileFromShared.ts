import type { ClientCandidateProfileSharedV1 } from '@estia/contracts';
import type { CandidateProfileData, LegalStatus, Period } from '../domain/candidates/candidateProfile.js';
import type { EscoCatalogue } from '../esco/catalogue.js';

const DEFAULT_MOBILITY_KM = 25;
const DEFAULT_HOURS = 40;

const period = (from?: string, until?: string): Period | undefined =>
  from !== undefined && until !== undefined ? { validFrom: from, validUntil: until } : undefined;

export function legalStatusFromShared(shared: ClientCandidateProfileSharedV1): LegalStatus {
  const l = shared.legalStatus;
  const residencePermit = period(l.residencePermitValidFrom, l.residencePermitValidUntil);
  const workPermit = period(l.workPermitValidFrom, l.workPermitValidUntil);
  return {
    status: l.status,
    // The right-to-work rules are national: the status is held where the client lives.
    country: shared.location.country,
    ...(l.applicationDate ? { applicationDate: l.applicationDate } : {}),
    ...(l.decisionDate ? { decisionDate: l.decisionDate } : {}),
    ...(residencePermit ? { residencePermit } : {}),
    ...(workPermit ? { workPermit } : {}),
  };
}

export interface SharedProfileMapping {
  /** null when the profile cannot be matched (no coordinates). */
  profile: CandidateProfileData | null;
  /** ESCO codes the dataset does not know, dropped (counted for the log, never the person's data). */
  droppedCodes: number;
}

/**
 * The referrals service's shared profile, in matching's terms. Unknown ESCO codes are dropped rather than
 * refusing the whole profile (the client would silently vanish from matching); months of experience are
 * not shared, so practised occupations count as 12 months; ISCED levels stand in for EQF (same 1–8 scale).
 */
export function profileFromShared(shared: ClientCandidateProfileSharedV1, esco: EscoCatalogue): SharedProfileMapping {
  let dropped = 0;
  const coordinates = shared.location.coordinates;
  const occupations: CandidateProfileData['occupations'] = [];
  for (const o of shared.occupations) {
    const i = o.escoUri === undefined ? -1 : esco.occupationIndex(o.escoUri);
    if (i < 0) dropped++;
    else occupations.push({ occupation: esco.occupationAt(i).id, months: 12 });
  }
  const skills: string[] = [];
  for (const uri of shared.skills) {
    const i = esco.skillIndex(uri);
    if (i < 0) dropped++;
    else skills.push(esco.skillIdAt(i));
  }
  if (!coordinates) return { profile: null, droppedCodes: dropped };
  const level = shared.educationLevel;
  return {
    droppedCodes: dropped,
    profile: {
      occupations,
      skills: [...new Set(skills)].slice(0, 300),
      educationLevel: level === undefined || level === 0 ? null : Math.min(8, level),
      languages: shared.languages.map((l) => ({ language: l.language, level: l.level })),
      location: { latitude: coordinates.lat, longitude: coordinates.lon },
      mobilityKm: Math.min(2000, shared.location.maxTravelKm ?? DEFAULT_MOBILITY_KM),
      drivingLicences: [...shared.drivingLicences],
      availability: {
        from: shared.availability.from,
        hoursPerWeek: Math.min(60, shared.availability.hoursPerWeek ?? DEFAULT_HOURS),
      },
      preferences: {
        opportunityTypes: [...shared.availability.opportunityKinds],
        contractTypes: [],
        occupations: [],
        remote: 'also',
      },
    },
  };
}
