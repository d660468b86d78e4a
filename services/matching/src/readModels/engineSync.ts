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
  await syncKind(tx, touched.opportunities, known.opportunities, {
    select: 'SELECT opportunity_id, status, details FROM matching_opportunities',
    column: 'opportunity_id',
    keyOf: (row: OpportunityRow) => row.opportunity_id,
    fromRow: fromOpportunityRow,
    put: (id, entry) => putOpportunity(engine, id, entry),
  });
  await syncKind(tx, touched.candidates, known.candidates, {
    select: 'SELECT client_id, consent_scope, legal_status, profile FROM matching_candidates',
    column: 'client_id',
    keyOf: (row: CandidateRow) => row.client_id,
    fromRow: fromCandidateRow,
    put: (id, entry) => putCandidate(engine, id, entry),
  });
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

/** One kind of entry (opportunities or candidates): known ones as they are, the rest read back. */
async function syncKind<Row, Value>(
  tx: SqlExecutor,
  touched: Iterable<string>,
  known: ReadonlyMap<string, Entry<Value>>,
  kind: {
    select: string;
    column: string;
    keyOf: (row: Row) => string;
    fromRow: (row: Row) => Entry<Value>;
    put: (id: string, entry: Entry<Value>) => void;
  },
): Promise<void> {
  const ids = [...new Set(touched)];
  const rows = await rowsOf<Row>(
    tx,
    kind.select,
    kind.column,
    ids.filter((id) => !known.has(id)),
    kind.keyOf,
  );
  for (const id of ids) {
    const entry = known.get(id);
    if (entry !== undefined) kind.put(id, entry);
    else {
      const row = rows.get(id);
      kind.put(id, row ? kind.fromRow(row) : null);
    }
  }
}
