import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@estia/infra/clock/clock.js';
import { handleCommand, handleCommands } from '@estia/infra/commandHandling/handleCommand.js';
import { fold } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { EventMetadata, EventStore, ExpectedVersion } from '@estia/infra/eventStore/types.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import {
  candidateStreamId,
  createCandidateDecider,
  type CandidateCommand,
  type CandidateEvent,
  type CandidateState,
} from '../domain/candidates/candidateProfileDecider.js';
import {
  createOpportunityDecider,
  opportunityStreamId,
  type OpportunityCommand,
  type OpportunityEvent,
  type OpportunityState,
} from '../domain/opportunities/opportunityDecider.js';
import type { OpportunityDetails } from '../domain/opportunities/opportunity.js';
import {
  applicationStreamId,
  pipelineDecider,
  type PipelineCommand,
  type PipelineEvent,
  type PipelineState,
} from '../domain/pipeline/pipelineDecider.js';
import { dateOf } from '../domain/shared/dates.js';
import type { EscoCatalogue } from '../esco/catalogue.js';
import type { MatchEngine } from '../matching/matchEngine.js';
import { rightToWork } from '../rightToWork/rightToWork.js';
import { PLACEMENT_FACTS, placementFactsOf, type PlacementFacts } from './placementFacts.js';
import { matchingQueries } from './queries.js';

export interface MatchingCommandDeps {
  store: EventStore;
  db: SqlExecutor;
  esco: EscoCatalogue;
  engine: MatchEngine;
  clock?: Clock;
}

type By = { organisationId: string; userId: string };

export interface CommandOutcome {
  /** New stream version (the ETag); null when nothing exists. */
  version: number | null;
  /** Global position of the last event written, for read-your-writes; undefined when nothing was written. */
  position: number | undefined;
  /** Number of events written. */
  written: number;
}

const outcome = (r: {
  nextExpectedVersion: number | null;
  lastPosition?: number;
  events: unknown[];
}): CommandOutcome => ({
  version: r.nextExpectedVersion,
  position: r.lastPosition,
  written: r.events.length,
});

const load = async <S, E>(
  store: EventStore,
  streamId: string,
  decider: { initialState: () => S; evolve: (s: S, e: E) => S },
): Promise<{ state: S; version: number | null; first: { metadata: EventMetadata } | undefined }> => {
  const events = await store.readStream(streamId);
  const state = fold(
    decider,
    events.map((e) => ({ type: e.type, data: e.data }) as E),
  );
  return { state, version: events.length === 0 ? null : events[events.length - 1]!.revision, first: events[0] };
};

export type OpportunityAction =
  | { type: 'PauseOpportunity'; reason?: string }
  | { type: 'ResumeOpportunity' }
  | { type: 'MarkOpportunityFilled' }
  | { type: 'CloseOpportunity'; reason: string };

export type PipelineStep =
  | { type: 'RecordClientInterest'; interested: boolean; note?: string }
  | { type: 'SendApplication'; fields: string[] }
  | { type: 'ScheduleInterview'; at: string }
  | { type: 'MakeOffer' }
  | { type: 'RecordHired'; startDate: string }
  | { type: 'RecordNotHired'; reason: Extract<PipelineCommand, { type: 'RecordNotHired' }>['reason']; note?: string }
  | { type: 'WithdrawApplication'; reason: string }
  | { type: 'RecordFollowUp'; month: 1 | 3 | 6; stillEmployed: boolean; reasonCode?: string };

/**
 * Load → decide → append for the three aggregates of matching. Facts a decider needs from elsewhere
 * (membership, consent, right to work, the opportunity's state) are looked up here, never trusted from a body.
 */
