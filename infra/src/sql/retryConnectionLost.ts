import { isConnectionLost } from './connectionLost.js';

export interface RetryConnectionLostOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** Told before each wait (for the log). */
  onRetry?: (error: unknown, attempt: number) => void;
  /** Milliseconds before try `attempt + 1`; default doubling from 400 ms, at most 5 s. */
  delayMs?: (attempt: number) => number;
}

/**
 * Runs idempotent work (a start-up that resumes where it stopped) again while it fails because the
 * database connection was lost; any other error, or the last attempt's, is thrown as it came.
 */
export async function retryWhileConnectionLost<T>(
  work: () => Promise<T>,
  options: RetryConnectionLostOptions,
): Promise<T> {
  const delay = options.delayMs ?? ((attempt: number) => Math.min(5_000, 200 * 2 ** attempt));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionLost(error) || attempt >= options.attempts) throw error;
      options.onRetry?.(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
    }
  }
}
