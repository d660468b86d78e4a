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

const SYNC_CHUNK = 500;
const placeholders = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');

/**
 * The engine entries of many opportunities and candidates, as their rows stand now: one read per
 * chunk instead of one per event. A projection batch touches a candidate several times (consent,
 * status, profile); the engine only needs the row as the batch leaves it.
 */
export async function syncMany(
  tx: SqlExecutor,
  engine: MatchEngine,
  touched: { opportunities: Iterable<string>; candidates: Iterable<string> },
): Promise<void> {
  const opportunities = [...new Set(touched.opportunities)];
  for (let i = 0; i < opportunities.length; i += SYNC_CHUNK) {
    const ids = opportunities.slice(i, i + SYNC_CHUNK);
    const rows = await tx.query<OpportunityRow>(
      `SELECT opportunity_id, status, details FROM matching_opportunities WHERE opportunity_id IN (${placeholders(ids.length)})`,
      ids,
    );
    const found = new Map(rows.map((r) => [r.opportunity_id, r]));
    for (const id of ids) {
      const row = found.get(id);
      if (row) putOpportunity(engine, row);
      else engine.removeOpportunity(id);
    }
  }
  const candidates = [...new Set(touched.candidates)];
  for (let i = 0; i < candidates.length; i += SYNC_CHUNK) {
    const ids = candidates.slice(i, i + SYNC_CHUNK);
    const rows = await tx.query<CandidateRow>(
      `SELECT client_id, consent_scope, legal_status, profile FROM matching_candidates WHERE client_id IN (${placeholders(ids.length)})`,
      ids,
    );
    const found = new Map(rows.map((r) => [r.client_id, r]));
    for (const id of ids) {
      const row = found.get(id);
      if (row) putCandidate(engine, row);
      else engine.removeCandidate(id);
    }
  }
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
