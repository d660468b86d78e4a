import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { zeroFreedBytes } from '../audit/zeroFreedBytes.js';
import { ensureDirectoryTables } from '../directory/schema.js';
import { ensurePlacementTables } from '../placements/schema.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';

/**
 * The version of the tables below. Raising it rebuilds them: the projection's checkpoint is named after
 * it, and `ensureReferralsReadModels` empties the tables (and drops those of earlier versions) the
 * first time a process of the new version starts on an existing data directory.
 */
export const READ_MODEL_VERSION = 2;

/** Tables of earlier versions. Version 1 kept names, dates of birth and nationalities in rf_client_index. */
const LEGACY_TABLES = ['rf_client_index'];

/**
 * Read models of the referrals service (rebuildable from the log). No plaintext personal data: people
 * are found through rf_client_terms, keyed blind indexes (HMAC under the network secret) of their name
 * tokens and date of birth, deleted on erasure; message texts stay sealed here and are opened on read.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS rf_read_model_version (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS rf_clients (
    client_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    registered_by_org TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    erased_at TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS rf_client_orgs (
    client_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (client_id, organisation_id)
  )`,
  // field: which personal field the term came from (a correction replaces that field's terms).
  `CREATE TABLE IF NOT EXISTS rf_client_terms (
    client_id TEXT NOT NULL,
    field TEXT NOT NULL,
    term TEXT NOT NULL,
    PRIMARY KEY (client_id, field, term)
  )`,
  `CREATE INDEX IF NOT EXISTS rf_client_terms_term ON rf_client_terms (term, client_id)`,
  // One row per request; once approved, the consent recorded with it is the requester's access.
  `CREATE TABLE IF NOT EXISTS rf_access_requests (
    access_request_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    requester_org TEXT NOT NULL,
    requested_by_user TEXT NOT NULL,
    purpose TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    answered_by_org TEXT,
    reason_code TEXT,
    consent_id TEXT,
    consent_purpose TEXT,
    consent_scope TEXT,
    consent_method TEXT,
    consent_expires_at TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS rf_access_requests_requester ON rf_access_requests (requester_org, requested_at, access_request_id)`,
  `CREATE INDEX IF NOT EXISTS rf_access_requests_client ON rf_access_requests (client_id, requester_org)`,
  // GDPR art. 19: the other organisations that held or worked an erased case, told of its erasure.
  `CREATE TABLE IF NOT EXISTS rf_erasure_notices (
    client_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    erased_at TEXT NOT NULL,
    erased_by_org TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    PRIMARY KEY (client_id, organisation_id)
  )`,
  `CREATE INDEX IF NOT EXISTS rf_erasure_notices_org ON rf_erasure_notices (organisation_id, erased_at, client_id)`,
  `CREATE TABLE IF NOT EXISTS rf_consents (
    consent_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    recipient_org TEXT,
    recipient_category TEXT,
    scope TEXT NOT NULL,
    method TEXT NOT NULL,
    recorded_by_org TEXT NOT NULL,
    recorded_by_user TEXT NOT NULL,
    given_at TEXT NOT NULL,
    expires_at TEXT,
    withdrawn_at TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS rf_consents_client ON rf_consents (client_id)`,
  `CREATE TABLE IF NOT EXISTS rf_needs (
    need_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS rf_needs_client ON rf_needs (client_id)`,
  `CREATE TABLE IF NOT EXISTS rf_need_assessments (
    assessment_id TEXT PRIMARY KEY,
    need_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    priority TEXT NOT NULL,
    assessed_by_org TEXT NOT NULL,
    assessed_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS rf_referrals (
    referral_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    sender_org TEXT NOT NULL,
    receiver_org TEXT NOT NULL,
    service_id TEXT,
    category TEXT NOT NULL,
    need_id TEXT,
    share TEXT NOT NULL,
    status TEXT NOT NULL,
    consent_id TEXT,
    consent_overridden INTEGER NOT NULL,
    override_reason_code TEXT,
    requested_at TEXT NOT NULL,
    respond_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    reason_code TEXT,
    outcome TEXT,
    forwarded_from TEXT
  )`,
  // Inbox/outbox pages walk these in (requested_at DESC, referral_id) order; they also answer the counts.
  `CREATE INDEX IF NOT EXISTS rf_referrals_receiver_time ON rf_referrals (receiver_org, requested_at, referral_id)`,
  `CREATE INDEX IF NOT EXISTS rf_referrals_sender_time ON rf_referrals (sender_org, requested_at, referral_id)`,
  `CREATE INDEX IF NOT EXISTS rf_referrals_receiver_status_time ON rf_referrals (receiver_org, status, requested_at, referral_id)`,
  `CREATE INDEX IF NOT EXISTS rf_referrals_sender_status_time ON rf_referrals (sender_org, status, requested_at, referral_id)`,
  // Superseded by the *_status_time indexes (same prefix).
  `DROP INDEX IF EXISTS rf_referrals_receiver`,
  `DROP INDEX IF EXISTS rf_referrals_sender`,
  `CREATE INDEX IF NOT EXISTS rf_referrals_due ON rf_referrals (status, respond_by)`,
  `CREATE INDEX IF NOT EXISTS rf_referrals_receiver_due ON rf_referrals (receiver_org, status, respond_by)`,
  `CREATE INDEX IF NOT EXISTS rf_referrals_sender_due ON rf_referrals (sender_org, status, respond_by)`,
  `CREATE INDEX IF NOT EXISTS rf_referrals_client ON rf_referrals (client_id)`,
  `CREATE TABLE IF NOT EXISTS rf_referral_messages (
    message_id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    by_org TEXT NOT NULL,
    by_user TEXT NOT NULL,
    at TEXT NOT NULL,
    event_type TEXT NOT NULL,
    sealed_text TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS rf_referral_messages_referral ON rf_referral_messages (referral_id, at)`,
  // An erasure deletes the client's messages by client_id: without it, a scan of every message.
  `CREATE INDEX IF NOT EXISTS rf_referral_messages_client ON rf_referral_messages (client_id)`,
];

/** The secondary indexes above: none serves the projection's own writes, so a rebuild creates them at its end. */
export const READ_MODEL_INDEXES: readonly string[] = DDL.filter((statement) => statement.startsWith('CREATE INDEX'));

