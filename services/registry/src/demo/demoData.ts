import type { OrganisationKind, OrganisationProfile } from '../domain/organisation/organisation.js';
import type { Capacity, Intake, LegalStatus, ServiceDetails } from '../domain/service/serviceDetails.js';
import type { Permission, Role } from '../domain/shared/actor.js';
import { uuidV5 } from '../hsds/ids.js';

/**
 * A fictional network (≈30 organisations of every kind across six Greek regions) as plain data.
 * Deterministic: the same seed gives the same ids, names, places, capacities and credentials.
 * Every name ends in "(demo)"; no real organisation, person or licence is described.
 */
export const DEMO_PASSWORD = 'estia-demo-password';
export const DEMO_CLIENT_SECRET = 'estia_cs_demo-client-secret-not-for-production';

interface Region {
  code: string;
  name: string;
  city: string;
  postalCode: string;
  centre: { latitude: number; longitude: number };
}

export const DEMO_REGIONS: readonly Region[] = [
  {
    code: 'EL30',
    name: 'Attica',
    city: 'Athens',
    postalCode: '10431',
    centre: { latitude: 37.9838, longitude: 23.7275 },
  },
  {
    code: 'EL52',
    name: 'Central Macedonia',
    city: 'Thessaloniki',
    postalCode: '54630',
    centre: { latitude: 40.6401, longitude: 22.9444 },
  },
  {
    code: 'EL41',
    name: 'North Aegean',
    city: 'Mytilene',
    postalCode: '81100',
    centre: { latitude: 39.11, longitude: 26.5547 },
  },
  {
    code: 'EL54',
    name: 'Epirus',
    city: 'Ioannina',
    postalCode: '45221',
    centre: { latitude: 39.665, longitude: 20.8537 },
  },
  {
    code: 'EL43',
    name: 'Crete',
    city: 'Heraklion',
    postalCode: '71202',
    centre: { latitude: 35.3387, longitude: 25.1442 },
  },
  {
    code: 'EL63',
    name: 'Western Greece',
    city: 'Patras',
    postalCode: '26221',
    centre: { latitude: 38.2466, longitude: 21.7346 },
  },
];

const KINDS: readonly {
  kind: OrganisationKind;
  count: number;
  names: readonly string[];
  categories: readonly string[];
}[] = [
  {
    kind: 'ngo',
    count: 10,
    names: [
      'Open Doors',
      'Safe Passage',
      'Common Ground',
      'Helping Hands',
      'New Roots',
      'Bridges',
      'Kyma Aid',
      'Filoxenia',
      'Harbour Light',
      'Agora Solidarity',
    ],
    categories: [
      'legal',
      'asylum_procedure',
      'psychosocial',
      'trauma_support',
      'counselling',
      'language_courses',
      'mentoring',
      'basic_needs',
      'food',
      'childcare',
    ],
  },
  {
    kind: 'municipality',
    count: 5,
    names: ['Municipality'],
    categories: [
      'temporary_accommodation',
      'administrative',
      'tax_social_security',
      'social_counselling',
      'school_enrolment',
    ],
  },
  {
    kind: 'reception_centre',
    count: 4,
    names: ['Reception and Identification Centre'],
    categories: ['emergency_shelter', 'primary_care', 'interpretation', 'clothing_hygiene'],
  },
  {
    kind: 'social_partner',
    count: 2,
    names: ['Workers Union Advice Desk', 'Chamber of Trades Desk'],
    categories: ['vocational_guidance', 'job_readiness'],
  },
  {
    kind: 'public_employment_service',
    count: 2,
    names: ['Public Employment Office'],
    categories: ['job_placement', 'vocational_training'],
  },
  {
    kind: 'employer',
    count: 5,
    names: ['Olive Grove Cooperative', 'Harbour Logistics', 'Aegean Hotels', 'Blue Kitchen', 'Builders of Epirus'],
    categories: ['job_placement', 'vocational_training', 'mentoring'],
  },
  {
    kind: 'government_agency',
    count: 2,
    names: ['Asylum Office Branch', 'Health Directorate'],
    categories: ['asylum_procedure', 'mental_health', 'civil_documents'],
  },
];

const LANGUAGE_SETS: readonly string[][] = [
  ['el', 'en', 'ar'],
  ['el', 'en', 'fa', 'prs'],
  ['el', 'en', 'fr', 'ln'],
  ['el', 'ar', 'kmr', 'ckb'],
  ['el', 'en', 'ps', 'ur'],
  ['el', 'en', 'ti', 'so'],
  ['el', 'en', 'uk', 'ru'],
];
const STATUS_SETS: readonly LegalStatus[][] = [
  ['asylum_seeker', 'refugee', 'subsidiary_protection'],
  ['refugee', 'subsidiary_protection', 'resettled'],
  ['asylum_seeker'],
  ['refugee', 'subsidiary_protection', 'humanitarian_admission', 'other'],
];

