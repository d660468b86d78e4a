import { systemClock, type Clock } from '@estia/infra/clock/clock.js';
import { isAppError } from '@estia/infra/errors/appError.js';
import type { ProcessorDefinition } from '@estia/infra/processors/runtime.js';
import { scheduleProcessor } from '@estia/infra/processors/scheduleProcessor.js';
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

export const EXPIRY_PROCESSOR = 'referrals.expiry';

/**
 * Expiry of unanswered referrals as a supervised processor: every `everyMs`, on one replica, from the
 * referrals' respond-by dates held in the read model. Lag: the referrals past their response time not
 * yet expired, and how long the oldest has been waiting.
 */
export function expiryProcessor(
  app: ReferralsApplication,
  db: SqlExecutor,
  options: { everyMs?: number; graceMs?: number; clock?: Clock } = {},
): ProcessorDefinition {
  const clock = options.clock ?? systemClock;
  return scheduleProcessor({
    name: EXPIRY_PROCESSOR,
    everyMs: options.everyMs ?? 60_000,
    tick: async () => (await expireOverdue(app, db, clock().toISOString(), options.graceMs ?? 0)).length,
    lag: async () => {
      // Behind means due to expire (past the response time and the grace) but not yet expired: an
      // overdue referral inside its grace is still answerable, not lag.
      const due = clock().getTime() - (options.graceMs ?? 0);
      const [row] = await db.query<{ n: number | string; oldest: string | null }>(
        `SELECT COUNT(*) AS n, MIN(respond_by) AS oldest FROM rf_referrals WHERE status = 'requested' AND respond_by <= $1`,
        [new Date(due).toISOString()],
      );
      const oldest = row?.oldest ?? null;
      return {
        events: Number(row?.n ?? 0),
        seconds: oldest === null ? 0 : Math.max(0, (due - Date.parse(oldest)) / 1000),
      };
    },
  });
}
