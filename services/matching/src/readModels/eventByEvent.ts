import type { Projection } from '@estia/infra/projections/projection.js';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { CandidateEvent } from '../domain/candidates/candidateProfileDecider.js';
import type { OpportunityEvent } from '../domain/opportunities/opportunityDecider.js';
import type { PipelineEvent } from '../domain/pipeline/pipelineDecider.js';
import type { MatchEngine } from '../matching/matchEngine.js';
import { placementFactsOf } from '../application/placementFacts.js';
import { syncMany } from './engineSync.js';
import { matchingReadModels } from './readModelProjection.js';
import { OPPORTUNITY_STATUS, STATUS_AFTER } from './statusAfter.js';

type AnyEvent = OpportunityEvent | CandidateEvent | PipelineEvent;

interface Touched {
  opportunities: string[];
  candidates: string[];
}

/**
 * The read models' meaning, one statement per event and the engine synced from the rows read back: the
 * reference the projection's folded, set-based writes (rowWrites.ts, foldWrites.ts, applyWrites.ts)
 * are compared with in the specs. Not used in production.
 */
export const eventByEventReadModels = (engine: MatchEngine): Projection => ({
  ...matchingReadModels(engine),
  async handle(tx, events) {
    const touched: Touched = { opportunities: [], candidates: [] };
    for (const stored of events) await apply(tx, stored, touched);
    await syncMany(tx, engine, touched);
  },
});

async function apply(tx: SqlExecutor, stored: StoredEvent, touched: Touched): Promise<void> {
  const e = { type: stored.type, data: stored.data } as AnyEvent;
  const at = stored.recordedAt;
  switch (e.type) {
    case 'OpportunityPublished':
      await tx.execute(
        `INSERT INTO matching_opportunities (opportunity_id, organisation_id, status, details, revision, published_at, updated_at)
         VALUES ($1, $2, 'open', $3, $4, $5, $6)
         ON CONFLICT (opportunity_id) DO UPDATE SET status = 'open', details = $3, revision = $4, updated_at = $6`,
        [
          e.data.opportunityId,
          e.data.publishedBy.organisationId,
          JSON.stringify(e.data.details),
          stored.revision,
          e.data.publishedAt,
          at,
        ],
      );
      return void touched.opportunities.push(e.data.opportunityId);
    case 'OpportunityRevised':
      await tx.execute(
        'UPDATE matching_opportunities SET details = $2, revision = $3, updated_at = $4 WHERE opportunity_id = $1',
        [e.data.opportunityId, JSON.stringify(e.data.details), stored.revision, at],
      );
      return void touched.opportunities.push(e.data.opportunityId);
    case 'OpportunityPaused':
    case 'OpportunityResumed':
    case 'OpportunityFilled':
    case 'OpportunityClosed':
      await tx.execute(
        'UPDATE matching_opportunities SET status = $2, revision = $3, updated_at = $4 WHERE opportunity_id = $1',
        [e.data.opportunityId, OPPORTUNITY_STATUS[e.type], stored.revision, at],
      );
      return void touched.opportunities.push(e.data.opportunityId);
    case 'OpportunityPositionTaken':
      // The hired count is read from the applications; the revision moves on (the ETag).
      await tx.execute('UPDATE matching_opportunities SET revision = $2, updated_at = $3 WHERE opportunity_id = $1', [
        e.data.opportunityId,
        stored.revision,
        at,
      ]);
      return;

    case 'MatchingConsentRecorded':
      // A renewed consent keeps the profile (the decider's state does too); a first one starts empty.
      await tx.execute(
        `INSERT INTO matching_candidates (client_id, consent_id, consent_scope, consent_organisation_id, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (client_id) DO UPDATE SET consent_id = $2, consent_scope = $3, consent_organisation_id = $4, updated_at = $5`,
        [
          e.data.clientId,
          e.data.consentId,
          JSON.stringify(e.data.scope),
          stored.metadata.actor?.organisationId ?? null,
          at,
        ],
      );
      return void touched.candidates.push(e.data.clientId);
    case 'CandidateLegalStatusUpdated':
      await tx.execute('UPDATE matching_candidates SET legal_status = $2, updated_at = $3 WHERE client_id = $1', [
        e.data.clientId,
        JSON.stringify(e.data.legalStatus),
        at,
      ]);
      return void touched.candidates.push(e.data.clientId);
    case 'CandidateProfileUpdated':
      await tx.execute(
        'UPDATE matching_candidates SET profile = $2, shared_by_organisation_id = $3, updated_at = $4 WHERE client_id = $1',
        [e.data.clientId, JSON.stringify(e.data.profile), e.data.by.organisationId, at],
      );
      return void touched.candidates.push(e.data.clientId);
    case 'MatchingConsentWithdrawn':
    case 'CandidateErased':
      await tx.execute('DELETE FROM matching_candidates WHERE client_id = $1', [e.data.clientId]);
      touched.candidates.push(e.data.clientId);
      return;

    case 'OpportunityProposed': {
      const facts = placementFactsOf(stored.metadata);
      await tx.execute(
        `INSERT INTO matching_applications (application_id, client_id, opportunity_id, coach_organisation_id,
           employer_organisation_id, status, start_date, follow_ups, revision, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'proposed', NULL, '[]', $6, $7)
         ON CONFLICT (application_id) DO NOTHING`,
        [
          e.data.applicationId,
          e.data.clientId,
          e.data.opportunityId,
          e.data.by.organisationId,
          facts?.employerOrganisationId ?? '',
          stored.revision,
          at,
        ],
      );
      return;
    }
    case 'FollowUpDue':
      await tx.execute(
        `INSERT INTO matching_follow_ups_due (application_id, month, announced_at) VALUES ($1, $2, $3)
         ON CONFLICT (application_id, month) DO NOTHING`,
        [e.data.applicationId, e.data.month, at],
      );
      return;
    case 'FollowUpRecorded': {
      const [row] = await tx.query<{ follow_ups: string; status: string }>(
        'SELECT follow_ups, status FROM matching_applications WHERE application_id = $1',
        [e.data.applicationId],
      );
      if (!row) return;
      const followUps = [...(JSON.parse(row.follow_ups) as number[]), e.data.month];
      await tx.execute(
        'UPDATE matching_applications SET follow_ups = $2, status = $3, revision = $4, updated_at = $5 WHERE application_id = $1',
        [
          e.data.applicationId,
          JSON.stringify(followUps),
          e.data.stillEmployed ? row.status : 'employment_ended',
          stored.revision,
          at,
        ],
      );
      return;
    }
    default: {
      const status = STATUS_AFTER[e.type as PipelineEvent['type']];
      if (status === undefined) return;
      const data = e.data as { applicationId: string; startDate?: string };
      await tx.execute(
        `UPDATE matching_applications SET status = $2, start_date = COALESCE($3, start_date), revision = $4, updated_at = $5
         WHERE application_id = $1`,
        [data.applicationId, status, e.type === 'Hired' ? (data.startDate ?? null) : null, stored.revision, at],
      );
    }
  }
}
