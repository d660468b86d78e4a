import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';

/**
 * The local copy of the registry's directory, fed only by its integration events (never its tables):
 * who may exchange cases, and each published service with what suggestions and deciders need.
 * Lists are JSON text; the directory of a network is small enough to filter them in memory.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS rf_organisations (
    organisation_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    may_exchange INTEGER NOT NULL,
    changed_at TEXT NOT NULL
  )`,
  // The terms exchange is decided on (contracts' exchange rule), kept as the registry sent them: a licence
  // expiring or a grace period ending stops exchange at decision time, with no event and no stored yes/no.
  `CREATE TABLE IF NOT EXISTS rf_exchange_terms (
    organisation_id TEXT PRIMARY KEY,
    terms TEXT NOT NULL,
    changed_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS rf_directory (
    service_id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    category_code TEXT NOT NULL,
    legal_statuses TEXT NOT NULL,
    languages TEXT NOT NULL,
    service_areas TEXT NOT NULL,
    locations TEXT NOT NULL,
    intake_status TEXT NOT NULL,
    available INTEGER,
    response_time_hours DOUBLE PRECISION NOT NULL,
    revision INTEGER NOT NULL,
    withdrawn INTEGER NOT NULL,
    changed_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS rf_directory_category ON rf_directory (category, withdrawn, intake_status)`,
];

export async function ensureDirectoryTables(db: SqlDatabase): Promise<void> {
  await applyDdl(db, DDL);
}
