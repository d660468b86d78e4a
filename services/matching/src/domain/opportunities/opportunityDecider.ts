import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { dateOf } from '../shared/dates.js';
import type { EscoLookup } from '../shared/escoLookup.js';
import { isNonEmptyText } from '../shared/problems.js';
import type { OpportunityDetails, OpportunityStatus } from './opportunity.js';
import { validateOpportunity } from './validateOpportunity.js';

export const opportunityStreamId = (opportunityId: string): string => `opportunity-${opportunityId}`;

type By = { organisationId: string; userId: string };
interface Base {
  opportunityId: string;
  now: string;
  by: By;
}

export type OpportunityCommand =
  | (Base & {
      type: 'PublishOpportunity';
      /** From the registry read model: only approved member organisations publish. */
      organisation: { approved: boolean };
      details: OpportunityDetails;
    })
  | (Base & { type: 'ReviseOpportunity'; details: OpportunityDetails })
  | (Base & { type: 'PauseOpportunity'; reason?: string })
  | (Base & { type: 'ResumeOpportunity' })
  | (Base & { type: 'MarkOpportunityFilled'; placements?: number })
  | (Base & { type: 'CloseOpportunity'; reason: string })
  /** A placement for it was hired: one position less; the last one fills the opportunity. */
  | (Base & { type: 'TakePosition'; applicationId: string });

export type OpportunityEvent =
  | {
      type: 'OpportunityPublished';
      data: { opportunityId: string; publishedBy: By; publishedAt: string; details: OpportunityDetails };
    }
  | {
      type: 'OpportunityRevised';
      data: { opportunityId: string; revisedBy: By; revisedAt: string; details: OpportunityDetails };
    }
  | { type: 'OpportunityPaused'; data: { opportunityId: string; by: By; at: string; reason: string | null } }
  | { type: 'OpportunityResumed'; data: { opportunityId: string; by: By; at: string } }
  | { type: 'OpportunityFilled'; data: { opportunityId: string; by: By; at: string } }
  | { type: 'OpportunityClosed'; data: { opportunityId: string; by: By; at: string; reason: string } }
  | {
      type: 'OpportunityPositionTaken';
      data: { opportunityId: string; by: By; at: string; applicationId: string; hired: number; positions: number };
    };

export type OpportunityState =
  | { status: 'none' }
  | {
      status: OpportunityStatus;
      opportunityId: string;
      organisationId: string;
      details: OpportunityDetails;
      publishedAt: string;
      /** Applications hired for it. */
      hired: string[];
    };

/**
 * An opportunity's life: open ⇄ paused → filled | closed. Filled and closed are final, so a placement
 * count or a closing reason never changes after the fact.
 */
export const createOpportunityDecider = (
  esco: EscoLookup,
): Decider<OpportunityState, OpportunityCommand, OpportunityEvent> => ({
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    if (command.type === 'PublishOpportunity') {
      if (state.status !== 'none')
        throw new AppError('CONFLICT', `opportunity ${command.opportunityId} already exists`);
      if (!command.organisation.approved)
        throw new AppError('FORBIDDEN', 'only approved member organisations may publish opportunities');
      validateOpportunity(command.details, esco, dateOf(command.now));
      return [
        {
          type: 'OpportunityPublished',
          data: {
            opportunityId: command.opportunityId,
            publishedBy: command.by,
            publishedAt: command.now,
            details: command.details,
          },
        },
      ];
    }
    if (state.status === 'none') throw new AppError('NOT_FOUND', `opportunity ${command.opportunityId} does not exist`);
    if (command.type === 'TakePosition') {
      // Decided with the hire (either side may record it), not by the publisher alone.
      if (state.hired.includes(command.applicationId)) return [];
      if (state.status !== 'open' && state.status !== 'paused')
        throw new AppError(
          'ILLEGAL_TRANSITION',
          state.status === 'filled'
            ? `all ${state.details.positions} positions of the opportunity are filled`
            : `cannot hire for an opportunity that is ${state.status}`,
        );
      const hired = state.hired.length + 1;
      const base = { opportunityId: state.opportunityId, by: command.by, at: command.now };
      const taken: OpportunityEvent = {
        type: 'OpportunityPositionTaken',
        data: { ...base, applicationId: command.applicationId, hired, positions: state.details.positions },
      };
      return hired >= state.details.positions ? [taken, { type: 'OpportunityFilled', data: base }] : [taken];
    }
    if (command.by.organisationId !== state.organisationId)
      throw new AppError('FORBIDDEN', 'only the publishing organisation may change an opportunity');
    const base = { opportunityId: state.opportunityId, by: command.by, at: command.now };
    const refuse = (action: string) =>
      new AppError('ILLEGAL_TRANSITION', `cannot ${action} an opportunity that is ${state.status}`);

    switch (command.type) {
      case 'ReviseOpportunity':
        if (state.status !== 'open' && state.status !== 'paused') throw refuse('revise');
        validateOpportunity(command.details, esco, dateOf(command.now));
        return [
          {
            type: 'OpportunityRevised',
            data: {
              opportunityId: state.opportunityId,
              revisedBy: command.by,
              revisedAt: command.now,
              details: command.details,
            },
          },
        ];
      case 'PauseOpportunity':
        if (state.status !== 'open') throw refuse('pause');
        return [{ type: 'OpportunityPaused', data: { ...base, reason: command.reason ?? null } }];
      case 'ResumeOpportunity':
        if (state.status !== 'paused') throw refuse('resume');
        return [{ type: 'OpportunityResumed', data: base }];
      case 'MarkOpportunityFilled':
        if (state.status !== 'open' && state.status !== 'paused') throw refuse('fill');
        return [{ type: 'OpportunityFilled', data: base }];
      case 'CloseOpportunity':
        if (state.status !== 'open' && state.status !== 'paused') throw refuse('close');
        if (!isNonEmptyText(command.reason))
          throw new AppError('VALIDATION_FAILED', 'a reason is required to close an opportunity', {
            errors: [{ pointer: '/body/reason', detail: 'is required' }],
          });
        return [{ type: 'OpportunityClosed', data: { ...base, reason: command.reason } }];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'OpportunityPublished':
        return {
          status: 'open',
          opportunityId: event.data.opportunityId,
          organisationId: event.data.publishedBy.organisationId,
          details: event.data.details,
          publishedAt: event.data.publishedAt,
          hired: [],
        };
      case 'OpportunityRevised':
        return state.status === 'none' ? state : { ...state, details: event.data.details };
      case 'OpportunityPaused':
        return state.status === 'none' ? state : { ...state, status: 'paused' };
      case 'OpportunityResumed':
        return state.status === 'none' ? state : { ...state, status: 'open' };
      case 'OpportunityFilled':
        return state.status === 'none' ? state : { ...state, status: 'filled' };
      case 'OpportunityClosed':
        return state.status === 'none' ? state : { ...state, status: 'closed' };
      case 'OpportunityPositionTaken':
        return state.status === 'none' ? state : { ...state, hired: [...state.hired, event.data.applicationId] };
    }
  },
});
