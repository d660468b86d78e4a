import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';

/**
 * The client's placements as matching publishes them (applications, hires, follow-ups). Fed by the
 * `referrals.matching` consumer, not by the referrals log: a projection rebuild must not clear them,
 * so they are not in READ_MODEL_TABLES. Rows of an erased client are deleted with the rest of the case.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS rf_placements (
    application_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    opportunity_id TEXT NOT NULL,
    employer_org TEXT NOT NULL,
    opportunity_kind TEXT NOT NULL,
    status TEXT NOT NULL,
    reason_code TEXT,
    status_changed_at TEXT NOT NULL,
    placement_id TEXT,
    start_date TEXT,
    hours_per_week INTEGER,
    contract_type TEXT,
    occupation TEXT,
    hired_at TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS rf_placements_client ON rf_placements (client_id)`,
  `CREATE TABLE IF NOT EXISTS rf_placement_follow_ups (
    placement_id TEXT NOT NULL,
    months_after_start INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    employer_org TEXT NOT NULL,
    still_employed INTEGER NOT NULL,
    reason_code TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (placement_id, months_after_start)
  )`,
  `CREATE INDEX IF NOT EXISTS rf_placement_follow_ups_client ON rf_placement_follow_ups (client_id)`,
];

export const PLACEMENT_TABLES = ['rf_placements', 'rf_placement_follow_ups'] as const;

export async function ensurePlacementTables(db: SqlExecutor): Promise<void> {
  await applyDdl(db, DDL);
}

/** Erasure: the person's employment history goes with the rest of their case. */
export async function purgePlacements(tx: SqlExecutor, clientId: string): Promise<void> {
  for (const table of PLACEMENT_TABLES) await tx.execute(`DELETE FROM ${table} WHERE client_id = $1`, [clientId]);
}