/** Idempotent; safe when several processes start together. */
export async function ensureReferralsReadModels(db: SqlDatabase): Promise<void> {
  // Before any row exists: erasure deletes rows, and their bytes must not stay in the file's free pages.
  await zeroFreedBytes(db);
  await applyDdl(db, DDL);
  await upgradeFromEarlierVersions(db);
  // Placements are matching's facts (its consumer writes them); ClientErased purges them.
  await ensurePlacementTables(db);
  // The registry facts are read by the deciders' callers and the suggestions; the consumer writes them.
  await ensureDirectoryTables(db);
}

export const READ_MODEL_TABLES = [
  'rf_clients',
  'rf_client_orgs',
  'rf_client_terms',
  'rf_access_requests',
  'rf_erasure_notices',
  'rf_consents',
  'rf_needs',
  'rf_need_assessments',
  'rf_referrals',
  'rf_referral_messages',
] as const;

/**
 * A data directory (or schema) of an earlier version: its tables are emptied for the rebuild and the
 * tables of earlier versions dropped — with the bytes they held (secure_delete, then VACUUM and a WAL
 * truncation on SQLite: version 1's rf_client_index held names and dates of birth in plaintext).
 */
async function upgradeFromEarlierVersions(db: SqlDatabase): Promise<void> {
  const [row] = await db.query<{ version: number | string }>(
    "SELECT version FROM rf_read_model_version WHERE name = 'read-models'",
  );
  if (row !== undefined && Number(row.version) === READ_MODEL_VERSION) return;
  await db.transaction(async (tx) => {
    for (const table of LEGACY_TABLES) await tx.execute(`DROP TABLE IF EXISTS ${table}`);
    for (const table of READ_MODEL_TABLES) await tx.execute(`DELETE FROM ${table}`);
    await tx.execute(
      `INSERT INTO rf_read_model_version (name, version) VALUES ('read-models', $1)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version`,
      [READ_MODEL_VERSION],
    );
  });
  if (db.dialect === 'sqlite') {
    await db.execute('VACUUM');
    await db.query('PRAGMA wal_checkpoint(TRUNCATE)');
  }
}
