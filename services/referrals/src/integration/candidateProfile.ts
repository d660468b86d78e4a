import type { ClientCandidateProfileSharedV1 } from '@estia/contracts';
import type { ClientProfile } from '../application/clientProfile.js';
import type { ConsentScope } from '../domain/shared/vocabulary.js';

/** About 1 km: the contract promises matching no more precision than that. */
const roundCoordinate = (value: number): number => Math.round(value * 100) / 100;

/**
 * The candidate profile matching may see under a job_matching consent: only the kinds of data the
 * scope lists (languages, skills, ... are sent empty otherwise), never names, contact or free text.
 * Null when the client is erased or lacks what the contract requires (location, availability).
 */
export function candidateProfileData(
  profile: ClientProfile,
  shared: { clientId: string; consentId: string; scope: readonly ConsentScope[]; sharedAt: string },
): ClientCandidateProfileSharedV1 | null {
  const { scope } = shared;
  const allows = (s: ConsentScope): boolean => scope.includes(s);
  if (profile.erased || !profile.legalStatus || !allows('legal_status')) return null;
  if (!profile.location || !allows('location')) return null;
  const employment = profile.employment;
  if (!employment || !allows('availability')) return null;

  const ls = profile.legalStatus;
  const dates = allows('legal_status_dates')
    ? {
        ...(ls.applicationDate === undefined ? {} : { applicationDate: ls.applicationDate }),
        ...(ls.decisionDate === undefined ? {} : { decisionDate: ls.decisionDate }),
        ...(ls.residencePermit === undefined
          ? {}
          : {
              residencePermitValidFrom: ls.residencePermit.validFrom,
              residencePermitValidUntil: ls.residencePermit.validUntil,
            }),
        ...(ls.workPermit === undefined
          ? {}
          : { workPermitValidFrom: ls.workPermit.validFrom, workPermitValidUntil: ls.workPermit.validUntil }),
        ...(ls.mustLeaveReceptionBy === undefined ? {} : { receptionExitDate: ls.mustLeaveReceptionBy }),
      }
    : {};
  const loc = profile.location;
  return {
    clientId: shared.clientId,
    consentId: shared.consentId,
    legalStatus: { status: ls.status, ...dates },
    languages: allows('languages')
      ? (profile.languages ?? []).map((l) => ({
          language: l.language,
          level: l.level,
          ...(l.native === undefined ? {} : { native: l.native }),
        }))
      : [],
    location: {
      country: loc.country,
      region: loc.region,
      ...(loc.coordinates === undefined
        ? {}
        : { coordinates: { lat: roundCoordinate(loc.coordinates.lat), lon: roundCoordinate(loc.coordinates.lon) } }),
      ...(loc.maxTravelKm === undefined ? {} : { maxTravelKm: loc.maxTravelKm }),
    },
    skills: allows('skills') ? [...new Set(employment.skills)] : [],
    occupations: allows('occupations') ? employment.occupations.map((o) => ({ ...o })) : [],
    ...(allows('education') && employment.educationLevel !== undefined
      ? { educationLevel: employment.educationLevel }
      : {}),
    drivingLicences: allows('driving_licences') ? [...new Set(employment.drivingLicences)] : [],
    availability: {
      from: employment.availability.from,
      ...(employment.availability.hoursPerWeek === undefined
        ? {}
        : { hoursPerWeek: employment.availability.hoursPerWeek }),
      opportunityKinds: [...new Set(employment.availability.opportunityKinds)],
    },
    sharedAt: shared.sharedAt,
  } as ClientCandidateProfileSharedV1;
}
