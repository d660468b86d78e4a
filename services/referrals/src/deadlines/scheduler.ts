import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { ProcessorDefinition } from '@estia/infra/processors/runtime.js';
import { scheduleProcessor } from '@estia/infra/processors/scheduleProcessor.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { loadDeadlineConfig, type DeadlineConfig } from './deadlineConfig.js';
import { issueDueReminders, type IssuedReminder } from './issueReminders.js';

export const DEADLINE_REMINDERS_PROCESSOR = 'referrals.deadline-reminders';

export interface DeadlineSchedulerOptions {
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  /** Thresholds and interval; default: read (and validated) from `env`. */
  config?: DeadlineConfig;
  env?: Readonly<Record<string, string | undefined>>;
  /** First run after this delay (default: one interval; the read models are ready by then). */
  firstRunAfterMs?: number;
  onIssued?: (issued: IssuedReminder[]) => void;
}

/**
 * The deadline reminders as a supervised processor: `issueDueReminders` every interval, one run at a
 * time on one replica, for the clients the reminder schedule names (the reminders read model and the
 * schedule are projections of their own). Throws
 * ConfigError at once on a bad REMINDER_* variable.
 */
export function deadlineReminderProcessor(options: DeadlineSchedulerOptions): ProcessorDefinition {
  const config = options.config ?? loadDeadlineConfig(options.env ?? process.env);
  const { store, db, keyStore } = options;
  return scheduleProcessor({
    name: DEADLINE_REMINDERS_PROCESSOR,
    everyMs: config.intervalMs,
    firstAfterMs: options.firstRunAfterMs ?? config.intervalMs,
    tick: async () => {
      const issued = await issueDueReminders({ store, db, keyStore }, config);
      if (issued.length > 0) options.onIssued?.(issued);
      return issued.length;
    },
  });
}
