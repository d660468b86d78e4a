/**
 * The one source of "now" for applications and deciders (due dates, expiry, consent validity): passed
 * in, so tests and simulations set the time and no rule reads the machine's clock behind their back.
 * When an event was recorded is not the clock's business: that is the store's `recordedAt`.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
