import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { NotificationPreferences } from '../domain/notification/notificationRules.js';

export async function loadPreferences(db: SqlExecutor, personId: string): Promise<NotificationPreferences | null> {
  const rows = await db.query<{ language: string; kinds: string }>(
    'SELECT language, kinds FROM notification_preferences WHERE person_id = $1',
    [personId],
  );
  const row = rows[0];
  return row ? ({ language: row.language, kinds: JSON.parse(row.kinds) } as NotificationPreferences) : null;
}

export async function savePreferences(
  db: SqlExecutor,
  personId: string,
  preferences: NotificationPreferences,
  now: Date,
): Promise<void> {
  await db.execute(
    `INSERT INTO notification_preferences (person_id, language, kinds, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (person_id) DO UPDATE SET language = excluded.language, kinds = excluded.kinds, updated_at = excluded.updated_at`,
    [personId, preferences.language, JSON.stringify(preferences.kinds), now.toISOString()],
  );
}
