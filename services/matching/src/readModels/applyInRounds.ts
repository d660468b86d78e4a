import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { keyedRounds } from '@estia/infra/projections/keyedRounds.js';
import { insertRows, updateRows, withIdChunks, type Column } from '@estia/infra/sql/multiRow.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { placementFactsOf } from '../application/placementFacts.js';
import type { CandidateEvent } from '../domain/candidates/candidateProfileDecider.js';
import type { OpportunityEvent } from '../domain/opportunities/opportunityDecider.js';
import type { PipelineEvent } from '../domain/pipeline/pipelineDecider.js';
import { OPPORTUNITY_STATUS, STATUS_AFTER } from './statusAfter.js';

type AnyEvent = OpportunityEvent | CandidateEvent | PipelineEvent;

/** The opportunities and candidates a batch wrote: the engine takes their rows once, as the batch leaves them. */
export interface Touched {
  opportunities: string[];
  candidates: string[];
}

/** One set-based write: its rows, and the statement that writes them all. */
interface Write {
  rows: unknown[][];
  run(tx: SqlExecutor, rows: unknown[][]): Promise<void>;
}

const update =
  (table: string, columns: readonly Column[], set: string): Write['run'] =>
  (tx, rows) =>
    updateRows(tx, table, columns, set, rows);
const insert =
  (into: string, tail: string): Write['run'] =>
  (tx, rows) =>
    insertRows(tx, into, rows, tail);

const APPLICATION_UPDATED = 'revision = v.revision, updated_at = v.updated_at';

/**
 * Each statement below is what the event-by-event projection (readModelProjection.ts) runs for one
 * event, over a round's rows at once. `kind` names it.
 */
const WRITES = {
  published: insert(
    'matching_opportunities (opportunity_id, organisation_id, status, details, revision, published_at, updated_at)',
    `ON CONFLICT (opportunity_id) DO UPDATE SET status = 'open', details = excluded.details,
       revision = excluded.revision, updated_at = excluded.updated_at`,
  ),
  revised: update(
    'matching_opportunities',
    [
      ['opportunity_id', 'TEXT'],
      ['details', 'TEXT'],
      ['revision', 'INTEGER'],
      ['updated_at', 'TEXT'],
    ],
    'details = v.details, revision = v.revision, updated_at = v.updated_at',
  ),
  opportunityStatus: update(
    'matching_opportunities',
    [
      ['opportunity_id', 'TEXT'],
      ['status', 'TEXT'],
      ['revision', 'INTEGER'],
      ['updated_at', 'TEXT'],
    ],
    'status = v.status, revision = v.revision, updated_at = v.updated_at',
  ),
  positionTaken: update(
    'matching_opportunities',
    [
      ['opportunity_id', 'TEXT'],
      ['revision', 'INTEGER'],
      ['updated_at', 'TEXT'],
    ],
    'revision = v.revision, updated_at = v.updated_at',
  ),
  consent: insert(
    'matching_candidates (client_id, consent_id, consent_scope, consent_organisation_id, updated_at)',
    `ON CONFLICT (client_id) DO UPDATE SET consent_id = excluded.consent_id, consent_scope = excluded.consent_scope,
       consent_organisation_id = excluded.consent_organisation_id, updated_at = excluded.updated_at`,
  ),
  legalStatus: update(
    'matching_candidates',
    [
      ['client_id', 'TEXT'],
      ['legal_status', 'TEXT'],
      ['updated_at', 'TEXT'],
    ],
    'legal_status = v.legal_status, updated_at = v.updated_at',
  ),
  profile: update(
    'matching_candidates',
    [
      ['client_id', 'TEXT'],
      ['profile', 'TEXT'],
      ['shared_by_organisation_id', 'TEXT'],
      ['updated_at', 'TEXT'],
    ],
    'profile = v.profile, shared_by_organisation_id = v.shared_by_organisation_id, updated_at = v.updated_at',
  ),
  candidateGone: (tx: SqlExecutor, rows: unknown[][]) =>
    withIdChunks(
      tx,
      'DELETE FROM matching_candidates WHERE client_id IN (%IDS%)',
      rows.map(([clientId]) => clientId),
    ),
  proposed: insert(
    `matching_applications (application_id, client_id, opportunity_id, coach_organisation_id,
       employer_organisation_id, status, start_date, follow_ups, revision, updated_at)`,
    'ON CONFLICT (application_id) DO NOTHING',
  ),
  followUpDue: insert(
    'matching_follow_ups_due (application_id, month, announced_at)',
    'ON CONFLICT (application_id, month) DO NOTHING',
  ),
  // The month appended to the row's JSON list as JSON.stringify would print the list with it (the list
  // is only ever written by this projection, as JSON.stringify prints it).
  followUp: update(
    'matching_applications',
    [
      ['application_id', 'TEXT'],
      ['month', 'TEXT'],
      ['still_employed', 'INTEGER'],
      ['revision', 'INTEGER'],
      ['updated_at', 'TEXT'],
    ],
    `follow_ups = CASE WHEN matching_applications.follow_ups = '[]' THEN '[' || v.month || ']'
       ELSE left(matching_applications.follow_ups, -1) || ',' || v.month || ']' END,
     status = CASE WHEN v.still_employed = 1 THEN matching_applications.status ELSE 'employment_ended' END,
     ${APPLICATION_UPDATED}`,
  ),
  applicationStatus: update(
    'matching_applications',
    [
      ['application_id', 'TEXT'],
      ['status', 'TEXT'],
      ['start_date', 'TEXT'],
      ['revision', 'INTEGER'],
      ['updated_at', 'TEXT'],
    ],
    `status = v.status, start_date = COALESCE(v.start_date, matching_applications.start_date), ${APPLICATION_UPDATED}`,
  ),
} satisfies Record<string, Write['run']>;

