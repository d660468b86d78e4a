import type { OrganisationProfile } from '../domain/organisation/organisation.js';
import { uuidV5 } from '../hsds/ids.js';
import { DEMO_REGIONS } from './demoData.js';

/**
 * Fictional organisations that have applied to join and wait for the network administrator, so the
 * membership screen has decisions to make on a first start. Left pending by the seed.
 */
export interface DemoApplication {
  organisationId: string;
  profile: OrganisationProfile;
}

const APPLICANTS = [
  { name: 'Harbour Legal Aid Collective', kind: 'ngo', street: 'Akti Miaouli 41' },
  { name: 'Olive Tree Language School', kind: 'ngo', street: 'Tsimiski 88' },
  { name: 'Municipal Employment Desk', kind: 'municipality', street: 'Plateia Dikastirion 3' },
] as const satisfies readonly { name: string; kind: OrganisationProfile['kind']; street: string }[];

export const demoApplications = (seed = 2003): DemoApplication[] =>
  APPLICANTS.map((a, i) => {
    const region = DEMO_REGIONS[i % DEMO_REGIONS.length]!;
    const domain = `applicant-${i + 1}.demo.estia.example`;
    return {
      organisationId: uuidV5(`demo/${seed}/application/${i}`),
      profile: {
        name: `${a.name} ${region.city} (demo)`,
        kind: a.kind,
        legalIdentifier: `EL-DEMO-APP-${String(900001 + i)}`,
        country: 'GR',
        region: region.code,
        address: { street: a.street, locality: region.city, postalCode: region.postalCode },
        coordinates: region.centre,
        contact: { email: `membership@${domain}`, website: `https://${domain}` },
        dataProtectionRegistration: `HDPA-DEMO-2026-${String(9001 + i)}`,
      },
    };
  });
