import type { FastifyInstance } from 'fastify';

/** Something to stop on shutdown: consumers, relay, bus, stores, databases. */
export interface Closer {
  name: string;
  close: () => Promise<unknown> | unknown;
}

export interface RunServiceOptions {
  app: FastifyInstance;
  port: number;
  host?: string;
  /**
   * In start-up order (stores first, consumers last); closed in reverse after the HTTP server has
   * drained, so nothing still running can use a closed store.
   */
  closers?: readonly Closer[];
  signals?: readonly NodeJS.Signals[];
  /** After this, shutdown gives up waiting and exits with 1. Default 20 s. */
  shutdownTimeoutMs?: number;
  /** Default process.exit; tests pass a recorder. */
  exit?: (code: number) => void;
}

export interface RunningService {
  /** e.g. http://127.0.0.1:4001 */
  url: string;
  /**
   * Drains and closes everything; resolves with the exit code it chose (also passed to `exit`): 0 when
   * all closed cleanly, else 1; `failure` (a shutdown because something broke) is never reported as 0.
   */
  shutdown(reason?: string, failure?: number): Promise<number>;
}

/**
 * A service main's last line: listen, and on SIGINT/SIGTERM stop accepting (/ready turns 503),
 * drain in-flight requests, then close the registered closers in reverse order and exit.
 */
export const runService = async (options: RunServiceOptions): Promise<RunningService> => {
  const { app } = options;
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const closers = [...(options.closers ?? [])];
  const log = app.log;

  const closeAll = async (): Promise<boolean> => {
    let ok = true;
    for (const closer of closers.reverse()) {
      try {
        await closer.close();
        log.info({ closer: closer.name }, 'closed');
      } catch (error) {
        ok = false;
        log.error({ closer: closer.name, err: error }, 'close failed');
      }
    }
    closers.length = 0;
    return ok;
  };

  let url: string;
  try {
    url = await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await closeAll();
    throw error;
  }

  // An OS-chosen port (PORT=0) must be told: one plain line whatever the log level, for whoever started
  // the process (pnpm start, tests) to read the bound address back instead of probing for a free port.
  if (options.port === 0) process.stdout.write(`listening ${url}\n`);

  let shuttingDown: Promise<number> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal while draining means "now".
    if (shuttingDown) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);

  const shutdown = (reason = 'requested', failure = 0): Promise<number> => {
    shuttingDown ??= (async () => {
      log.info({ reason }, 'shutting down: draining requests');
      app.lifecycle.accepting = false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.shutdownTimeoutMs ?? 20_000);
        timer.unref();
      });
      const work = (async () => {
        await app.close();
        return (await closeAll()) ? 0 : 1;
      })();
      const outcome = await Promise.race([work, timeout]);
      clearTimeout(timer);
      for (const signal of signals) process.off(signal, onSignal);
      const code = Math.max(outcome === 'timeout' ? 1 : outcome, failure);
      if (outcome === 'timeout') log.error('shutdown timed out');
      else log.info({ code }, 'stopped');
      exit(code);
      return code;
    })();
    return shuttingDown;
  };

  return { url, shutdown };
};
