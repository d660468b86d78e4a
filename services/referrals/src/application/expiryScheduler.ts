import { isAppError } from '@estia/infra/errors/appError.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { overdueReferrals } from '../projections/queries.js';
import type { ReferralsApplication } from './referralsApplication.js';

/**
 * Issues ExpireReferral for every unanswered referral past its response time plus `graceMs` (in
 * between it is overdue: listed and counted for both sides, still answerable). A referral answered
 * meanwhile is refused by the decider (the read model may lag): that refusal is expected, not an error.
 */
export async function expireOverdue(
  app: ReferralsApplication,
  db: SqlExecutor,
  now: string,
  graceMs = 0,
): Promise<string[]> {
  const expired: string[] = [];
  // Overdue first (officers see it and can still answer), expired once the grace has passed too.
  for (const referral of await overdueReferrals(db, new Date(Date.parse(now) - graceMs).toISOString())) {
    try {
      await app.expireReferral(referral.referralId, now);
      expired.push(referral.referralId);
    } catch (error) {
      if (
        isAppError(error) &&
        ['ILLEGAL_TRANSITION', 'BUSINESS_RULE_VIOLATED', 'STREAM_VERSION_CONFLICT'].includes(error.code)
      )
        continue;
      throw error;
    }
  }
  return expired;
}

/** Runs expireOverdue every `intervalMs`; one run at a time. */
export function startExpiryScheduler(
  app: ReferralsApplication,
  db: SqlExecutor,
  options: { intervalMs?: number; graceMs?: number; onError?: (error: unknown) => void } = {},
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => expireOverdue(app, db, new Date().toISOString(), options.graceMs ?? 0))
      .catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
