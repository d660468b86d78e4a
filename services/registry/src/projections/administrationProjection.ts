import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { Projection } from '@estia/infra/projections/projection.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import type { ApiClientEvent } from '../domain/apiClient/apiClient.js';
import type { CodeOfConductAccepted } from '../domain/organisation/organisation.js';

/**
 * What the administration screens list and the streams cannot answer without reading every one: an
 * organisation's API clients (never their secret hashes) and every code-of-conduct acceptance ever
 * made (an organisation's stream only says which version it accepted last).
 */
export const ADMINISTRATION_EVENT_TYPES = [
  'ApiClientCreated',
  'ApiClientSecretRotated',
  'ApiClientRevoked',
  'CodeOfConductAccepted',
] as const;
const TABLES = ['registry_api_clients', 'registry_code_acceptances'] as const;

async function ensureAdministrationTables(db: SqlDatabase): Promise<void> {
  await db.execute(`CREATE TABLE IF NOT EXISTS registry_api_clients (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    secret_rotated_at TEXT,
    revoked_at TEXT
  )`);
  await db.execute(
    'CREATE INDEX IF NOT EXISTS registry_api_clients_organisation ON registry_api_clients (organisation_id, created_at)',
  );
  await db.execute(`CREATE TABLE IF NOT EXISTS registry_code_acceptances (
    organisation_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (version, organisation_id)
  )`);
}

async function projectAdministrationEvent(tx: SqlExecutor, stored: StoredEvent): Promise<void> {
  const event = { type: stored.type, data: stored.data } as ApiClientEvent | CodeOfConductAccepted;
  switch (event.type) {
    case 'ApiClientCreated': {
      const d = event.data;
      await tx.execute(
        `INSERT INTO registry_api_clients (id, organisation_id, name, scopes, status, created_at)
         VALUES ($1, $2, $3, $4, 'active', $5) ON CONFLICT (id) DO NOTHING`,
        [d.clientId, d.organisationId, d.name, d.scopes.join(' '), d.createdAt],
      );
      return;
    }
    case 'ApiClientSecretRotated':
      await tx.execute('UPDATE registry_api_clients SET secret_rotated_at = $2 WHERE id = $1', [
        event.data.clientId,
        event.data.rotatedAt,
      ]);
      return;
    case 'ApiClientRevoked':
      await tx.execute(`UPDATE registry_api_clients SET status = 'revoked', revoked_at = $2 WHERE id = $1`, [
        event.data.clientId,
        event.data.revokedAt,
      ]);
      return;
    case 'CodeOfConductAccepted':
      await tx.execute(
        `INSERT INTO registry_code_acceptances (organisation_id, version, accepted_at) VALUES ($1, $2, $3)
         ON CONFLICT (version, organisation_id) DO NOTHING`,
        [event.data.organisationId, event.data.version, event.data.acceptedAt],
      );
      return;
    default:
      return;
  }
}

/** API clients and code-of-conduct acceptances, for org and network admins; never public. */
export const administrationProjection: Projection = {
  name: 'registry.administration',
  batchWrites: true,
  types: ADMINISTRATION_EVENT_TYPES,
  migrate: ensureAdministrationTables,
  reset: async (tx) => {
    for (const table of TABLES) await tx.execute(`DELETE FROM ${table}`);
  },
  handle: async (tx, events) => {
    for (const event of events) await projectAdministrationEvent(tx, event);
  },
};
