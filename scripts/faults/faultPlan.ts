import type { ServiceName } from './serviceProcesses.js';
import type { SeededRandom } from './seededRandom.js';

export type Fault =
  | { kind: 'kill'; service: ServiceName; atFlows: number }
  | { kind: 'pg-cut'; atFlows: number }
  | { kind: 'relay-kill'; atFlows: number };

export interface FaultCounts {
  kills: number;
  pgCuts: number;
  relayKills: number;
}

/**
 * When (after how many acknowledged flows) each fault strikes, drawn from the seed: spread over 5–90 %
 * of the run so every fault meets traffic. Kills go mostly to referrals (the service the flows write).
 */
export function planFaults(flows: number, counts: FaultCounts, random: SeededRandom): Fault[] {
  const at = () => Math.max(1, Math.floor(flows * (0.05 + random.next() * 0.85)));
  const targets: ServiceName[] = ['referrals', 'referrals', 'registry', 'matching'];
  const faults: Fault[] = [
    // The first two kills hit referrals and registry, so each store sees both crash; the rest are drawn.
    ...Array.from({ length: counts.kills }, (_, i): Fault => ({
      kind: 'kill',
      service: i === 0 ? 'referrals' : i === 1 ? 'registry' : random.pick(targets),
      atFlows: at(),
    })),
    ...Array.from({ length: counts.pgCuts }, (): Fault => ({ kind: 'pg-cut', atFlows: at() })),
    ...Array.from({ length: counts.relayKills }, (): Fault => ({ kind: 'relay-kill', atFlows: at() })),
  ];
  return faults.sort((a, b) => a.atFlows - b.atFlows);
}

export const describeFault = (fault: Fault): string =>
  fault.kind === 'kill'
    ? `SIGKILL ${fault.service} after ${fault.atFlows} flows`
    : fault.kind === 'pg-cut'
      ? `pg_terminate_backend of every service connection after ${fault.atFlows} flows`
      : `referrals relay SIGKILLed inside a batch after ${fault.atFlows} flows`;
