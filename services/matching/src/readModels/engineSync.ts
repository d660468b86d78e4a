import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { CandidateProfileData, LegalStatus } from '../domain/candidates/candidateProfile.js';
import type { OpportunityDetails, OpportunityStatus } from '../domain/opportunities/opportunity.js';
import type { MatchEngine } from '../matching/matchEngine.js';
import type { MatchableCandidate, MatchableOpportunity } from '../matching/model.js';

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

/** What the engine holds for a row: the entry to upsert, or null when the row leaves the engine. */
export type Entry<T> = T | null;

/** `details` as the row's JSON reads. */
export const opportunityEntry = (id: string, status: string, details: () => unknown): Entry<MatchableOpportunity> =>
  // Filled and closed are final: nothing will match them again, so they leave the engine's memory.
  status === 'filled' || status === 'closed'
    ? null
    : { id, status: status as OpportunityStatus, details: details() as OpportunityDetails };

/** A candidate with a shared profile; the values as the row's JSON columns read. */
export const candidateEntry = (
  id: string,
  scope: unknown,
  legalStatus: unknown,
  profile: unknown,
): MatchableCandidate => ({
  id,
  legalStatus: legalStatus as LegalStatus | null,
  profile: profile as CandidateProfileData,
  // Without the dates of the legal status, a right to work that needs them is unknown (and said so).
  datesShared: (scope as string[]).includes(LEGAL_STATUS_DATES),
});

const fromOpportunityRow = (row: OpportunityRow) =>
  opportunityEntry(row.opportunity_id, row.status, () => JSON.parse(row.details));

const fromCandidateRow = (row: CandidateRow): Entry<MatchableCandidate> =>
  // Consent without a shared profile yet: nothing to match on.
  row.profile === null
    ? null
    : candidateEntry(
        row.client_id,
        JSON.parse(row.consent_scope),
        row.legal_status === null ? null : JSON.parse(row.legal_status),
        JSON.parse(row.profile),
      );

/** Entries a batch's writes leave known without reading their rows back (knownEntries.ts). */
export interface KnownEntries {
  opportunities: ReadonlyMap<string, Entry<MatchableOpportunity>>;
  candidates: ReadonlyMap<string, Entry<MatchableCandidate>>;
}

const putOpportunity = (engine: MatchEngine, id: string, entry: Entry<MatchableOpportunity>): void =>
  entry === null ? engine.removeOpportunity(id) : engine.upsertOpportunity(entry);
const putCandidate = (engine: MatchEngine, id: string, entry: Entry<MatchableCandidate>): void =>
  entry === null ? engine.removeCandidate(id) : engine.upsertCandidate(entry);

const SYNC_CHUNK = 500;
const placeholders = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ');

/**
 * The rows of `ids` in `table`, by id: one read per chunk, `column IN (…)`; on PostgreSQL one array
 * parameter for all of them (a list of 500 parameters cost it more to plan than to answer).
 */
async function rowsOf<Row>(
  tx: SqlExecutor,
  select: string,
  column: string,
  ids: string[],
  idOf: (row: Row) => string,
): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  if (ids.length === 0) return found;
  if (tx.dialect === 'postgres') {
    for (const row of await tx.query<Row>(`${select} WHERE ${column} = ANY($1::text[])`, [ids]))
      found.set(idOf(row), row);
    return found;
  }
  for (let i = 0; i < ids.length; i += SYNC_CHUNK) {
    const chunk = ids.slice(i, i + SYNC_CHUNK);
    const rows = await tx.query<Row>(`${select} WHERE ${column} IN (${placeholders(chunk.length)})`, chunk);
    for (const row of rows) found.set(idOf(row), row);
  }
  return found;
}

/**
 * The engine entries of many opportunities and candidates, as their rows stand now: each once, as the
 * batch leaves it (a batch touches a candidate several times: consent, status, profile), in the order
 * first touched. Entries the batch's writes leave known are taken as they are; the rest are read back
 * in one read per chunk.
 */
export async function syncMany(
  tx: SqlExecutor,
  engine: MatchEngine,
  touched: { opportunities: Iterable<string>; candidates: Iterable<string> },
  known: KnownEntries = { opportunities: new Map(), candidates: new Map() },
): Promise<void> {
  const opportunities = [...new Set(touched.opportunities)];
  const opportunityRows = await rowsOf<OpportunityRow>(
    tx,
    'SELECT opportunity_id, status, details FROM matching_opportunities',
    'opportunity_id',
    opportunities.filter((id) => !known.opportunities.has(id)),
    (row) => row.opportunity_id,
  );
  for (const id of opportunities) {
    const entry = known.opportunities.get(id);
    if (entry !== undefined) putOpportunity(engine, id, entry);
    else {
      const row = opportunityRows.get(id);
      putOpportunity(engine, id, row ? fromOpportunityRow(row) : null);
    }
  }
  const candidates = [...new Set(touched.candidates)];
  const candidateRows = await rowsOf<CandidateRow>(
    tx,
    'SELECT client_id, consent_scope, legal_status, profile FROM matching_candidates',
    'client_id',
    candidates.filter((id) => !known.candidates.has(id)),
    (row) => row.client_id,
  );
  for (const id of candidates) {
    const entry = known.candidates.get(id);
    if (entry !== undefined) putCandidate(engine, id, entry);
    else {
      const row = candidateRows.get(id);
      putCandidate(engine, id, row ? fromCandidateRow(row) : null);
    }
  }
}

/** At start: the engine from the read models, which stand at the projection's checkpoint. */
export async function loadEngine(db: SqlExecutor, engine: MatchEngine): Promise<void> {
  const opps = await db.query<OpportunityRow>(
    "SELECT opportunity_id, status, details FROM matching_opportunities WHERE status IN ('open', 'paused')",
  );
  for (const row of opps) putOpportunity(engine, row.opportunity_id, fromOpportunityRow(row));
  const cands = await db.query<CandidateRow>(
    'SELECT client_id, consent_scope, legal_status, profile FROM matching_candidates WHERE profile IS NOT NULL',
  );
  for (const row of cands) putCandidate(engine, row.client_id, fromCandidateRow(row));
}
