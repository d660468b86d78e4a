import type { FastifyInstance } from 'fastify';
import { problemType } from '../errors/codes.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/** The processors' side of readiness (the processor runtime answers it). */
export interface ProcessorReadiness {
  ok: boolean;
  /** Processors that are dead or beyond the configured lag. */
  failing: string[];
  processors: readonly unknown[];
}

/** A readiness check: resolves when the dependency answers, rejects otherwise. */
export type ReadinessCheck = () => Promise<unknown>;

export interface HealthOptions {
  /** e.g. { store: () => store.ping(), bus: () => bus.ping(), db: () => db.query('SELECT 1') } */
  checks?: Record<string, ReadinessCheck>;
  /** Per-check time limit. Default 2 s. */
  checkTimeoutMs?: number;
  /** Each processor's state, lag and parked count; a dead or lagging one makes /ready fail. */
  processors?: () => Promise<ProcessorReadiness>;
  /** True while the service is still bootstrapping (it listens already): 503, nothing logged. */
  isStarting?: () => boolean;
  /** False once shutdown begins, so load balancers stop sending traffic. */
  isAccepting?: () => boolean;
}

const withTimeout = async (check: ReadinessCheck, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** `/health`: the process is up. `/ready`: every dependency answered (503 problem otherwise). */
export const registerHealthRoutes = (app: FastifyInstance, options: HealthOptions): void => {
  const noLimit = { public: true, rateLimit: false } as const;
  app.get('/health', { config: noLimit }, async () => ({ status: 'up' }));
  app.get('/ready', { config: noLimit }, async (request, reply) => {
    const results: Record<string, 'ok' | 'failed'> = {};
    await Promise.all(
      Object.entries(options.checks ?? {}).map(async ([name, check]) => {
        try {
          await withTimeout(check, options.checkTimeoutMs ?? 2_000);
          results[name] = 'ok';
        } catch (error) {
          results[name] = 'failed';
          request.log.warn({ check: name, err: error }, 'readiness check failed');
        }
      }),
    );
    let processors: ProcessorReadiness | undefined;
    if (options.processors) {
      try {
        processors = await options.processors();
        results.processors = processors.ok ? 'ok' : 'failed';
      } catch (error) {
        results.processors = 'failed';
        request.log.warn({ check: 'processors', err: error }, 'readiness check failed');
      }
    }
    const listed = processors === undefined ? {} : { processors: processors.processors };
    const accepting = options.isAccepting?.() ?? true;
    const starting = options.isStarting?.() ?? false;
    if (starting) results.bootstrap = 'failed';
    const failed = Object.keys(results)
      .filter((name) => results[name] === 'failed')
      .map((name) => (name === 'processors' && processors ? `processors (${processors.failing.join(', ')})` : name));
    if (failed.length === 0 && accepting) return { status: 'ready', checks: results, ...listed };
    const detail = !accepting ? 'Shutting down' : starting ? 'Starting' : `Not ready: ${failed.join(', ')}`;
    return reply
      .code(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemType('SERVICE_UNAVAILABLE'),
          title: 'Service unavailable',
          status: 503,
          detail,
          code: 'SERVICE_UNAVAILABLE',
          requestId: request.id,
          checks: results,
          ...listed,
        }),
      );
  });
};
