/**
 * The Standard Webhooks retry schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after
 * the previous attempt; eight attempts in all (about 28 hours).
 */
export const RETRY_DELAYS_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length;

/** A subscription whose deliveries have failed without a success for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

/** When attempt `attemptsMade + 1` is due, or null when the schedule is exhausted. */
export function nextAttemptAt(attemptsMade: number, lastAttemptAt: Date): Date | null {
  if (attemptsMade >= MAX_ATTEMPTS) return null;
  return new Date(lastAttemptAt.getTime() + RETRY_DELAYS_MS[attemptsMade]!);
}

/** Whether a subscription failing since `failingSince` (no success since) is to be disabled at `now`. */
export const failedTooLong = (failingSince: Date | null, now: Date): boolean =>
  failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
