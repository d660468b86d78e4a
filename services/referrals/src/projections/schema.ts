import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { zeroFreedBytes } from '../audit/zeroFreedBytes.js';
import { ensureDirectoryTables } from '../directory/schema.js';
import { ensurePlacementTables } from '../placements/schema.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';

/**
 * Read models of the referrals service (rebuildable from the log). Identifying data appears only in
 * rf_client_index (needed to find duplicates and to show a client to those allowed to see them) and
 * is deleted on erasure; message texts stay sealed here and are opened on read.
 */
const DDL = [
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
  `CREATE TABLE IF NOT EXISTS rf_client_index (
    client_id TEXT PRIMARY KEY,
    given_names TEXT NOT NULL,
    family_name TEXT NOT NULL,
    other_names TEXT NOT NULL,
    date_of_birth TEXT NOT NULL,
    birth_year TEXT NOT NULL,
    nationalities TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS rf_client_index_year ON rf_client_index (birth_year)`,
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
];

/** Idempotent; safe when several processes start together. */
export async function ensureReferralsReadModels(db: SqlDatabase): Promise<void> {
  // Before any row exists: erasure deletes rows, and their bytes must not stay in the file's free pages.
  await zeroFreedBytes(db);
  await applyDdl(db, DDL);
  // Placements are matching's facts (its consumer writes them); ClientErased purges them.
  await ensurePlacementTables(db);
  // The registry facts are read by the deciders' callers and the suggestions; the consumer writes them.
  await ensureDirectoryTables(db);
}

export const READ_MODEL_TABLES = [
  'rf_clients',
  'rf_client_orgs',
  'rf_client_index',
  'rf_consents',
  'rf_needs',
  'rf_need_assessments',
  'rf_referrals',
  'rf_referral_messages',
] as const;
