import type { OpportunityType } from '../domain/shared/vocabulary.js';
import type { ContractType } from '../domain/shared/vocabulary.js';
import type { PipelineStatus } from '../domain/pipeline/pipelineDecider.js';

/** Metadata key of the facts below on every pipeline event. */
export const PLACEMENT_FACTS = 'placement';

/**
 * What the rest of the network needs to read a pipeline event on its own (the relay mapper sees one stored
 * event at a time, with no database): who employs, what kind of opportunity, the status before. Taken by
 * the command handler from the state it decided on, so it is exactly as true as the event.
 */
export interface PlacementFacts {
  clientId: string;
  opportunityId: string;
  employerOrganisationId: string;
  coachOrganisationId: string;
  opportunityKind: OpportunityType;
  previousStatus: PipelineStatus;
  /** On Hired only: the job as it stood when the hire was recorded. */
  job?: { occupation: string; hoursPerWeek: number; contractType: ContractType };
}

export const placementFactsOf = (metadata: Record<string, unknown>): PlacementFacts | undefined =>
  metadata[PLACEMENT_FACTS] as PlacementFacts | undefined;
