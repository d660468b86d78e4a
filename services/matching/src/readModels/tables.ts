import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';

/** Tables fed by the matching log (rebuildable) — the projection owns them. */
export const PROJECTED_TABLES = [
  'matching_opportunities',
  'matching_candidates',
  'matching_applications',
  'matching_follow_ups_due',
] as const;

const DDL = [
  `CREATE TABLE IF NOT EXISTS matching_opportunities (
    opportunity_id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    status TEXT NOT NULL,
    details TEXT NOT NULL,
    revision INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS matching_opportunities_org ON matching_opportunities (organisation_id)`,
  `CREATE TABLE IF NOT EXISTS matching_candidates (
    client_id TEXT PRIMARY KEY,
    consent_id TEXT NOT NULL,
    consent_scope TEXT NOT NULL,
    consent_organisation_id TEXT,
    legal_status TEXT,
    profile TEXT,
    shared_by_organisation_id TEXT,
    updated_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS matching_applications (
    application_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    opportunity_id TEXT NOT NULL,
    coach_organisation_id TEXT NOT NULL,
    employer_organisation_id TEXT NOT NULL,
    status TEXT NOT NULL,
    start_date TEXT,
    follow_ups TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS matching_applications_client ON matching_applications (client_id)`,
  `CREATE INDEX IF NOT EXISTS matching_applications_opportunity ON matching_applications (opportunity_id)`,
  // Follow-ups announced as due, so the scheduler passes over them without reading their streams.
  `CREATE TABLE IF NOT EXISTS matching_follow_ups_due (
    application_id TEXT NOT NULL,
    month INTEGER NOT NULL,
    announced_at TEXT NOT NULL,
    PRIMARY KEY (application_id, month)
  )`,
  // Fed by consumers (inbox-idempotent), not by the log: the registry's and referrals' facts.
  `CREATE TABLE IF NOT EXISTS matching_organisations (
    organisation_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    may_exchange INTEGER NOT NULL,
    changed_at TEXT NOT NULL
  )`,
  // The terms exchange is decided on (contracts' exchange rule), as the registry sent them: a licence
  // expiring or a grace period ending stops exchange at decision time, with no event and no stored yes/no.
  `CREATE TABLE IF NOT EXISTS matching_exchange_terms (
    organisation_id TEXT PRIMARY KEY,
    terms TEXT NOT NULL,
    changed_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS matching_sharing_consents (
    consent_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    organisation_id TEXT,
    scope TEXT NOT NULL,
    active INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS matching_sharing_consents_client ON matching_sharing_consents (client_id)`,
  `CREATE TABLE IF NOT EXISTS matching_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
];

/** The projected tables' secondary indexes: its writes go by primary key, so a rebuild creates them at its end. */
export const PROJECTED_INDEXES: readonly string[] = DDL.filter(
  (statement) =>
    statement.startsWith('CREATE INDEX') && PROJECTED_TABLES.some((table) => statement.includes(` ON ${table} (`)),
);

export async function migrateMatchingTables(db: SqlDatabase | SqlExecutor): Promise<void> {
  for (const statement of DDL) await db.execute(statement);
}
