import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import type { PersonEvent } from '../domain/person/person.js';

/**
 * People by e-mail, for sign-in and the console's member list. No password hashes here: the sign-in
 * handler reads those from the person's stream, so a leaked read model reveals no credentials.
 */
export const PEOPLE_EVENT_TYPES = [
  'PersonInvited',
  'InvitationAccepted',
  'PersonRolesChanged',
  'PersonDeactivated',
] as const;
export const PEOPLE_TABLES = ['registry_people'] as const;

export async function ensurePeopleTables(db: SqlDatabase): Promise<void> {
  await db.execute(`CREATE TABLE IF NOT EXISTS registry_people (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    organisation_id TEXT,
    roles TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`);
  await db.execute('CREATE INDEX IF NOT EXISTS registry_people_email ON registry_people (email)');
  await db.execute('CREATE INDEX IF NOT EXISTS registry_people_organisation ON registry_people (organisation_id)');
}

export async function projectPersonEvent(tx: SqlExecutor, stored: StoredEvent): Promise<void> {
  const event = { type: stored.type, data: stored.data } as PersonEvent;
  switch (event.type) {
    case 'PersonInvited': {
      const d = event.data;
      await tx.execute(
        `INSERT INTO registry_people (id, email, display_name, organisation_id, roles, status, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'invited', $6) ON CONFLICT (id) DO NOTHING`,
        [d.personId, d.email, d.displayName, d.organisationId, [...d.roles, ...d.permissions].join(' '), d.invitedAt],
      );
      return;
    }
    case 'InvitationAccepted':
      await tx.execute(`UPDATE registry_people SET status = 'active', updated_at = $2 WHERE id = $1`, [
        event.data.personId,
        event.data.acceptedAt,
      ]);
      return;
    case 'PersonRolesChanged':
      await tx.execute('UPDATE registry_people SET roles = $2, updated_at = $3 WHERE id = $1', [
        event.data.personId,
        [...event.data.roles, ...event.data.permissions].join(' '),
        event.data.changedAt,
      ]);
      return;
    case 'PersonDeactivated':
      await tx.execute(`UPDATE registry_people SET status = 'deactivated', updated_at = $2 WHERE id = $1`, [
        event.data.personId,
        event.data.deactivatedAt,
      ]);
      return;
    default:
      return;
  }
}

/** The live (invited or active) person with this e-mail, if any. */
export async function findPersonIdByEmail(db: SqlExecutor, email: string): Promise<string | null> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM registry_people WHERE email = $1 AND status <> 'deactivated' ORDER BY updated_at DESC LIMIT 1`,
    [email.trim().toLowerCase()],
  );
  return rows[0]?.id ?? null;
}
