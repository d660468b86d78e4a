import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { addMonths, dateOf } from '../shared/dates.js';
import { Problems, isIsoDate, isNonEmptyText } from '../shared/problems.js';
import { isOneOf } from '../shared/vocabulary.js';

export const applicationStreamId = (applicationId: string): string => `application-${applicationId}`;

export const NOT_HIRED_REASONS = ['not_selected', 'offer_declined', 'position_filled', 'no_show', 'other'] as const;
export type NotHiredReason = (typeof NOT_HIRED_REASONS)[number];
export const FOLLOW_UP_MONTHS = [1, 3, 6] as const;
export type FollowUpMonth = (typeof FOLLOW_UP_MONTHS)[number];

type By = { organisationId: string; userId: string };
interface Base {
  applicationId: string;
  now: string;
  by: By;
}

/** The match as the coach saw it when proposing (kept so the history shows why it was proposed). */
export interface ProposedMatch {
  score: number;
  label: 'strong' | 'partial' | 'weak';
  rightToWorkBasis: string;
}

export type PipelineCommand =
  | (Base & {
      type: 'ProposeOpportunity';
      clientId: string;
      opportunityId: string;
      /** Facts the handler looks up: consent for job matching, the right to work on the start date, the opportunity state. */
      facts: { matchingConsent: boolean; rightToWork: { allowed: boolean; basis: string }; opportunityOpen: boolean };
      match: ProposedMatch;
    })
  | (Base & { type: 'RecordClientInterest'; interested: boolean; note?: string })
  | (Base & {
      type: 'SendApplication';
      /** Profile parts sent to the employer. */
      fields: string[];
      /** The scope of the client's consent to share with this employer (purpose employer_sharing). */
      facts: { consentedScope: string[] };
    })
  | (Base & { type: 'ScheduleInterview'; at: string })
  | (Base & { type: 'MakeOffer' })
  | (Base & {
      type: 'RecordHired';
      startDate: string;
      /** The opportunity's start date: nobody starts before the work does. */
      facts: { opportunityStartDate: string };
    })
  | (Base & { type: 'RecordNotHired'; reason: NotHiredReason; note?: string })
  | (Base & { type: 'WithdrawApplication'; reason: string })
  | (Base & { type: 'RecordFollowUp'; month: FollowUpMonth; stillEmployed: boolean; reasonCode?: string })
  /** The follow-up scheduler's: the follow-up's date has come and nobody recorded it yet. */
  | (Base & { type: 'AnnounceFollowUpDue'; month: FollowUpMonth });

type Stamp = { applicationId: string; by: By; at: string };
export type PipelineEvent =
  | { type: 'OpportunityProposed'; data: Stamp & { clientId: string; opportunityId: string; match: ProposedMatch } }
  | { type: 'ClientInterested'; data: Stamp & { note: string | null } }
  | { type: 'ClientNotInterested'; data: Stamp & { note: string | null } }
  | { type: 'ApplicationSent'; data: Stamp & { fields: string[] } }
  | { type: 'InterviewScheduled'; data: Stamp & { interviewAt: string } }
  | { type: 'OfferMade'; data: Stamp }
  | { type: 'Hired'; data: Stamp & { startDate: string } }
  | { type: 'NotHired'; data: Stamp & { reason: NotHiredReason; note: string | null } }
  | { type: 'ApplicationWithdrawn'; data: Stamp & { reason: string } }
  | {
      type: 'FollowUpRecorded';
      /** reasonCode (a code, never free text: it is published) says why someone is no longer employed. */
      data: Stamp & { month: FollowUpMonth; stillEmployed: boolean; reasonCode?: string };
    }
  /** Announced once per placement and month: the coach and the employer are told to record it. */
  | { type: 'FollowUpDue'; data: Stamp & { month: FollowUpMonth } };

export type PipelineStatus =
  | 'none'
  | 'proposed'
  | 'interested'
  | 'not_interested'
  | 'applied'
  | 'interviewing'
  | 'offered'
  | 'hired'
  | 'not_hired'
  | 'withdrawn'
  | 'employment_ended';

export interface PipelineState {
  status: PipelineStatus;
  clientId?: string;
  opportunityId?: string;
  startDate?: string;
  followUps: FollowUpMonth[];
  /** Follow-ups announced as due (each at most once). */
  followUpsDue?: FollowUpMonth[];
}

