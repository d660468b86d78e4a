import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { fold } from '@estia/infra/decider/types.js';
import { describe, expect, it } from 'vitest';
import { pipelineDecider, type PipelineCommand, type PipelineEvent } from './pipelineDecider.js';

const spec = DeciderSpecification.for(pipelineDecider);
const coach = { organisationId: 'org-ngo', userId: 'coach-1' };
const now = '2026-11-10T09:00:00Z';
const stamp = { applicationId: 'a1', by: coach, at: now };
const match = { score: 0.71, label: 'strong' as const, rightToWorkBasis: 'recognised refugee' };
const propose = (
  facts: Partial<Extract<PipelineCommand, { type: 'ProposeOpportunity' }>['facts']> = {},
): PipelineCommand => ({
  type: 'ProposeOpportunity',
  applicationId: 'a1',
  now,
  by: coach,
  clientId: 'c1',
  opportunityId: 'o1',
  facts: { matchingConsent: true, rightToWork: { allowed: true, basis: 'refugee' }, opportunityOpen: true, ...facts },
  match,
});
const proposed: PipelineEvent = {
  type: 'OpportunityProposed',
  data: { ...stamp, clientId: 'c1', opportunityId: 'o1', match },
};
const interested: PipelineEvent = { type: 'ClientInterested', data: { ...stamp, note: null } };
const applied: PipelineEvent = { type: 'ApplicationSent', data: { ...stamp, fields: ['skills', 'languages'] } };
const offered: PipelineEvent = { type: 'OfferMade', data: stamp };
const hired: PipelineEvent = { type: 'Hired', data: { ...stamp, startDate: '2026-12-01' } };
const cmd = <T extends PipelineCommand['type']>(type: T, rest: object = {}, at = now) =>
  ({ type, applicationId: 'a1', now: at, by: coach, ...rest }) as Extract<PipelineCommand, { type: T }>;

