import type { EventStore } from '../eventStore/types.js';

/**
 * For crash tests in a child process: the store, except that the process is SIGKILLed the moment an
 * append has committed (its promise resolved), before anyone can answer the request that made it.
 * `crashOn` counts appends from 1 (a command writing several streams at once is one append).
 */
export function crashAfterCommit(store: EventStore, crashOn: number): EventStore {
  let appends = 0;
  const afterCommit = <T>(result: T): Promise<T> => {
    appends += 1;
    if (appends !== crashOn) return Promise.resolve(result);
    process.kill(process.pid, 'SIGKILL');
    return new Promise<T>(() => undefined);
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append')
        return (...args: Parameters<EventStore['append']>) => target.append(...args).then(afterCommit);
      if (property === 'appendMany')
        return (...args: Parameters<EventStore['appendMany']>) => target.appendMany(...args).then(afterCommit);
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
