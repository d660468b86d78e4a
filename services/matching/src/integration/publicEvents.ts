import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { publicEvent } from '@estia/infra/processors/publicEvent.js';
import type { RelayMessage } from '@estia/infra/processors/relay.js';
import type { CandidateEvent } from '../domain/candidates/candidateProfileDecider.js';
import { OCCUPATION_URI_PREFIX } from '../esco/dataset.js';
import type { PipelineEvent, PipelineStatus } from '../domain/pipeline/pipelineDecider.js';
import { placementFactsOf, type PlacementFacts } from '../application/placementFacts.js';

type PublicStatus =
  'proposed' | 'interested' | 'application_sent' | 'interview' | 'offer' | 'hired' | 'not_hired' | 'withdrawn';

/** The contract's vocabulary for the pipeline; a client saying no is a withdrawal (reason client_declined). */
const PUBLIC_STATUS: Record<PipelineStatus, PublicStatus | null> = {
  none: null,
  proposed: 'proposed',
  interested: 'interested',
  not_interested: 'withdrawn',
  applied: 'application_sent',
  interviewing: 'interview',
  offered: 'offer',
  hired: 'hired',
  not_hired: 'not_hired',
  withdrawn: 'withdrawn',
  employment_ended: 'hired',
};

const STATUS_OF: Partial<Record<PipelineEvent['type'], PublicStatus>> = {
  OpportunityProposed: 'proposed',
  ClientInterested: 'interested',
  ClientNotInterested: 'withdrawn',
  ApplicationSent: 'application_sent',
  InterviewScheduled: 'interview',
  OfferMade: 'offer',
  NotHired: 'not_hired',
  ApplicationWithdrawn: 'withdrawn',
};

const REASON_CODE = /^[a-z][a-z0-9_]{0,63}$/;
const PUBLISHED_CONTRACTS = new Set(['permanent', 'fixed_term', 'temporary', 'seasonal', 'unpaid']);

const reasonOf = (e: PipelineEvent): string | undefined => {
  if (e.type === 'ClientNotInterested') return 'client_declined';
  if (e.type === 'NotHired') return e.data.reason;
  // Withdrawal reasons typed by a coach are free text (may hold personal data): only codes leave the service.
  if (e.type === 'ApplicationWithdrawn') return REASON_CODE.test(e.data.reason) ? e.data.reason : 'withdrawn';
  return undefined;
};

function pipelineMessage(stored: StoredEvent, e: PipelineEvent, facts: PlacementFacts): RelayMessage | null {
  const { applicationId } = e.data;
  if (e.type === 'Hired') {
    const job = facts.job;
    return publicEvent(stored, 'estia.matching.placement.hired.v1', applicationId, {
      // One placement per application: the application id names it.
      placementId: applicationId,
      applicationId,
      opportunityId: facts.opportunityId,
      clientId: facts.clientId,
      employerOrganisationId: facts.employerOrganisationId,
      opportunityKind: facts.opportunityKind,
      startDate: e.data.startDate,
      hiredAt: e.data.at,
      ...(job
        ? {
            occupation: { escoUri: OCCUPATION_URI_PREFIX + job.occupation },
            hoursPerWeek: Math.min(80, Math.max(1, Math.round(job.hoursPerWeek))),
            ...(PUBLISHED_CONTRACTS.has(job.contractType) ? { contractType: job.contractType as 'permanent' } : {}),
          }
        : {}),
    });
  }
  if (e.type === 'FollowUpRecorded')
    return publicEvent(stored, 'estia.matching.placement.follow-up-recorded.v1', applicationId, {
      placementId: applicationId,
      clientId: facts.clientId,
      employerOrganisationId: facts.employerOrganisationId,
      monthsAfterStart: e.data.month,
      stillEmployed: e.data.stillEmployed,
      ...(e.data.reasonCode === undefined ? {} : { reasonCode: e.data.reasonCode }),
      recordedAt: e.data.at,
    });
  if (e.type === 'FollowUpDue')
    // The placement reference for both sides that may record it: no client, no date of theirs.
    return publicEvent(stored, 'estia.matching.placement.follow-up-due.v1', applicationId, {
      placementId: applicationId,
      employerOrganisationId: facts.employerOrganisationId,
      coachOrganisationId: facts.coachOrganisationId,
      monthsAfterStart: e.data.month,
      announcedAt: e.data.at,
    });
  const status = STATUS_OF[e.type];
  if (status === undefined) return null;
  const previousStatus = PUBLIC_STATUS[facts.previousStatus];
  // Another interview while interviewing is not a change of status.
  if (previousStatus === status) return null;
  const reasonCode = reasonOf(e);
  return publicEvent(stored, 'estia.matching.application.status-changed.v1', applicationId, {
    applicationId,
    opportunityId: facts.opportunityId,
    clientId: facts.clientId,
    employerOrganisationId: facts.employerOrganisationId,
    opportunityKind: facts.opportunityKind,
    previousStatus,
    status,
    ...(reasonCode === undefined ? {} : { reasonCode }),
    changedAt: e.data.at,
  });
}

/**
 * The public subset of matching: application status changes, hires, follow-ups (due and recorded) and
 * candidate removals.
 * Opportunities and profiles stay inside (profiles are personal data; opportunities have their own API).
 */
export const matchingPublicEvents = (stored: StoredEvent): RelayMessage | null => {
  if (stored.streamId.startsWith('application-')) {
    const facts = placementFactsOf(stored.metadata);
    if (!facts) return null;
    return pipelineMessage(stored, { type: stored.type, data: stored.data } as PipelineEvent, facts);
  }
  if (stored.streamId.startsWith('candidate-')) {
    const e = { type: stored.type, data: stored.data } as CandidateEvent;
    if (e.type === 'MatchingConsentWithdrawn' || e.type === 'CandidateErased')
      return publicEvent(stored, 'estia.matching.candidate-profile.removed.v1', e.data.clientId, {
        clientId: e.data.clientId,
        reason: e.type === 'CandidateErased' ? 'client_erased' : 'consent_withdrawn',
        removedAt: e.data.at,
      });
  }
  return null;
};
