/** The slice of a pino logger the bus and processors use; `console` is not one (argument order differs). */
export interface BusLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: BusLogger = { info: () => {}, warn: () => {}, error: () => {} };
