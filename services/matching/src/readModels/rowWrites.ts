import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { placementFactsOf } from '../application/placementFacts.js';
import type { CandidateEvent } from '../domain/candidates/candidateProfileDecider.js';
import type { OpportunityEvent } from '../domain/opportunities/opportunityDecider.js';
import type { PipelineEvent } from '../domain/pipeline/pipelineDecider.js';
import { OPPORTUNITY_STATUS, STATUS_AFTER } from './statusAfter.js';

type AnyEvent = OpportunityEvent | CandidateEvent | PipelineEvent;

export type Table =
  'matching_opportunities' | 'matching_candidates' | 'matching_applications' | 'matching_follow_ups_due';

/** Each projected table's key columns (its primary key, in order). */
export const KEY_COLUMNS: Record<Table, readonly string[]> = {
  matching_opportunities: ['opportunity_id'],
  matching_candidates: ['client_id'],
  matching_applications: ['application_id'],
  matching_follow_ups_due: ['application_id', 'month'],
};

/** Columns PostgreSQL must read as numbers when they arrive as JSON text (the rest are TEXT). */
export const INTEGER_COLUMNS: ReadonlySet<string> = new Set(['revision', 'month', 'still_employed']);

/**
 * What one event does to the one row it names, in the terms of an SQL statement:
 * - `upsert`: insert `insert` if the row is missing, else assign `set` (every column of `set` is inserted with
 *   the same value, which is what lets two writes to a row fold into one, see foldWrites.ts);
 * - `update`: assign `set` if the row exists;
 * - `delete`;
 * - `followUp`: append a month to the row's follow-ups, reading what the row holds.
 * `json` holds, beside the JSON text written, the value it was printed from: the engine takes it as it is.
 */
export type RowWrite =
  | {
      op: 'upsert';
      table: Table;
      key: string;
      insert: Record<string, unknown>;
      set: Record<string, unknown>;
      json: Record<string, unknown>;
    }
  | { op: 'update'; table: Table; key: string; id: string; set: Record<string, unknown>; json: Record<string, unknown> }
  | { op: 'delete'; table: Table; key: string; id: string }
  | {
      op: 'followUp';
      table: Table;
      key: string;
      id: string;
      month: string;
      stillEmployed: 0 | 1;
      revision: number;
      at: string;
    };

/** The row write of an event and, for the engine, the opportunity or candidate it changes. */
export interface PlannedWrite {
  write: RowWrite;
  opportunity?: string;
  candidate?: string;
}

