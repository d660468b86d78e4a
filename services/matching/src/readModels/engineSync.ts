import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { CandidateProfileData, LegalStatus } from '../domain/candidates/candidateProfile.js';
import type { OpportunityDetails, OpportunityStatus } from '../domain/opportunities/opportunity.js';
import type { MatchEngine } from '../matching/matchEngine.js';

/** The consent scope that shares permit and application dates. */
export const LEGAL_STATUS_DATES = 'legal_status_dates';

interface OpportunityRow {
  opportunity_id: string;
  status: string;
  details: string;
}
interface CandidateRow {
  client_id: string;
  consent_scope: string;
  legal_status: string | null;
  profile: string | null;
}

const putOpportunity = (engine: MatchEngine, row: OpportunityRow): void => {
  // Filled and closed are final: nothing will match them again, so they leave the engine's memory.
  if (row.status === 'filled' || row.status === 'closed') return engine.removeOpportunity(row.opportunity_id);
  engine.upsertOpportunity({
    id: row.opportunity_id,
    status: row.status as OpportunityStatus,
    details: JSON.parse(row.details) as OpportunityDetails,
  });
};

const putCandidate = (engine: MatchEngine, row: CandidateRow): void => {
  // Consent without a shared profile yet: nothing to match on.
  if (row.profile === null) return engine.removeCandidate(row.client_id);
  engine.upsertCandidate({
    id: row.client_id,
    legalStatus: row.legal_status === null ? null : (JSON.parse(row.legal_status) as LegalStatus),
    profile: JSON.parse(row.profile) as CandidateProfileData,
    // Without the dates of the legal status, a right to work that needs them is unknown (and said so).
    datesShared: (JSON.parse(row.consent_scope) as string[]).includes(LEGAL_STATUS_DATES),
  });
};

export async function syncOpportunity(tx: SqlExecutor, engine: MatchEngine, id: string): Promise<void> {
  const [row] = await tx.query<OpportunityRow>(
    'SELECT opportunity_id, status, details FROM matching_opportunities WHERE opportunity_id = $1',
    [id],
  );
  if (row) putOpportunity(engine, row);
  else engine.removeOpportunity(id);
}

export async function syncCandidate(tx: SqlExecutor, engine: MatchEngine, clientId: string): Promise<void> {
  const [row] = await tx.query<CandidateRow>(
    'SELECT client_id, consent_scope, legal_status, profile FROM matching_candidates WHERE client_id = $1',
    [clientId],
  );
  if (row) putCandidate(engine, row);
  else engine.removeCandidate(clientId);
}

/** At start: the engine from the read models, which stand at the projection's checkpoint. */
export async function loadEngine(db: SqlExecutor, engine: MatchEngine): Promise<void> {
  const opps = await db.query<OpportunityRow>(
    "SELECT opportunity_id, status, details FROM matching_opportunities WHERE status IN ('open', 'paused')",
  );
  for (const row of opps) putOpportunity(engine, row);
  const cands = await db.query<CandidateRow>(
    'SELECT client_id, consent_scope, legal_status, profile FROM matching_candidates WHERE profile IS NOT NULL',
  );
  for (const row of cands) putCandidate(engine, row);
}