/** mulberry32: tiny, seedable, good enough for demo jitter. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface DemoPerson {
  personId: string;
  email: string;
  displayName: string;
  organisationId: string | null;
  roles: Role[];
  permissions: Permission[];
  invitationToken: string;
}

export interface DemoService {
  serviceId: string;
  details: ServiceDetails;
  capacity: Capacity;
}

export interface DemoOrganisation {
  organisationId: string;
  profile: OrganisationProfile;
  licenceNumber: string;
  services: DemoService[];
  people: DemoPerson[];
}

export interface DemoNetwork {
  organisations: DemoOrganisation[];
  networkStaff: DemoPerson[];
  codeOfConduct: { title: string; text: string };
}

const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const round = (n: number): number => Math.round(n * 1e5) / 1e5;

export const demoNetwork = (seed = 2003): DemoNetwork => {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const jitter = (c: { latitude: number; longitude: number }, km: number) => ({
    latitude: round(c.latitude + ((random() - 0.5) * 2 * km) / 111),
    longitude: round(c.longitude + ((random() - 0.5) * 2 * km) / (111 * Math.cos((c.latitude * Math.PI) / 180))),
  });
  const id = (name: string): string => uuidV5(`demo/${seed}/${name}`);
  const person = (
    organisationId: string | null,
    key: string,
    displayName: string,
    email: string,
    roles: Role[],
    permissions: Permission[] = [],
  ): DemoPerson => ({
    personId: id(`person/${key}`),
    email,
    displayName,
    organisationId,
    roles,
    permissions,
    invitationToken: `demo-invitation-${slug(key)}`,
  });

  const organisations: DemoOrganisation[] = [];
  let n = 0;
  for (const group of KINDS) {
    for (let i = 0; i < group.count; i++, n++) {
      const region = DEMO_REGIONS[n % DEMO_REGIONS.length]!;
      const base = group.names[i % group.names.length]!;
      const name =
        group.names.length >= group.count
          ? `${base} ${region.city} (demo)`
          : `${base} of ${region.city} ${i + 1} (demo)`;
      const organisationId = id(`organisation/${n}`);
      const domain = `${slug(base)}-${n}.demo.estia.example`;
      const profile: OrganisationProfile = {
        name,
        kind: group.kind,
        legalIdentifier: `EL-DEMO-${String(100000 + n)}`,
        country: 'GR',
        region: region.code,
        address: {
          street: `${pick(['Egnatia', 'Ermou', 'Athinas', 'Venizelou', 'Kolokotroni'])} ${1 + Math.floor(random() * 120)}`,
          locality: region.city,
          postalCode: region.postalCode,
        },
        coordinates: jitter(region.centre, 4),
        contact: {
          email: `info@${domain}`,
          phone: `+30 210 ${String(1000000 + n * 7919).slice(0, 7)}`,
          website: `https://${domain}`,
        },
        dataProtectionRegistration: `HDPA-DEMO-${2025}-${String(n + 1).padStart(4, '0')}`,
      };
      const serviceCount = 1 + Math.floor(random() * 3);
      const services: DemoService[] = [];
      for (let s = 0; s < serviceCount; s++) {
        const categoryId = group.categories[(i + s * 3) % group.categories.length]!;
        const locations = Array.from({ length: 1 + Math.floor(random() * 2) }, (_, l) => ({
          locationId: `site-${l + 1}`,
          name: `${name.replace(' (demo)', '')} site ${l + 1}`,
          address: {
            street: `Odos Demo ${10 + l}`,
            locality: region.city,
            postalCode: region.postalCode,
            region: region.code,
            country: 'GR',
          },
          coordinates: jitter(region.centre, 12),
          schedule: [1, 2, 3, 4, 5].map((weekday) => ({
            weekday: weekday as 1 | 2 | 3 | 4 | 5,
            opens: '09:00',
            closes: weekday === 5 ? '14:00' : '17:00',
          })),
        }));
        const maximum = 5 + Math.floor(random() * 60);
        const available = Math.floor(random() * (maximum + 1));
        const intake: Intake =
          available === 0 ? pick(['waitlist', 'closed'] as const) : pick(['open', 'open', 'open', 'waitlist'] as const);
        const minor = categoryId === 'childcare' || categoryId === 'school_enrolment';
        services.push({
          serviceId: id(`service/${n}/${s}`),
          details: {
            name: `${categoryId.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase())} — ${region.city}`,
            categoryId,
            description: `Fictional ${categoryId.replaceAll('_', ' ')} service offered by ${name}.`,
            eligibility: { legalStatuses: pick(STATUS_SETS), minAge: minor ? 0 : 18, maxAge: minor ? 17 : null },
            languages: pick(LANGUAGE_SETS),
            serviceAreas: [region.code],
            locations,
            responseTimeHours: pick([4, 24, 48, 72]),
          },
          capacity: { available, maximum, intake },
        });
      }
      const people: DemoPerson[] = [
        person(organisationId, `${n}-admin`, `Admin ${n + 1}`, `admin@${domain}`, ['org_admin']),
        person(
          organisationId,
          `${n}-officer`,
          `Officer ${n + 1}`,
          `officer@${domain}`,
          ['referral_officer'],
          n % 5 === 0 ? ['consent_override'] : [],
        ),
      ];
      // Every member holding cases has one: erasure on a client's request is theirs alone.
      people.push(
        person(organisationId, `${n}-dpo`, `Data Protection Officer ${n + 1}`, `dpo@${domain}`, [
          'data_protection_officer',
        ]),
      );
      if (group.kind === 'employer' || group.kind === 'public_employment_service' || group.kind === 'ngo')
        people.push(person(organisationId, `${n}-coach`, `Coach ${n + 1}`, `coach@${domain}`, ['job_coach']));
      organisations.push({
        organisationId,
        profile,
        licenceNumber: `ESTIA-DEMO-${String(n + 1).padStart(3, '0')}`,
        services,
        people,
      });
    }
  }
  return {
    organisations,
    networkStaff: [
      person(null, 'network-admin', 'Network Admin', 'network-admin@demo.estia.example', ['network_admin']),
      person(null, 'auditor', 'Auditor', 'auditor@demo.estia.example', ['auditor']),
      person(null, 'funder', 'Funder', 'funder@demo.estia.example', ['funder']),
    ],
    codeOfConduct: {
      title: 'ESTIA network code of conduct (demo)',
      text: 'Members process personal data only for the purpose the client consented to, share the minimum necessary, answer referrals within the declared time and report outcomes.',
    },
  };
};