export function matchingCommands(deps: MatchingCommandDeps) {
  const { store, esco, engine } = deps;
  const clock = deps.clock ?? systemClock;
  const now = () => clock().toISOString();
  const queries = matchingQueries(deps.db);
  const opportunityDecider = createOpportunityDecider(esco);
  const candidateDecider = createCandidateDecider(esco);

  const runOpportunity = async (
    opportunityId: string,
    command: OpportunityCommand,
    metadata: EventMetadata,
    expectedVersion?: ExpectedVersion,
  ) =>
    outcome(
      await handleCommand<OpportunityState, OpportunityCommand, OpportunityEvent>({
        store,
        streamId: opportunityStreamId(opportunityId),
        decider: opportunityDecider,
        command,
        metadata,
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      }),
    );

  const mayExchange = async (organisationId: string): Promise<boolean> =>
    (await queries.organisation(organisationId, now()))?.mayExchange === true;

  return {
    async publishOpportunity(by: By, details: OpportunityDetails, metadata: EventMetadata) {
      const opportunityId = randomUUID();
      const result = await runOpportunity(
        opportunityId,
        {
          type: 'PublishOpportunity',
          opportunityId,
          now: now(),
          by,
          organisation: { approved: await mayExchange(by.organisationId) },
          details,
        },
        metadata,
        'no-stream',
      );
      return { opportunityId, ...result };
    },

    /** JSON merge patch of the details; the merged whole is validated again by the decider. */
    async reviseOpportunity(
      opportunityId: string,
      by: By,
      patch: Partial<OpportunityDetails>,
      metadata: EventMetadata,
      ifMatch?: number | 'exists',
    ) {
      const { state, version } = await load(store, opportunityStreamId(opportunityId), opportunityDecider);
      if (state.status === 'none') throw new AppError('NOT_FOUND', `opportunity ${opportunityId} does not exist`);
      const details = { ...state.details, ...patch } as OpportunityDetails;
      // The merge was made on `version`: a change since then must not be overwritten silently.
      const expected = typeof ifMatch === 'number' ? ifMatch : (version ?? 'exists');
      return runOpportunity(
        opportunityId,
        { type: 'ReviseOpportunity', opportunityId, now: now(), by, details },
        metadata,
        expected,
      );
    },

    async changeOpportunity(
      opportunityId: string,
      by: By,
      action: OpportunityAction,
      metadata: EventMetadata,
      ifMatch?: number | 'exists',
    ) {
      return runOpportunity(
        opportunityId,
        { ...action, opportunityId, now: now(), by } as OpportunityCommand,
        metadata,
        ifMatch ?? 'exists',
      );
    },

    /** Commands fed by the referrals consumer (consent, profile, erasure). */
    async candidate(command: CandidateCommand, metadata: EventMetadata): Promise<CommandOutcome> {
      return outcome(
        await handleCommand<CandidateState, CandidateCommand, CandidateEvent>({
          store,
          streamId: candidateStreamId(command.clientId),
          decider: candidateDecider,
          command,
          metadata,
          retriesOnConflict: 3,
        }),
      );
    },

    async candidateState(clientId: string): Promise<CandidateState> {
      return (await load(store, candidateStreamId(clientId), candidateDecider)).state;
    },

    async propose(by: By, clientId: string, opportunityId: string, metadata: EventMetadata) {
      const applicationId = randomUUID();
      const at = now();
      const [candidate, opportunity] = await Promise.all([
        load(store, candidateStreamId(clientId), candidateDecider),
        load(store, opportunityStreamId(opportunityId), opportunityDecider),
      ]);
      const opp = opportunity.state;
      if (opp.status === 'none') throw new AppError('NOT_FOUND', `opportunity ${opportunityId} does not exist`);
      const cand = candidate.state;
      const legal = cand.status === 'consented' ? cand.legalStatus : null;
      const today = dateOf(at);
      const startsOn = opp.details.startDate > today ? opp.details.startDate : today;
      const rtw = rightToWork(legal, opp.details.type, startsOn, engine.rules);
      const pair = engine.explainPair(clientId, opportunityId, at)?.match;
      const match = pair
        ? { score: pair.score, label: pair.label, rightToWorkBasis: rtw.basis }
        : { score: 0, label: 'weak' as const, rightToWorkBasis: rtw.basis };
      const facts: PlacementFacts = {
        clientId,
        opportunityId,
        employerOrganisationId: opp.organisationId,
        coachOrganisationId: by.organisationId,
        opportunityKind: opp.details.type,
        previousStatus: 'none',
      };
      const result = await handleCommand<PipelineState, PipelineCommand, PipelineEvent>({
        store,
        streamId: applicationStreamId(applicationId),
        decider: pipelineDecider,
        command: {
          type: 'ProposeOpportunity',
          applicationId,
          now: at,
          by,
          clientId,
          opportunityId,
          facts: {
            matchingConsent: cand.status === 'consented',
            rightToWork: { allowed: rtw.allowed, basis: rtw.basis },
            opportunityOpen: opp.status === 'open',
          },
          match,
        },
        metadata: { ...metadata, [PLACEMENT_FACTS]: facts },
        expectedVersion: 'no-stream',
      });
      return { applicationId, ...outcome(result) };
    },

    async step(
      applicationId: string,
      by: By,
      step: PipelineStep,
      metadata: EventMetadata,
      ifMatch?: number | 'exists',
    ): Promise<CommandOutcome> {
      const streamId = applicationStreamId(applicationId);
      const { state, version, first } = await load(store, streamId, pipelineDecider);
      const proposed = first && placementFactsOf(first.metadata);
      if (state.status === 'none' || !proposed)
        throw new AppError('NOT_FOUND', `placement ${applicationId} does not exist`);
      const facts: PlacementFacts = { ...proposed, previousStatus: state.status };
      delete facts.job;
      let command: PipelineCommand;
      const base = { applicationId, now: now(), by };
      // Facts were read at `version`: deciding on any other version would publish a wrong previousStatus.
      const expected = typeof ifMatch === 'number' ? ifMatch : version!;
      const pipeline = (cmd: PipelineCommand) => ({
        store,
        streamId,
        decider: pipelineDecider,
        command: cmd,
        metadata: { ...metadata, [PLACEMENT_FACTS]: facts },
        expectedVersion: expected,
      });
      if (step.type === 'SendApplication') {
        const consentedScope = await queries.sharingScope(proposed.clientId, proposed.employerOrganisationId);
        command = { ...base, ...step, facts: { consentedScope } };
      } else if (step.type === 'RecordHired') {
        const opportunity = await load(store, opportunityStreamId(proposed.opportunityId), opportunityDecider);
        const opp = opportunity.state;
        if (opp.status === 'none')
          throw new AppError('NOT_FOUND', `opportunity ${proposed.opportunityId} does not exist`);
        facts.job = {
          occupation: opp.details.occupation,
          hoursPerWeek: opp.details.hoursPerWeek,
          contractType: opp.details.contractType,
        };
        command = { ...base, ...step, facts: { opportunityStartDate: opp.details.startDate } };
        // The hire and the position it takes are one decision: both streams are written, or neither; the
        // last position fills the opportunity.
        const [hired] = await handleCommands([
          pipeline(command),
          {
            store,
            streamId: opportunityStreamId(proposed.opportunityId),
            decider: opportunityDecider,
            command: {
              type: 'TakePosition',
              opportunityId: proposed.opportunityId,
              applicationId,
              now: base.now,
              by,
            } satisfies OpportunityCommand,
            metadata,
            expectedVersion: opportunity.version ?? 'exists',
          },
        ] as const);
        return outcome(hired);
      } else command = { ...base, ...step } as PipelineCommand;
      return outcome(await handleCommand<PipelineState, PipelineCommand, PipelineEvent>(pipeline(command)));
    },
  };
}

export type MatchingCommands = ReturnType<typeof matchingCommands>;
