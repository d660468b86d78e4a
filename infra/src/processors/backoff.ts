export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/** Delay before retry number `failures` (1-based): initial, 2×, 4× … capped. */
export const backoffDelay = (failures: number, options: BackoffOptions = {}): number => {
  const initial = options.initialMs ?? 100;
  const max = options.maxMs ?? 10_000;
  return Math.min(max, initial * 2 ** Math.max(0, failures - 1));
};

/** Resolves after `ms`, or early (false) when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