const REASON_CODE = /^[a-z][a-z0-9_]{0,63}$/;

const rule = (message: string) => new AppError('BUSINESS_RULE_VIOLATED', message);

/**
 * From a coach's proposal to a placement and its follow-ups at 1, 3 and 6 months:
 * proposed → interested → applied → interviewing → offered → hired (→ follow-ups) | not_hired;
 * the client may say no at the start or withdraw before being hired.
 */
export const pipelineDecider: Decider<PipelineState, PipelineCommand, PipelineEvent> = {
  initialState: () => ({ status: 'none', followUps: [] }),
  decide(command, state) {
    const stamp: Stamp = { applicationId: command.applicationId, by: command.by, at: command.now };
    const expect = (action: string, ...allowed: PipelineStatus[]) => {
      if (state.status === 'none')
        throw new AppError('NOT_FOUND', `application ${command.applicationId} does not exist`);
      if (!allowed.includes(state.status))
        throw new AppError(
          'ILLEGAL_TRANSITION',
          `cannot ${action}: the application is ${state.status.replace('_', ' ')}`,
        );
    };
    switch (command.type) {
      case 'ProposeOpportunity': {
        if (state.status !== 'none')
          throw new AppError('CONFLICT', `application ${command.applicationId} already exists`);
        const { facts } = command;
        if (!facts.matchingConsent) throw rule('the client has not consented to job matching');
        if (!facts.rightToWork.allowed) throw rule(`no right to work for this opportunity: ${facts.rightToWork.basis}`);
        if (!facts.opportunityOpen) throw rule('the opportunity is not open');
        return [
          {
            type: 'OpportunityProposed',
            data: { ...stamp, clientId: command.clientId, opportunityId: command.opportunityId, match: command.match },
          },
        ];
      }
      case 'RecordClientInterest':
        expect('record the client’s answer', 'proposed');
        return [
          {
            type: command.interested ? 'ClientInterested' : 'ClientNotInterested',
            data: { ...stamp, note: command.note ?? null },
          },
        ];
      case 'SendApplication': {
        expect('send the application', 'interested');
        if (!Array.isArray(command.fields) || command.fields.length === 0)
          throw new AppError('VALIDATION_FAILED', 'an application shares at least one profile part', {
            errors: [{ pointer: '/body/fields', detail: 'must list the profile parts to send' }],
          });
        const consented = new Set(command.facts.consentedScope);
        const beyond = command.fields.filter((f) => !consented.has(f));
        if (beyond.length > 0) throw rule(`the client has not consented to share ${beyond.join(', ')} with employers`);
        return [{ type: 'ApplicationSent', data: { ...stamp, fields: [...new Set(command.fields)] } }];
      }
      case 'ScheduleInterview':
        expect('schedule an interview', 'applied', 'interviewing');
        if (Number.isNaN(Date.parse(command.at)))
          throw new AppError('VALIDATION_FAILED', 'interview time is not valid', {
            errors: [{ pointer: '/body/at', detail: 'must be an ISO 8601 date-time' }],
          });
        return [{ type: 'InterviewScheduled', data: { ...stamp, interviewAt: command.at } }];
      case 'MakeOffer':
        expect('record an offer', 'applied', 'interviewing');
        return [{ type: 'OfferMade', data: stamp }];
      case 'RecordHired':
        expect('record the hiring', 'offered');
        if (!isIsoDate(command.startDate))
          throw new AppError('VALIDATION_FAILED', 'start date is not valid', {
            errors: [{ pointer: '/body/startDate', detail: 'must be a date (YYYY-MM-DD)' }],
          });
        if (command.startDate < command.facts.opportunityStartDate)
          throw new AppError(
            'BUSINESS_RULE_VIOLATED',
            `the start date ${command.startDate} is before the opportunity starts (${command.facts.opportunityStartDate})`,
            {
              errors: [
                {
                  pointer: '/body/startDate',
                  detail: `must be on or after the opportunity's start date ${command.facts.opportunityStartDate}`,
                },
              ],
            },
          );
        return [{ type: 'Hired', data: { ...stamp, startDate: command.startDate } }];
      case 'RecordNotHired': {
        expect('record that the client was not hired', 'applied', 'interviewing', 'offered');
        const p = new Problems();
        p.check(
          isOneOf(NOT_HIRED_REASONS, command.reason),
          '/body/reason',
          `must be one of ${NOT_HIRED_REASONS.join(', ')}`,
        );
        if (command.reason === 'other')
          p.check(isNonEmptyText(command.note), '/body/note', 'is required when the reason is other');
        p.throwIfAny('A reason is required');
        return [{ type: 'NotHired', data: { ...stamp, reason: command.reason, note: command.note ?? null } }];
      }
      case 'WithdrawApplication':
        expect('withdraw', 'proposed', 'interested', 'applied', 'interviewing', 'offered');
        if (!isNonEmptyText(command.reason))
          throw new AppError('VALIDATION_FAILED', 'a reason is required to withdraw', {
            errors: [{ pointer: '/body/reason', detail: 'is required' }],
          });
        return [{ type: 'ApplicationWithdrawn', data: { ...stamp, reason: command.reason } }];
      case 'RecordFollowUp': {
        expect('record a follow-up', 'hired');
        if (!FOLLOW_UP_MONTHS.includes(command.month))
          throw new AppError('VALIDATION_FAILED', 'follow-ups are at 1, 3 and 6 months', {
            errors: [{ pointer: '/body/month', detail: 'must be 1, 3 or 6' }],
          });
        if (state.followUps.includes(command.month))
          throw new AppError('CONFLICT', `the ${command.month}-month follow-up is already recorded`);
        if (!command.stillEmployed && !(typeof command.reasonCode === 'string' && REASON_CODE.test(command.reasonCode)))
          throw new AppError('VALIDATION_FAILED', 'a reason code is required when the person is no longer employed', {
            errors: [
              { pointer: '/body/reasonCode', detail: 'is required when stillEmployed is false (e.g. contract_ended)' },
            ],
          });
        const due = addMonths(state.startDate!, command.month);
        if (dateOf(command.now) < due) throw rule(`the ${command.month}-month follow-up is due on ${due}`);
        return [
          {
            type: 'FollowUpRecorded',
            data: {
              ...stamp,
              month: command.month,
              stillEmployed: command.stillEmployed,
              ...(command.reasonCode === undefined ? {} : { reasonCode: command.reasonCode }),
            },
          },
        ];
      }
      case 'AnnounceFollowUpDue': {
        expect('announce a follow-up', 'hired');
        if (!FOLLOW_UP_MONTHS.includes(command.month))
          throw new AppError('VALIDATION_FAILED', 'follow-ups are at 1, 3 and 6 months', {
            errors: [{ pointer: '/month', detail: 'must be 1, 3 or 6' }],
          });
        // Exactly once: a second announcement (a restart, another replica) is refused, not repeated.
        if (state.followUps.includes(command.month) || (state.followUpsDue ?? []).includes(command.month))
          throw new AppError('CONFLICT', `the ${command.month}-month follow-up is already recorded or announced`);
        const due = addMonths(state.startDate!, command.month);
        if (dateOf(command.now) < due) throw rule(`the ${command.month}-month follow-up is due on ${due}`);
        return [{ type: 'FollowUpDue', data: { ...stamp, month: command.month } }];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'OpportunityProposed':
        return {
          status: 'proposed',
          clientId: event.data.clientId,
          opportunityId: event.data.opportunityId,
          followUps: [],
        };
      case 'ClientInterested':
        return { ...state, status: 'interested' };
      case 'ClientNotInterested':
        return { ...state, status: 'not_interested' };
      case 'ApplicationSent':
        return { ...state, status: 'applied' };
      case 'InterviewScheduled':
        return { ...state, status: 'interviewing' };
      case 'OfferMade':
        return { ...state, status: 'offered' };
      case 'Hired':
        return { ...state, status: 'hired', startDate: event.data.startDate };
      case 'NotHired':
        return { ...state, status: 'not_hired' };
      case 'ApplicationWithdrawn':
        return { ...state, status: 'withdrawn' };
      case 'FollowUpRecorded':
        // Someone no longer employed has no later follow-ups: the placement's outcome is known.
        return {
          ...state,
          status: event.data.stillEmployed ? state.status : 'employment_ended',
          followUps: [...state.followUps, event.data.month],
        };
      case 'FollowUpDue':
        return { ...state, followUpsDue: [...(state.followUpsDue ?? []), event.data.month] };
    }
  },
};
