import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { ClientPersonalData, LegalStatusRecord } from '../domain/clients/clientData.js';
import { clientStreamId } from '../domain/clients/clientDecider.js';
import { openPersonalPart } from './personalCodec.js';

export type ClientProfile = Partial<ClientPersonalData> & { erased?: true; erasedAt?: string };

/**
 * The client's personal data as of now, opened from the log with the client's key (read models keep
 * none of it). After erasure: only the marker.
 */
export async function loadClientProfile(
  store: EventStore,
  keyStore: KeyStore,
  clientId: string,
  options: { toRevision?: number } = {},
): Promise<ClientProfile | null> {
  const events = await store.readStream(clientStreamId(clientId));
  if (events.length === 0) return null;
  let profile: ClientProfile = {};
  for (const event of events) {
    // An erasure later in the stream still wins: the key is gone whatever revision was asked for.
    if (options.toRevision !== undefined && event.revision > options.toRevision && event.type !== 'ClientErased')
      continue;
    if (event.type === 'ClientErased') return { erased: true, erasedAt: (event.data as { erasedAt: string }).erasedAt };
    if (!['ClientRegistered', 'ClientPersonalDataCorrected', 'LegalStatusChanged'].includes(event.type)) continue;
    const opened = await openPersonalPart<Partial<ClientPersonalData>>(keyStore, event);
    if (opened === undefined) continue;
    if (isErased(opened)) return { erased: true, erasedAt: opened.erasedAt };
    profile = { ...profile, ...opened };
  }
  return profile;
}

/**
 * What an organisation that holds an accepted referral sees: who the client is (names, date of birth)
 * and the kinds of data the consent's scope lists; everything else stays with the registering side.
 */
export function profileWithinScope(profile: ClientProfile, share: readonly string[]): ClientProfile {
  if (share.includes('*') || profile.erased) return profile;
  const out: ClientProfile = {};
  for (const field of ['givenNames', 'familyName', 'otherNames', 'dateOfBirth'] as const)
    if (profile[field] !== undefined) Object.assign(out, { [field]: profile[field] });
  if (share.includes('languages') && profile.languages) out.languages = profile.languages;
  if (share.includes('contact_details') && profile.contact) out.contact = profile.contact;
  if (share.includes('location') && profile.location) out.location = profile.location;
  const employment = employmentWithinScope(profile.employment, share);
  if (employment) out.employment = employment;
  if (profile.legalStatus && (share.includes('legal_status') || share.includes('legal_status_dates'))) {
    const { status, ...dates } = profile.legalStatus;
    out.legalStatus = (share.includes('legal_status_dates') ? { status, ...dates } : { status }) as LegalStatusRecord;
  }
  return out;
}

/** The parts of the employment profile a consent's scope names (skills, occupations, education, ...). */
function employmentWithinScope(
  employment: ClientProfile['employment'],
  share: readonly string[],
): ClientProfile['employment'] | undefined {
  const parts = ['skills', 'occupations', 'education', 'driving_licences', 'availability'];
  if (!employment || !parts.some((p) => share.includes(p))) return undefined;
  return {
    skills: share.includes('skills') ? employment.skills : [],
    occupations: share.includes('occupations') ? employment.occupations : [],
    ...(share.includes('education') && employment.educationLevel !== undefined
      ? { educationLevel: employment.educationLevel }
      : {}),
    drivingLicences: share.includes('driving_licences') ? employment.drivingLicences : [],
    // Not shared, not shown: the profile is partial here (what the person may see of it).
    ...(share.includes('availability') ? { availability: employment.availability } : {}),
  } as NonNullable<ClientProfile['employment']>;
}