type Kind = keyof typeof WRITES;

/** The row an event writes, which statement writes it, and the key of that row (table and id). */
interface Planned {
  kind: Kind;
  key: string;
  row: unknown[];
  opportunity?: string;
  candidate?: string;
}

function plan(stored: StoredEvent): Planned | undefined {
  const e = { type: stored.type, data: stored.data } as AnyEvent;
  const at = stored.recordedAt;
  switch (e.type) {
    case 'OpportunityPublished': {
      const id = e.data.opportunityId;
      const row = [id, e.data.publishedBy.organisationId, 'open', JSON.stringify(e.data.details), stored.revision];
      return { kind: 'published', key: `o/${id}`, row: [...row, e.data.publishedAt, at], opportunity: id };
    }
    case 'OpportunityRevised': {
      const id = e.data.opportunityId;
      const row = [id, JSON.stringify(e.data.details), stored.revision, at];
      return { kind: 'revised', key: `o/${id}`, row, opportunity: id };
    }
    case 'OpportunityPaused':
    case 'OpportunityResumed':
    case 'OpportunityFilled':
    case 'OpportunityClosed': {
      const id = e.data.opportunityId;
      const row = [id, OPPORTUNITY_STATUS[e.type], stored.revision, at];
      return { kind: 'opportunityStatus', key: `o/${id}`, row, opportunity: id };
    }
    case 'OpportunityPositionTaken': {
      const id = e.data.opportunityId;
      return { kind: 'positionTaken', key: `o/${id}`, row: [id, stored.revision, at] };
    }
    case 'MatchingConsentRecorded': {
      const id = e.data.clientId;
      const organisation = stored.metadata.actor?.organisationId ?? null;
      const row = [id, e.data.consentId, JSON.stringify(e.data.scope), organisation, at];
      return { kind: 'consent', key: `c/${id}`, row, candidate: id };
    }
    case 'CandidateLegalStatusUpdated': {
      const id = e.data.clientId;
      const row = [id, JSON.stringify(e.data.legalStatus), at];
      return { kind: 'legalStatus', key: `c/${id}`, row, candidate: id };
    }
    case 'CandidateProfileUpdated': {
      const id = e.data.clientId;
      const row = [id, JSON.stringify(e.data.profile), e.data.by.organisationId, at];
      return { kind: 'profile', key: `c/${id}`, row, candidate: id };
    }
    case 'MatchingConsentWithdrawn':
    case 'CandidateErased': {
      const id = e.data.clientId;
      return { kind: 'candidateGone', key: `c/${id}`, row: [id], candidate: id };
    }
    case 'OpportunityProposed': {
      const d = e.data;
      const employer = placementFactsOf(stored.metadata)?.employerOrganisationId ?? '';
      const row = [d.applicationId, d.clientId, d.opportunityId, d.by.organisationId, employer, 'proposed'];
      return { kind: 'proposed', key: `a/${d.applicationId}`, row: [...row, null, '[]', stored.revision, at] };
    }
    case 'FollowUpDue': {
      const { applicationId, month } = e.data;
      return { kind: 'followUpDue', key: `f/${applicationId}/${month}`, row: [applicationId, month, at] };
    }
    case 'FollowUpRecorded': {
      const { applicationId, month, stillEmployed } = e.data;
      // JSON.stringify([…, undefined]) prints null.
      const row = [applicationId, JSON.stringify(month) ?? 'null', stillEmployed ? 1 : 0, stored.revision, at];
      return { kind: 'followUp', key: `a/${applicationId}`, row };
    }
    default: {
      const status = STATUS_AFTER[e.type as PipelineEvent['type']];
      if (status === undefined) return undefined;
      const data = e.data as { applicationId: string; startDate?: string };
      const start = e.type === 'Hired' ? (data.startDate ?? null) : null;
      const row = [data.applicationId, status, start, stored.revision, at];
      return { kind: 'applicationStatus', key: `a/${data.applicationId}`, row };
    }
  }
}

/**
 * A batch's events as the event-by-event projection applies them, a round at a time (keyedRounds.ts):
 * every event writes the one row its key names, so within a round no two events touch the same row
 * and each kind of write is one statement over the round's rows.
 */
export async function applyInRounds(tx: SqlExecutor, events: readonly StoredEvent[], touched: Touched): Promise<void> {
  const planned: Planned[] = [];
  for (const stored of events) {
    const p = plan(stored);
    if (p === undefined) continue;
    planned.push(p);
    if (p.opportunity !== undefined) touched.opportunities.push(p.opportunity);
    if (p.candidate !== undefined) touched.candidates.push(p.candidate);
  }
  for (const round of keyedRounds(planned, (p) => p.key)) {
    const rows = new Map<Kind, unknown[][]>();
    for (const p of round) {
      const list = rows.get(p.kind);
      if (list) list.push(p.row);
      else rows.set(p.kind, [p.row]);
    }
    for (const [kind, list] of rows) await WRITES[kind](tx, list);
  }
}
