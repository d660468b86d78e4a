import type { Clock } from '@estia/infra/clock/clock.js';
import { Waker } from '@estia/infra/bus/wakeableSleep.js';
import { backoffDelay } from '@estia/infra/processors/backoff.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { renderMail } from '../domain/notification/messages.js';
import {
  NOTIFICATION_LANGUAGES,
  type NotificationKind,
  type NotificationLanguage,
} from '../domain/notification/notificationRules.js';
import type { Mailer } from './mailer.js';
import { loadPreferences } from './preferencesStore.js';

interface DueRow {
  id: string;
  person_id: string;
  kind: NotificationKind;
  reference: string;
  link: string;
  mode: 'immediate' | 'daily';
}

export interface MailProcessor {
  wake(): void;
  state(): { sent: number; lastError: string | null };
  stop(): Promise<void>;
}

/**
 * Sends the queued notices that are due: each immediate one alone, the daily ones of a person as one
 * digest, in the person's language. A notice is marked sent only after the mailer accepted it (at
 * least once); a failing mailer is retried with backoff.
 */
export function startMailProcessor(options: {
  db: SqlDatabase;
  mailer: Mailer;
  clock: Clock;
  idleMs?: number;
  onError?: (error: unknown) => void;
}): MailProcessor {
  const { db, mailer, clock } = options;
  const waker = new Waker();
  let stopped = false;
  let sent = 0;
  let lastError: string | null = null;

  const runOnce = async (): Promise<number> => {
    const now = clock().toISOString();
    const due = await db.query<DueRow>(
      `SELECT id, person_id, kind, reference, link, mode FROM notification_outbox
       WHERE sent_at IS NULL AND due_at <= $1 ORDER BY due_at, id LIMIT 500`,
      [now],
    );
    const groups = new Map<string, DueRow[]>();
    for (const row of due) {
      const key = row.mode === 'daily' ? `daily:${row.person_id}` : `now:${row.id}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const rows of groups.values()) {
      const personId = rows[0]!.person_id;
      const people = await db.query<{ email: string; status: string }>(
        'SELECT email, status FROM registry_people WHERE id = $1',
        [personId],
      );
      const person = people[0];
      if (person && person.status === 'active') {
        const preferences = await loadPreferences(db, personId);
        const language: NotificationLanguage = NOTIFICATION_LANGUAGES.includes(
          preferences?.language as NotificationLanguage,
        )
          ? preferences!.language
          : 'en';
        const mail = renderMail(language, rows, rows[0]!.mode === 'daily');
        await mailer.send({ to: person.email, ...mail, language });
      }
      // Sent, or nobody to send it to any more (a deactivated person): either way it is done.
      await db.transaction(async (tx) => {
        for (const row of rows)
          await tx.execute('UPDATE notification_outbox SET sent_at = $2 WHERE id = $1', [
            row.id,
            clock().toISOString(),
          ]);
      });
      sent += rows.length;
    }
    return due.length;
  };

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const handled = await runOnce();
        failures = 0;
        if (handled === 0) await waker.sleep(options.idleMs ?? 1_000);
      } catch (error) {
        failures += 1;
        lastError = String(error);
        options.onError?.(error);
        await waker.sleep(backoffDelay(failures, { initialMs: 1_000, maxMs: 60_000 }));
      }
    }
  };
  const running = loop();
  return {
    wake: () => waker.wakeAll(),
    state: () => ({ sent, lastError }),
    async stop() {
      stopped = true;
      waker.wakeAll();
      await running;
      mailer.close();
    },
  };
}
