import { createHash } from 'node:crypto';

/**
 * Sign-in throttling per (account, source address), instead of a lock-out: whoever guesses from one address
 * waits longer and longer, while the account's owner signs in from their own address undisturbed. The
 * account is the e-mail as typed (normalised), known or not, so an unknown account is throttled exactly
 * like a known one and the answers tell nothing apart. Held in memory, keyed by a hash (no e-mail or
 * address kept in clear); per registry process.
 */
export interface SignInThrottleOptions {
  /** Failures allowed before the first delay. Default 3. */
  freeFailures?: number;
  /** First delay; each further failure doubles it. Default 1 s. */
  baseDelayMs?: number;
  /** Longest delay. Default 15 minutes. */
  maxDelayMs?: number;
  /** A pair quiet for this long starts afresh. Default 24 h. */
  forgetAfterMs?: number;
  /** Most pairs remembered; the least recently seen go first. Default 100,000. */
  maxEntries?: number;
}

export interface SignInThrottle {
  /** Milliseconds before this pair may try again; 0 when it may try now. */
  waitMs(account: string, address: string, nowMs: number): number;
  /** A wrong password (or unknown account): the next attempt from this pair waits longer. */
  failed(account: string, address: string, nowMs: number): void;
  /** The right password: the pair starts afresh. */
  succeeded(account: string, address: string): void;
}

interface Entry {
  failures: number;
  blockedUntil: number;
  lastSeen: number;
}

export const createSignInThrottle = (options: SignInThrottleOptions = {}): SignInThrottle => {
  const free = options.freeFailures ?? 3;
  const base = options.baseDelayMs ?? 1_000;
  const max = options.maxDelayMs ?? 15 * 60_000;
  const forgetAfter = options.forgetAfterMs ?? 24 * 60 * 60_000;
  const maxEntries = options.maxEntries ?? 100_000;
  // Map keeps insertion order: re-inserting on use makes the first key the least recently seen.
  const entries = new Map<string, Entry>();

  const keyOf = (account: string, address: string): string =>
    createHash('sha256')
      .update(`${account.normalize('NFKC').trim().toLowerCase()}\n${address}`)
      .digest('base64url');
  const current = (key: string, nowMs: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && nowMs - entry.lastSeen > forgetAfter) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    waitMs(account, address, nowMs) {
      const entry = current(keyOf(account, address), nowMs);
      return entry ? Math.max(0, entry.blockedUntil - nowMs) : 0;
    },
    failed(account, address, nowMs) {
      const key = keyOf(account, address);
      const failures = (current(key, nowMs)?.failures ?? 0) + 1;
      const delay = failures <= free ? 0 : Math.min(max, base * 2 ** Math.min(failures - free - 1, 30));
      entries.delete(key);
      entries.set(key, { failures, blockedUntil: nowMs + delay, lastSeen: nowMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
    succeeded(account, address) {
      entries.delete(keyOf(account, address));
    },
  };
};
