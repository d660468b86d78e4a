import type { ProcessorDefinition, ProcessorLag, ProcessorRunContext } from '@estia/infra/processors/runtime.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';

/**
 * A self-paced loop (started, woken, stopped) as a supervised processor: the runtime holds the lease,
 * so one replica runs it; its lag (due units, age of the oldest) shows in /ready and /metrics.
 */
export function loopProcessor(options: {
  name: string;
  start: (context: ProcessorRunContext) => { stop(): Promise<void> };
  lag: () => Promise<ProcessorLag>;
}): ProcessorDefinition {
  return {
    name: options.name,
    kind: 'schedule',
    async start(context) {
      const running = options.start(context);
      let stopped!: () => void;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      return {
        done,
        async stop() {
          await running.stop();
          stopped();
        },
      };
    },
    lag: options.lag,
  };
}

/** Lag from a `SELECT COUNT(*) AS n, MIN(<due column>) AS oldest …` over what is due at `now`. */
export async function dueLag(db: SqlExecutor, sql: string, now: Date): Promise<ProcessorLag> {
  const [row] = await db.query<{ n: number | string; oldest: string | null }>(sql, [now.toISOString()]);
  const oldest = row?.oldest ? Date.parse(row.oldest) : null;
  return {
    events: Number(row?.n ?? 0),
    seconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
  };
}
