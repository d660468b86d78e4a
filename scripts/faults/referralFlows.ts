import { DEMO_PASSWORD, demoNetwork } from '../../services/registry/src/demo/demoData.js';
import { withAncestors } from '../../services/registry/src/domain/service/taxonomy.js';
import { Partner, type Answer, type Counters } from './partnerClient.js';
import type { SeededRandom } from './seededRandom.js';

/** One referral flow: register a client, record consent, refer to another partner's service, the receiver accepts. */
export interface Flow {
  index: number;
  sender: Partner;
  receiver: Partner;
  serviceId: string;
  category: string;
  clientId?: string;
  consentId?: string;
  referralId?: string;
  accepted?: boolean;
  /** The last refusal when a step could not be done (a finding: printed in the table). */
  failed?: string;
}

export interface PartnerNetwork {
  partners: Partner[];
  /** The receiving services of each partner's organisation (from the demo network the registry seeds). */
  services: Map<string, { serviceId: string; category: string }[]>;
  auditor: Partner;
}

/** Referral officers of the first `count` demo organisations, each a partner with its own sign-in. */
export function demoPartners(count: number, registryUrl: () => string, counters: Counters): PartnerNetwork {
  const network = demoNetwork();
  const organisations = network.organisations.slice(0, count);
  if (organisations.length < count) throw new Error(`the demo network has only ${organisations.length} organisations`);
  const partners = organisations.map((org) => {
    const officer = org.people.find((p) => p.roles.includes('referral_officer'))!;
    return new Partner(org.organisationId, officer.email, DEMO_PASSWORD, registryUrl, counters);
  });
  const services = new Map(
    organisations.map((org) => [
      org.organisationId,
      // Consent names the service's top-level category, as the directory carries it to referrals.
      org.services.map((s) => ({ serviceId: s.serviceId, category: withAncestors(s.details.categoryId).at(-1)! })),
    ]),
  );
  const auditorPerson = network.networkStaff.find((p) => p.roles.includes('auditor'))!;
  const auditor = new Partner('network', auditorPerson.email, DEMO_PASSWORD, registryUrl, counters);
  return { partners, services, auditor };
}

const GIVEN = [
  'Samir',
  'Amal',
  'Yusuf',
  'Leyla',
  'Omid',
  'Farah',
  'Karim',
  'Nadia',
  'Tariq',
  'Hana',
  'Jamal',
  'Zainab',
];
const SYLLABLES = ['ba', 'ko', 'ri', 'ma', 'tu', 'se', 'la', 'di', 'no', 've', 'xa', 'pe', 'zu', 'fi', 'go', 'hy'];

/** A family name unique to (run, flow), so duplicate detection never mistakes one flow's client for another's. */
const familyName = (run: number, index: number): string => {
  let n = run * 100_000 + index;
  let name = '';
  do {
    name += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return name.charAt(0).toUpperCase() + name.slice(1);
};

export function planFlows(count: number, network: PartnerNetwork, random: SeededRandom): Flow[] {
  const { partners } = network;
  return Array.from({ length: count }, (_, index) => {
    const sender = partners[index % partners.length]!;
    // Another organisation, chosen by the seed.
    const receiver = partners[(index + 1 + random.int(0, partners.length - 2)) % partners.length]!;
    const service = random.pick(network.services.get(receiver.organisationId)!);
    return { index, sender, receiver, serviceId: service.serviceId, category: service.category };
  });
}

const title = (answer: Answer): string =>
  `${answer.status} ${(answer.body as { title?: string; detail?: string } | undefined)?.detail ?? ''}`.slice(0, 160);

/** Not yet: the referrals service has not yet seen the directory, or the consent in its read model. */
const notYet = (answer: Answer): boolean => answer.status === 404 || answer.status === 422;

export async function runFlow(flow: Flow, run: number, referralsUrl: () => string): Promise<void> {
  const key = (step: string) => `fault-${run}-${flow.index}-${step}`;
  const dob = new Date(Date.UTC(1950, 0, 1) + flow.index * 86_400_000).toISOString().slice(0, 10);
  if (!flow.clientId) {
    const registered = await flow.sender.send(
      referralsUrl,
      '/v1/clients',
      {
        personal: {
          givenNames: GIVEN[flow.index % GIVEN.length],
          familyName: familyName(run, flow.index),
          dateOfBirth: dob,
          nationalities: ['SY'],
          languages: [{ language: 'ar', level: 'C2' }],
          legalStatus: { status: 'asylum_seeker', applicationDate: '2025-01-10' },
        },
        // The suite's people are new by construction; similar synthetic names must not stop a flow.
        confirmedNew: true,
      },
      key('register'),
      (a) => a.status === 404,
    );
    if (registered.status !== 201) return void (flow.failed = `register: ${title(registered)}`);
    flow.clientId = (registered.body as { clientId: string }).clientId;
  }
  if (!flow.consentId) {
    const consent = await flow.sender.send(
      referralsUrl,
      `/v1/clients/${flow.clientId}/consents`,
      { purpose: 'referral', recipient: { serviceCategory: flow.category }, scope: ['needs'], method: 'written' },
      key('consent'),
      notYet,
    );
    if (consent.status !== 201) return void (flow.failed = `consent: ${title(consent)}`);
    flow.consentId = (consent.body as { consentId: string }).consentId;
  }
  if (!flow.referralId) {
    const sent = await flow.sender.send(
      referralsUrl,
      '/v1/referrals',
      { clientId: flow.clientId, serviceId: flow.serviceId, share: ['needs'] },
      key('refer'),
      notYet,
    );
    if (sent.status !== 201) return void (flow.failed = `refer: ${title(sent)}`);
    flow.referralId = (sent.body as { referralId: string }).referralId;
  }
  if (!flow.accepted) {
    const accepted = await flow.receiver.send(
      referralsUrl,
      `/v1/referrals/${flow.referralId}/accept`,
      {},
      key('accept'),
      (a) => a.status === 404,
    );
    if (accepted.status !== 204) return void (flow.failed = `accept: ${title(accepted)}`);
    flow.accepted = true;
  }
  delete flow.failed;
}