/** The statement the event-by-event projection (eventByEvent.ts) runs for an event, as a row write. */
export function rowWriteOf(stored: StoredEvent): PlannedWrite | undefined {
  const e = { type: stored.type, data: stored.data } as AnyEvent;
  const at = stored.recordedAt;
  const revision = stored.revision;
  switch (e.type) {
    case 'OpportunityPublished': {
      const id = e.data.opportunityId;
      const set = { status: 'open', details: JSON.stringify(e.data.details), revision, updated_at: at };
      const insert = {
        opportunity_id: id,
        organisation_id: e.data.publishedBy.organisationId,
        ...set,
        published_at: e.data.publishedAt,
      };
      const json = { details: e.data.details };
      return {
        write: { op: 'upsert', table: 'matching_opportunities', key: `o/${id}`, insert, set, json },
        opportunity: id,
      };
    }
    case 'OpportunityRevised': {
      const id = e.data.opportunityId;
      const set = { details: JSON.stringify(e.data.details), revision, updated_at: at };
      const json = { details: e.data.details };
      return {
        write: { op: 'update', table: 'matching_opportunities', key: `o/${id}`, id, set, json },
        opportunity: id,
      };
    }
    case 'OpportunityPaused':
    case 'OpportunityResumed':
    case 'OpportunityFilled':
    case 'OpportunityClosed': {
      const id = e.data.opportunityId;
      const set = { status: OPPORTUNITY_STATUS[e.type], revision, updated_at: at };
      return {
        write: { op: 'update', table: 'matching_opportunities', key: `o/${id}`, id, set, json: {} },
        opportunity: id,
      };
    }
    case 'OpportunityPositionTaken': {
      // The hired count is read from the applications; the revision moves on (the ETag).
      const id = e.data.opportunityId;
      const set = { revision, updated_at: at };
      return { write: { op: 'update', table: 'matching_opportunities', key: `o/${id}`, id, set, json: {} } };
    }
    case 'MatchingConsentRecorded': {
      // A renewed consent keeps the profile (the decider's state does too); a first one starts empty.
      const id = e.data.clientId;
      const set = {
        consent_id: e.data.consentId,
        consent_scope: JSON.stringify(e.data.scope),
        consent_organisation_id: stored.metadata.actor?.organisationId ?? null,
        updated_at: at,
      };
      const write: RowWrite = {
        op: 'upsert',
        table: 'matching_candidates',
        key: `c/${id}`,
        insert: { client_id: id, ...set },
        set,
        json: { consent_scope: e.data.scope },
      };
      return { write, candidate: id };
    }
    case 'CandidateLegalStatusUpdated': {
      const id = e.data.clientId;
      const set = { legal_status: JSON.stringify(e.data.legalStatus), updated_at: at };
      const json = { legal_status: e.data.legalStatus };
      return { write: { op: 'update', table: 'matching_candidates', key: `c/${id}`, id, set, json }, candidate: id };
    }
    case 'CandidateProfileUpdated': {
      const id = e.data.clientId;
      const set = {
        profile: JSON.stringify(e.data.profile),
        shared_by_organisation_id: e.data.by.organisationId,
        updated_at: at,
      };
      const json = { profile: e.data.profile };
      return { write: { op: 'update', table: 'matching_candidates', key: `c/${id}`, id, set, json }, candidate: id };
    }
    case 'MatchingConsentWithdrawn':
    case 'CandidateErased': {
      const id = e.data.clientId;
      return { write: { op: 'delete', table: 'matching_candidates', key: `c/${id}`, id }, candidate: id };
    }
    case 'OpportunityProposed': {
      const d = e.data;
      const insert = {
        application_id: d.applicationId,
        client_id: d.clientId,
        opportunity_id: d.opportunityId,
        coach_organisation_id: d.by.organisationId,
        employer_organisation_id: placementFactsOf(stored.metadata)?.employerOrganisationId ?? '',
        status: 'proposed',
        start_date: null,
        follow_ups: '[]',
        revision,
        updated_at: at,
      };
      return {
        write: { op: 'upsert', table: 'matching_applications', key: `a/${d.applicationId}`, insert, set: {}, json: {} },
      };
    }
    case 'FollowUpDue': {
      const { applicationId, month } = e.data;
      const insert = { application_id: applicationId, month, announced_at: at };
      const key = `f/${applicationId}/${month}`;
      return { write: { op: 'upsert', table: 'matching_follow_ups_due', key, insert, set: {}, json: {} } };
    }
    case 'FollowUpRecorded': {
      const { applicationId, month, stillEmployed } = e.data;
      const write: RowWrite = {
        op: 'followUp',
        table: 'matching_applications',
        key: `a/${applicationId}`,
        id: applicationId,
        // As JSON.stringify prints the month in the list (of undefined: null).
        month: JSON.stringify(month) ?? 'null',
        stillEmployed: stillEmployed ? 1 : 0,
        revision,
        at,
      };
      return { write };
    }
    default: {
      const status = STATUS_AFTER[e.type as PipelineEvent['type']];
      if (status === undefined) return undefined;
      const data = e.data as { applicationId: string; startDate?: string };
      const start = e.type === 'Hired' ? (data.startDate ?? null) : null;
      // start_date = COALESCE(start, start_date): without a start the column is left as it is.
      const set = { status, ...(start === null ? {} : { start_date: start }), revision, updated_at: at };
      return {
        write: {
          op: 'update',
          table: 'matching_applications',
          key: `a/${data.applicationId}`,
          id: data.applicationId,
          set,
          json: {},
        },
      };
    }
  }
}
