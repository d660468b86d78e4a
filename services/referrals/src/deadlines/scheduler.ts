import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { loadDeadlineConfig, type DeadlineConfig } from './deadlineConfig.js';
import { issueDueReminders, type IssuedReminder } from './issueReminders.js';
import { remindersProjection } from './remindersProjection.js';

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
  onError?: (error: unknown) => void;
}

/**
 * Runs `issueDueReminders` every interval, one run at a time, then brings the reminders read model up
 * to date (so GET /v1/reminders shows them even where the projection is not registered with the
 * projector). Throws ConfigError at start on a bad REMINDER_* variable.
 */
export function startDeadlineScheduler(options: DeadlineSchedulerOptions): { stop(): Promise<void> } {
  const config = options.config ?? loadDeadlineConfig(options.env ?? process.env);
  const { store, db, keyStore } = options;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (): void => {
    running = running
      .then(async () => {
        if (stopped) return;
        const issued = await issueDueReminders({ store, db, keyStore }, config);
        await catchUpProjections(store, db, [remindersProjection]);
        if (issued.length > 0) options.onIssued?.(issued);
      })
      .catch((error: unknown) => options.onError?.(error));
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    run();
    timer = setInterval(run, config.intervalMs);
    timer.unref();
  }, options.firstRunAfterMs ?? config.intervalMs);
  first.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
