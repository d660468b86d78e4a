/** The services of the network, how each is started, and where it listens by default. */
export interface ServiceSpec {
  name: 'registry' | 'referrals' | 'matching' | 'insights';
  port: number;
  entry: string;
}

export const SERVICES: readonly ServiceSpec[] = [
  { name: 'registry', port: 3001, entry: 'services/registry/src/main.ts' },
  { name: 'referrals', port: 3002, entry: 'services/referrals/src/main.ts' },
  { name: 'matching', port: 3003, entry: 'services/matching/src/main.ts' },
  // Aggregate figures for the network and its funders, from the others' public events.
  { name: 'insights', port: 3004, entry: 'services/insights/src/main.ts' },
];
