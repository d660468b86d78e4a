import type { OpportunityEvent } from '../domain/opportunities/opportunityDecider.js';
import type { PipelineEvent, PipelineStatus } from '../domain/pipeline/pipelineDecider.js';

/** The application status a pipeline event leaves. */
export const STATUS_AFTER: Partial<Record<PipelineEvent['type'], PipelineStatus>> = {
  ClientInterested: 'interested',
  ClientNotInterested: 'not_interested',
  ApplicationSent: 'applied',
  InterviewScheduled: 'interviewing',
  OfferMade: 'offered',
  Hired: 'hired',
  NotHired: 'not_hired',
  ApplicationWithdrawn: 'withdrawn',
};

/** The opportunity status an opportunity's status event leaves. */
export const OPPORTUNITY_STATUS: Partial<Record<OpportunityEvent['type'], string>> = {
  OpportunityPaused: 'paused',
  OpportunityResumed: 'open',
  OpportunityFilled: 'filled',
  OpportunityClosed: 'closed',
};
