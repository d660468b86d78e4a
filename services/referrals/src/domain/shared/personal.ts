/**
 * Personal data and events.
 *
 * Deciders receive plaintext personal data in commands (they must validate it: a date of birth in the
 * future, an unknown CEFR level) and put it, untouched, under `data.personal` of the events they
 * emit. The application seals `data.personal` field by field with the client's key before append
 * (one place, `sealPersonalParts`), so no plaintext reaches the log, a topic or a log line.
 *
 * `evolve` is typed over `Opaque<Event>`: it cannot read `personal`, so no state (and no read model
 * built by folding) can carry plaintext, and the same evolve folds stored (sealed) events.
 */
export type Opaque<E> = E extends { type: infer T; data: infer D }
  ? { type: T; data: D extends { personal?: unknown } ? Omit<D, 'personal'> & { personal?: unknown } : D }
  : never;

/** A reason: a stable code for reports and rules; free text, if any, is personal and sealed. */
export interface Reason {
  code: string;
  note?: string;
}
