/**
 * Splits a projection batch into rounds that set-based writes may apply one statement per kind of
 * write: within a round each key appears at most once, and a key's events keep their log order across
 * rounds (its first event in round 0, its second in round 1, …). Events of different keys must touch
 * different rows for this to hold, so a round's events commute and may be applied in any order; the
 * caller's `keyOf` says which rows an event touches. An event that touches rows of several keys (or
 * whose rows cannot be named) gets `null`: a barrier, applied alone after everything before it and
 * before everything after it.
 */
export function keyedRounds<E>(events: readonly E[], keyOf: (event: E) => string | null): E[][] {
  const rounds: E[][] = [];
  let base = 0;
  let seen = new Map<string, number>();
  for (const event of events) {
    const key = keyOf(event);
    if (key === null) {
      rounds.push([event]);
      base = rounds.length;
      seen = new Map();
      continue;
    }
    const index = base + (seen.get(key) ?? 0);
    seen.set(key, index - base + 1);
    (rounds[index] ??= []).push(event);
  }
  return rounds;
}
