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
 * `column IN (…)` for a chunk of ids; on PostgreSQL one array parameter for all of them (a list of 500
 * parameters cost it more to plan than to answer). Returns the chunks and the condition for one.
 */
const chunked = (
  tx: SqlExecutor,
  column: string,
  ids: string[],
): { chunks: string[][]; where: (n: number) => string } =>
  tx.dialect === 'postgres'
    ? { chunks: [ids], where: () => `${column} = ANY($1::text[])` }
    : {
        chunks: Array.from({ length: Math.ceil(ids.length / SYNC_CHUNK) }, (_, i) =>
          ids.slice(i * SYNC_CHUNK, (i + 1) * SYNC_CHUNK),
        ),
        where: (n) => `${column} IN (${placeholders(n)})`,
      };

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
  const opportunities = chunked(tx, 'opportunity_id', [...new Set(touched.opportunities)]);
  for (const ids of opportunities.chunks) {
    if (ids.length === 0) continue;
    const rows = await tx.query<OpportunityRow>(
      `SELECT opportunity_id, status, details FROM matching_opportunities WHERE ${opportunities.where(ids.length)}`,
      tx.dialect === 'postgres' ? [ids] : ids,
    );
    const found = new Map(rows.map((r) => [r.opportunity_id, r]));
    for (const id of ids) {
      const row = found.get(id);
      if (row) putOpportunity(engine, row);
      else engine.removeOpportunity(id);
    }
  }
  const candidates = chunked(tx, 'client_id', [...new Set(touched.candidates)]);
  for (const ids of candidates.chunks) {
    if (ids.length === 0) continue;
    const rows = await tx.query<CandidateRow>(
      `SELECT client_id, consent_scope, legal_status, profile FROM matching_candidates WHERE ${candidates.where(ids.length)}`,
      tx.dialect === 'postgres' ? [ids] : ids,
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
