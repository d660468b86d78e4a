import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { fold } from '@estia/infra/decider/types.js';
import { describe, expect, it } from 'vitest';
import { sharedEsco } from '../../esco/loadEsco.js';
import { carpenterProfile, refugeeInGreece } from '../../testing/builders.js';
import { createCandidateDecider, type CandidateEvent } from './candidateProfileDecider.js';

const decider = createCandidateDecider(sharedEsco());
const spec = DeciderSpecification.for(decider);
const now = '2026-11-10T09:00:00Z';
const coach = { organisationId: 'org-ngo', userId: 'coach-1' };
const consented: CandidateEvent = {
  type: 'MatchingConsentRecorded',
  data: { clientId: 'c1', consentId: 'k1', scope: ['skills', 'languages'], at: now },
};
const profiled: CandidateEvent = {
  type: 'CandidateProfileUpdated',
  data: { clientId: 'c1', by: coach, at: now, profile: carpenterProfile() },
};
const withdrawn: CandidateEvent = {
  type: 'MatchingConsentWithdrawn',
  data: { clientId: 'c1', consentId: 'k1', at: now },
};

describe('candidate profile decider', () => {
  it('keeps no profile without consent to job matching', () => {
    spec
      .given([])
      .when({ type: 'UpdateCandidateProfile', clientId: 'c1', now, by: coach, profile: carpenterProfile() })
      .thenThrows('BUSINESS_RULE_VIOLATED', /consent/);
  });

  it('records a profile once consent is there', () => {
    spec
      .given([consented])
      .when({ type: 'UpdateCandidateProfile', clientId: 'c1', now, by: coach, profile: carpenterProfile() })
      .then([profiled]);
  });

  it('drops the profile at once when consent is withdrawn', () => {
    const state = fold(decider, [consented, profiled, withdrawn]);
    expect(state).toEqual({ status: 'none' });
  });

  it('treats repeated consent or withdrawal deliveries as nothing new', () => {
    spec
      .given([consented])
      .when({ type: 'RecordMatchingConsent', clientId: 'c1', now, consentId: 'k1', scope: [] })
      .thenNothing();
    spec
      .given([consented, withdrawn])
      .when({ type: 'WithdrawMatchingConsent', clientId: 'c1', now, consentId: 'k1' })
      .thenNothing();
  });

  it('ignores a legal status update for a client who has not consented', () => {
    spec
      .given([])
      .when({ type: 'UpdateLegalStatus', clientId: 'c1', now, legalStatus: refugeeInGreece() })
      .thenNothing();
  });

  it('validates skills, languages and EQF level with pointers', () => {
    spec
      .given([consented])
      .when({
        type: 'UpdateCandidateProfile',
        clientId: 'c1',
        now,
        by: coach,
        profile: carpenterProfile({ skills: ['nope'], educationLevel: 9 }),
      })
      .thenThrows('VALIDATION_FAILED', /\/body\/skills\/0 unknown ESCO skill "nope"/);
  });

  it('refuses anything but erasure after erasure', () => {
    const erased: CandidateEvent = { type: 'CandidateErased', data: { clientId: 'c1', at: now } };
    spec
      .given([consented, erased])
      .when({ type: 'RecordMatchingConsent', clientId: 'c1', now, consentId: 'k2', scope: [] })
      .thenThrows('GONE');
  });
});
