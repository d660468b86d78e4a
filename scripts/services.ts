/** The three services of the network, how each is started, and where it listens by default. */
export interface ServiceSpec {
  name: 'registry' | 'referrals' | 'matching';
  port: number;
  entry: string;
}

export const SERVICES: readonly ServiceSpec[] = [
  { name: 'registry', port: 3001, entry: 'services/registry/src/main.ts' },
  { name: 'referrals', port: 3002, entry: 'services/referrals/src/main.ts' },
  { name: 'matching', port: 3003, entry: 'services/matching/src/main.ts' },
];
