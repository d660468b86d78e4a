import type { Decision } from '@estia/infra/commandHandling/commandScope.js';
import type { OpportunityView, PlacementView } from '../application/queries.js';
import { placementFactsOf } from '../application/placementFacts.js';
import type { OpportunityState } from '../domain/opportunities/opportunityDecider.js';
import { applicationStreamId, type PipelineState } from '../domain/pipeline/pipelineDecider.js';

/**
 * A command's answer is built from its decision (the state after its events, the stream's revision
 * and the store's recordedAt), field for field what the read-model projection will hold once it
 * catches up: the answer never waits for, nor fails on, a lagging read model.
 */
export const opportunityOf = (decision: Decision): OpportunityView => {
  const state = decision.state as Exclude<OpportunityState, { status: 'none' }>;
  return {
    id: state.opportunityId,
    organisationId: state.organisationId,
    status: state.status,
    revision: decision.nextExpectedVersion!,
    details: state.details,
    publishedAt: state.publishedAt,
    updatedAt: decision.recordedAt!,
    hired: state.hired.length,
  };
};

export const placementOf = (applicationId: string, decision: Decision): PlacementView => {
  const state = decision.state as PipelineState;
  const facts = placementFactsOf(decision.metadata)!;
  return {
    id: applicationId,
    clientId: state.clientId!,
    opportunityId: state.opportunityId!,
    status: state.status,
    coachOrganisationId: facts.coachOrganisationId,
    employerOrganisationId: facts.employerOrganisationId,
    startDate: state.startDate ?? null,
    followUps: state.followUps,
    revision: decision.nextExpectedVersion!,
    updatedAt: decision.recordedAt!,
  };
};

const APPLICATION_PREFIX = applicationStreamId('');

/** The application id of a pipeline stream id. */
export const applicationIdOf = (streamId: string): string => streamId.slice(APPLICATION_PREFIX.length);
