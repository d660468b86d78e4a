import { sleep } from './backoff.js';
import type { ProcessorDefinition, ProcessorKind, ProcessorLag } from './runtime.js';

export interface ScheduleOptions {
  name: string;
  kind?: Extract<ProcessorKind, 'schedule' | 'retention'>;
  /** Pause between the end of one tick and the start of the next. */
  everyMs: number;
  /** Delay before the first tick of a run. Default 0 (at once). */
  firstAfterMs?: number;
  /** One pass: does what is due and returns how many units it handled. A rejection restarts the processor with backoff. */
  tick(signal: AbortSignal): Promise<number>;
  /** What is due and not yet done (e.g. reminders due, referrals past their response time). */
  lag?(): Promise<ProcessorLag>;
}

/** A periodic job (reminders, expiry, retention) as a supervised processor: one tick at a time, on one replica. */
export function scheduleProcessor(options: ScheduleOptions): ProcessorDefinition {
  return {
    name: options.name,
    kind: options.kind ?? 'schedule',
    ...(options.lag ? { lag: () => options.lag!() } : {}),
    async start(context) {
      const stopper = new AbortController();
      const loop = (async () => {
        if (options.firstAfterMs && !(await sleep(options.firstAfterMs, stopper.signal))) return;
        while (!stopper.signal.aborted) {
          context.processed(await options.tick(stopper.signal));
          if (!(await sleep(options.everyMs, stopper.signal))) return;
        }
      })();
      loop.catch(() => undefined);
      return {
        done: loop,
        async stop() {
          stopper.abort();
          await loop.catch(() => undefined);
        },
      };
    },
  };
}
