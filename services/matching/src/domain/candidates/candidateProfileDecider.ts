import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { EscoLookup } from '../shared/escoLookup.js';
import type { CandidateProfileData, LegalStatus } from './candidateProfile.js';
import { validateLegalStatus, validateProfile } from './validateProfile.js';

export const candidateStreamId = (clientId: string): string => `candidate-${clientId}`;

type By = { organisationId: string; userId: string };
interface Base {
  clientId: string;
  now: string;
}

/**
 * Consent and legal status arrive from the referrals service (its consumer turns ClientConsentGiven for the
 * job_matching purpose, ConsentWithdrawn, ClientLegalStatusChanged and ClientErased into these commands);
 * the profile itself is kept by a coach of an organisation the client consented to.
 */
export type CandidateCommand =
  | (Base & { type: 'RecordMatchingConsent'; consentId: string; scope: string[] })
  | (Base & { type: 'WithdrawMatchingConsent'; consentId: string })
  | (Base & { type: 'UpdateLegalStatus'; legalStatus: LegalStatus })
  | (Base & { type: 'UpdateCandidateProfile'; by: By; profile: CandidateProfileData })
  | (Base & { type: 'EraseCandidate' });

export type CandidateEvent =
  | { type: 'MatchingConsentRecorded'; data: { clientId: string; consentId: string; scope: string[]; at: string } }
  | { type: 'MatchingConsentWithdrawn'; data: { clientId: string; consentId: string; at: string } }
  | { type: 'CandidateLegalStatusUpdated'; data: { clientId: string; legalStatus: LegalStatus; at: string } }
  | { type: 'CandidateProfileUpdated'; data: { clientId: string; by: By; at: string; profile: CandidateProfileData } }
  | { type: 'CandidateErased'; data: { clientId: string; at: string } };

export type CandidateState =
  | { status: 'none' | 'erased' }
  | {
      status: 'consented';
      clientId: string;
      consentId: string;
      scope: string[];
      legalStatus: LegalStatus | null;
      profile: CandidateProfileData | null;
    };

/**
 * A candidate exists only while consent for job matching is recorded: withdrawal drops the profile from the
 * state (and so from every projection built on it) at once; a later consent starts from nothing.
 * Commands fed by consumers are idempotent (a repeated consent or withdrawal decides nothing).
 */
export const createCandidateDecider = (
  esco: EscoLookup,
): Decider<CandidateState, CandidateCommand, CandidateEvent> => ({
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    if (state.status === 'erased') {
      if (command.type === 'EraseCandidate' || command.type === 'WithdrawMatchingConsent') return [];
      throw new AppError('GONE', `candidate ${command.clientId} was erased`);
    }
    const at = command.now;
    switch (command.type) {
      case 'RecordMatchingConsent':
        if (state.status === 'consented' && state.consentId === command.consentId) return [];
        return [
          {
            type: 'MatchingConsentRecorded',
            data: { clientId: command.clientId, consentId: command.consentId, scope: command.scope, at },
          },
        ];
      case 'WithdrawMatchingConsent':
        if (state.status !== 'consented' || state.consentId !== command.consentId) return [];
        return [
          { type: 'MatchingConsentWithdrawn', data: { clientId: command.clientId, consentId: command.consentId, at } },
        ];
      case 'UpdateLegalStatus':
        // Without consent the matching service must not hold it: the consumer's delivery is simply a no-op.
        if (state.status !== 'consented') return [];
        validateLegalStatus(command.legalStatus);
        return [
          {
            type: 'CandidateLegalStatusUpdated',
            data: { clientId: command.clientId, legalStatus: command.legalStatus, at },
          },
        ];
      case 'UpdateCandidateProfile':
        if (state.status !== 'consented')
          throw new AppError(
            'BUSINESS_RULE_VIOLATED',
            'no candidate profile without the client’s consent to job matching',
          );
        validateProfile(command.profile, esco);
        return [
          {
            type: 'CandidateProfileUpdated',
            data: { clientId: command.clientId, by: command.by, at, profile: command.profile },
          },
        ];
      case 'EraseCandidate':
        return [{ type: 'CandidateErased', data: { clientId: command.clientId, at } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'MatchingConsentRecorded':
        return state.status === 'consented'
          ? { ...state, consentId: event.data.consentId, scope: event.data.scope }
          : {
              status: 'consented',
              clientId: event.data.clientId,
              consentId: event.data.consentId,
              scope: event.data.scope,
              legalStatus: null,
              profile: null,
            };
      case 'MatchingConsentWithdrawn':
        return { status: 'none' };
      case 'CandidateLegalStatusUpdated':
        return state.status === 'consented' ? { ...state, legalStatus: event.data.legalStatus } : state;
      case 'CandidateProfileUpdated':
        return state.status === 'consented' ? { ...state, profile: event.data.profile } : state;
      case 'CandidateErased':
        return { status: 'erased' };
    }
  },
});
