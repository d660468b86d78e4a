import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { describe, expect, it } from 'vitest';
import { sharedEsco } from '../../esco/loadEsco.js';
import { ESCO, carpenterJob } from '../../testing/builders.js';
import { createOpportunityDecider, type OpportunityCommand, type OpportunityEvent } from './opportunityDecider.js';

const decider = createOpportunityDecider(sharedEsco());
const spec = DeciderSpecification.for(decider);
const by = { organisationId: 'org-employer', userId: 'user-1' };
const now = '2026-11-10T09:00:00Z';
const publish = (
  overrides: Partial<Extract<OpportunityCommand, { type: 'PublishOpportunity' }>> = {},
): OpportunityCommand => ({
  type: 'PublishOpportunity',
  opportunityId: 'opp-1',
  now,
  by,
  organisation: { approved: true },
  details: carpenterJob(),
  ...overrides,
});
const published: OpportunityEvent = {
  type: 'OpportunityPublished',
  data: { opportunityId: 'opp-1', publishedBy: by, publishedAt: now, details: carpenterJob() },
};
const paused: OpportunityEvent = {
  type: 'OpportunityPaused',
  data: { opportunityId: 'opp-1', by, at: now, reason: null },
};
const filled: OpportunityEvent = { type: 'OpportunityFilled', data: { opportunityId: 'opp-1', by, at: now } };

const validationErrors = (command: OpportunityCommand) => {
  try {
    decider.decide(command, decider.initialState());
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    return (error as AppError).errors ?? [];
  }
  throw new Error('expected a validation failure');
};

describe('opportunity decider', () => {
  it('publishes an opportunity of an approved organisation', () => {
    spec.given([]).when(publish()).then([published]);
  });

  it('refuses an organisation that is not approved', () => {
    spec
      .given([])
      .when(publish({ organisation: { approved: false } }))
      .thenThrows('FORBIDDEN', /approved/);
  });

  it('names the unknown ESCO skill code with a pointer to it', () => {
    const errors = validationErrors(
      publish({ details: carpenterJob({ optionalSkills: [ESCO.skills.crosscutSaw, 'not-an-esco-skill'] }) }),
    );
    expect(errors).toContainEqual({
      pointer: '/body/optionalSkills/1',
      detail: 'unknown ESCO skill "not-an-esco-skill"',
    });
  });

  it('rejects an unknown occupation, a bad CEFR level and missing coordinates, all at once', () => {
    const errors = validationErrors(
      publish({
        details: carpenterJob({
          occupation: '00000000-0000-0000-0000-000000000000',
          languages: [{ language: 'el', minLevel: 'B3' as never }],
          location: { remote: false } as never,
        }),
      }),
    );
    expect(errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/body/occupation', '/body/languages/0/minLevel', '/body/location/latitude']),
    );
  });

  it('accepts remote unpaid volunteering but not an unpaid job', () => {
    spec
      .given([])
      .when(
        publish({
          details: carpenterJob({
            type: 'volunteering',
            pay: null,
            contractType: 'unpaid',
            location: { remote: true },
          }),
        }),
      )
      .thenEvents((events) => expect(events[0]?.type).toBe('OpportunityPublished'));
    spec
      .given([])
      .when(publish({ details: carpenterJob({ pay: null }) }))
      .thenThrows('VALIDATION_FAILED', /must be paid/);
  });

  it('pauses, resumes and then fills', () => {
    spec.given([published]).when({ type: 'PauseOpportunity', opportunityId: 'opp-1', now, by }).then([paused]);
    spec
      .given([published, paused])
      .when({ type: 'ResumeOpportunity', opportunityId: 'opp-1', now, by })
      .then([{ type: 'OpportunityResumed', data: { opportunityId: 'opp-1', by, at: now } }]);
    spec
      .given([published, paused])
      .when({ type: 'MarkOpportunityFilled', opportunityId: 'opp-1', now, by })
      .then([filled]);
  });

  it('takes a position per hire, once per placement, and the last one fills it', () => {
    // carpenterJob has 2 positions; the employer's or the coach's organisation may record the hire.
    const coach = { organisationId: 'org-coach', userId: 'coach-1' };
    const take = (applicationId: string) => ({
      type: 'TakePosition' as const,
      opportunityId: 'opp-1',
      now,
      by: coach,
      applicationId,
    });
    const taken = (applicationId: string, hired: number): OpportunityEvent => ({
      type: 'OpportunityPositionTaken',
      data: { opportunityId: 'opp-1', by: coach, at: now, applicationId, hired, positions: 2 },
    });
    spec
      .given([published])
      .when(take('app-1'))
      .then([taken('app-1', 1)]);
    spec
      .given([published, taken('app-1', 1)])
      .when(take('app-1'))
      .then([]);
    spec
      .given([published, taken('app-1', 1)])
      .when(take('app-2'))
      .then([taken('app-2', 2), { type: 'OpportunityFilled', data: { opportunityId: 'opp-1', by: coach, at: now } }]);
    spec
      .given([published, taken('app-1', 1), taken('app-2', 2), filled])
      .when(take('app-3'))
      .thenThrows('ILLEGAL_TRANSITION', /all 2 positions/);
  });

  it('keeps filled and closed final', () => {
    spec
      .given([published, filled])
      .when({ type: 'ResumeOpportunity', opportunityId: 'opp-1', now, by })
      .thenThrows('ILLEGAL_TRANSITION');
    spec
      .given([published, filled])
      .when({ type: 'CloseOpportunity', opportunityId: 'opp-1', now, by, reason: 'budget' })
      .thenThrows('ILLEGAL_TRANSITION', /filled/);
  });

  it('requires a reason to close, and only the publisher may change it', () => {
    spec
      .given([published])
      .when({ type: 'CloseOpportunity', opportunityId: 'opp-1', now, by, reason: ' ' })
      .thenThrows('VALIDATION_FAILED');
    spec
      .given([published])
      .when({ type: 'PauseOpportunity', opportunityId: 'opp-1', now, by: { organisationId: 'org-other', userId: 'u' } })
      .thenThrows('FORBIDDEN');
  });

  it('refuses a second publication of the same id', () => {
    spec.given([published]).when(publish()).thenThrows('CONFLICT');
  });
});
