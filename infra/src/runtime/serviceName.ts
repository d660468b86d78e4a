export type ServiceName = 'registry' | 'referrals' | 'matching' | 'insights';
