import { int } from '@estia/infra/config/configSchema.js';
import { loadConfig } from '@estia/infra/config/loadConfig.js';

/** Spread into the service's config schema, or read by `loadDeadlineConfig`. */
export const deadlineConfigSchema = {
  /** Remind this many days before a residence or work permit runs out. */
  REMINDER_PERMIT_DAYS: int({ min: 1, max: 365 }).withDefault(30),
  /** Remind this many days before the client must leave the reception facility. */
  REMINDER_RECEPTION_DAYS: int({ min: 1, max: 365 }).withDefault(14),
  /** How often the job looks; reminders are idempotent, so a short interval only costs reads. */
  REMINDER_INTERVAL_SECONDS: int({ min: 1, max: 86_400 }).withDefault(3_600),
};

export interface DeadlineThresholds {
  permitDays: number;
  receptionDays: number;
}

export interface DeadlineConfig extends DeadlineThresholds {
  intervalMs: number;
}

/** Throws ConfigError (one line naming the variable) on a bad value. */
export function loadDeadlineConfig(env: Readonly<Record<string, string | undefined>>): DeadlineConfig {
  const c = loadConfig(deadlineConfigSchema, env);
  return {
    permitDays: c.REMINDER_PERMIT_DAYS,
    receptionDays: c.REMINDER_RECEPTION_DAYS,
    intervalMs: c.REMINDER_INTERVAL_SECONDS * 1000,
  };
}