describe('placement pipeline', () => {
  it('proposes only with consent, right to work and an open opportunity', () => {
    spec.given([]).when(propose()).then([proposed]);
    spec
      .given([])
      .when(propose({ matchingConsent: false }))
      .thenThrows('BUSINESS_RULE_VIOLATED', /consent/);
    spec
      .given([])
      .when(propose({ rightToWork: { allowed: false, basis: 'asylum seeker: not before 2027-01-05' } }))
      .thenThrows('BUSINESS_RULE_VIOLATED', /2027-01-05/);
    spec
      .given([])
      .when(propose({ opportunityOpen: false }))
      .thenThrows('BUSINESS_RULE_VIOLATED', /not open/);
  });

  it('sends only the profile parts the client consented to share', () => {
    spec
      .given([proposed, interested])
      .when(
        cmd('SendApplication', {
          fields: ['skills', 'languages'],
          facts: { consentedScope: ['skills', 'languages', 'occupations'] },
        }),
      )
      .then([applied]);
    spec
      .given([proposed, interested])
      .when(cmd('SendApplication', { fields: ['skills', 'legal_status'], facts: { consentedScope: ['skills'] } }))
      .thenThrows('BUSINESS_RULE_VIOLATED', /legal_status/);
  });

  it('cannot apply before the client said yes', () => {
    spec
      .given([proposed])
      .when(cmd('SendApplication', { fields: ['skills'], facts: { consentedScope: ['skills'] } }))
      .thenThrows('ILLEGAL_TRANSITION', /proposed/);
  });

  it('goes through interview and offer to hired', () => {
    spec
      .given([proposed, interested, applied])
      .when(cmd('ScheduleInterview', { at: '2026-11-20T10:00:00Z' }))
      .then([{ type: 'InterviewScheduled', data: { ...stamp, interviewAt: '2026-11-20T10:00:00Z' } }]);
    spec.given([proposed, interested, applied]).when(cmd('MakeOffer')).then([offered]);
    spec
      .given([proposed, interested, applied, offered])
      .when(cmd('RecordHired', { startDate: '2026-12-01', facts: { opportunityStartDate: '2026-12-01' } }))
      .then([hired]);
  });

  it('refuses a hire that starts before the opportunity does, naming the start date', () => {
    spec
      .given([proposed, interested, applied, offered])
      .when(cmd('RecordHired', { startDate: '2026-11-20', facts: { opportunityStartDate: '2026-12-01' } }))
      .thenThrows('BUSINESS_RULE_VIOLATED', /before the opportunity starts \(2026-12-01\)/);
    expect(() =>
      pipelineDecider.decide(
        cmd('RecordHired', {
          startDate: '2026-11-20',
          facts: { opportunityStartDate: '2026-12-01' },
        }) as PipelineCommand,
        fold(pipelineDecider, [proposed, interested, applied, offered] as PipelineEvent[]),
      ),
    ).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ pointer: '/body/startDate' })] }));
  });

  it('records not hired only with a reason', () => {
    spec
      .given([proposed, interested, applied])
      .when(cmd('RecordNotHired', { reason: 'not_selected' }))
      .then([{ type: 'NotHired', data: { ...stamp, reason: 'not_selected', note: null } }]);
    spec
      .given([proposed, interested, applied])
      .when(cmd('RecordNotHired', { reason: 'other' }))
      .thenThrows('VALIDATION_FAILED', /note/);
  });

  it('follows up at 1, 3 and 6 months, not before they are due, each once', () => {
    const history = [proposed, interested, applied, offered, hired];
    spec
      .given(history)
      .when(cmd('RecordFollowUp', { month: 1, stillEmployed: true }, '2026-12-20T09:00:00Z'))
      .thenThrows('BUSINESS_RULE_VIOLATED', /due on 2027-01-01/);
    const first: PipelineEvent = {
      type: 'FollowUpRecorded',
      data: { ...stamp, at: '2027-01-02T09:00:00Z', month: 1, stillEmployed: true },
    };
    spec
      .given(history)
      .when(cmd('RecordFollowUp', { month: 1, stillEmployed: true }, '2027-01-02T09:00:00Z'))
      .then([first]);
    spec
      .given([...history, first])
      .when(cmd('RecordFollowUp', { month: 1, stillEmployed: true }, '2027-01-03T09:00:00Z'))
      .thenThrows('CONFLICT');
    spec
      .given([...history, first])
      .when(cmd('RecordFollowUp', { month: 3, stillEmployed: false }, '2027-03-02T09:00:00Z'))
      .thenThrows('VALIDATION_FAILED', /reason code/);
    const ended: PipelineEvent = {
      type: 'FollowUpRecorded',
      data: { ...stamp, month: 3, stillEmployed: false, reasonCode: 'contract_ended' },
    };
    expect(fold(pipelineDecider, [...history, first, ended]).status).toBe('employment_ended');
    spec
      .given([...history, first, ended])
      .when(cmd('RecordFollowUp', { month: 6, stillEmployed: false }, '2027-07-01T09:00:00Z'))
      .thenThrows('ILLEGAL_TRANSITION');
  });

  it('announces a follow-up once, when its date has come and nobody recorded it', () => {
    const history = [proposed, interested, applied, offered, hired];
    const announce = (month: number, at: string) => cmd('AnnounceFollowUpDue', { month }, at);
    spec
      .given(history)
      .when(announce(1, '2026-12-31T09:00:00Z'))
      .thenThrows('BUSINESS_RULE_VIOLATED', /due on 2027-01-01/);
    const due: PipelineEvent = { type: 'FollowUpDue', data: { ...stamp, at: '2027-01-01T09:00:00Z', month: 1 } };
    spec.given(history).when(announce(1, '2027-01-01T09:00:00Z')).then([due]);
    spec
      .given([...history, due])
      .when(announce(1, '2027-01-02T09:00:00Z'))
      .thenThrows('CONFLICT', /announced/);
    const recorded: PipelineEvent = {
      type: 'FollowUpRecorded',
      data: { ...stamp, at: '2027-03-01T09:00:00Z', month: 3, stillEmployed: true },
    };
    spec
      .given([...history, recorded])
      .when(announce(3, '2027-03-02T09:00:00Z'))
      .thenThrows('CONFLICT');
    spec.given([proposed, interested]).when(announce(1, '2027-01-02T09:00:00Z')).thenThrows('ILLEGAL_TRANSITION');
    // Announcing changes no status: the placement is still hired, the follow-up still to record.
    expect(fold(pipelineDecider, [...history, due])).toMatchObject({
      status: 'hired',
      followUps: [],
      followUpsDue: [1],
    });
    spec
      .given([...history, due])
      .when(cmd('RecordFollowUp', { month: 1, stillEmployed: true }, '2027-01-02T09:00:00Z'))
      .then([
        { type: 'FollowUpRecorded', data: { ...stamp, at: '2027-01-02T09:00:00Z', month: 1, stillEmployed: true } },
      ]);
  });

  it('lets the client withdraw before being hired, not after', () => {
    spec
      .given([proposed, interested])
      .when(cmd('WithdrawApplication', { reason: 'moved to another city' }))
      .then([{ type: 'ApplicationWithdrawn', data: { ...stamp, reason: 'moved to another city' } }]);
    spec
      .given([proposed, interested, applied, offered, hired])
      .when(cmd('WithdrawApplication', { reason: 'x' }))
      .thenThrows('ILLEGAL_TRANSITION');
  });
});
