/** The two log levels matching's consumers use (pino's (object, message) signature). */
export interface MatchingLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}
