/** A bare one-row commit, one after another: its median latency and the rate the loop reached. */
export interface CommitProbe {
  medianMs: number;
  perSecond: number;
}

/** The commit times of `samples` inserts, as a CommitProbe. */
export function commitProbe(times: number[]): CommitProbe {
  const total = times.reduce((a, b) => a + b, 0);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(3)),
    perSecond: Math.round(times.length / (total / 1000)),
  };
}
