/**
 * Benchmark traffic: referrals between `organisations` organisations, made by the real decider, in a
 * realistic mix (most answered, a third worked on, some closed; the rest wait, some overdue).
 */
import { randomUUID } from 'node:crypto';
import { referralDecider } from '../src/domain/referrals/referralDecider.js';
import type { ReferralCommand, ReferralEvent } from '../src/domain/referrals/referralTypes.js';
import type { Actor } from '../src/domain/shared/actor.js';

export interface ReferralTraffic {
  organisations: string[];
  services: string[];
  officer(i: number): Actor;
  /** Referral `i`'s events, as the decider produces them. */
  eventsFor(i: number): ReferralEvent[];
  /** Every 50th referral's client, for the client-overview view. */
  sampledClients: string[];
}

export function referralTraffic(organisationCount: number, now = Date.now()): ReferralTraffic {
  const organisations = Array.from({ length: organisationCount }, () => randomUUID());
  const services = organisations.map(() => randomUUID());
  const sampledClients: string[] = [];
  const officer = (i: number): Actor => ({
    organisationId: organisations[i]!,
    userId: `u-${i}`,
    roles: ['referral_officer'],
  });
  const ORGS = organisationCount;
  const eventsFor = (i: number): ReferralEvent[] => {
    const s = i % ORGS;
    const r = (s * 7 + 1 + (i % 13)) % ORGS === s ? (s + 1) % ORGS : (s * 7 + 1 + (i % 13)) % ORGS;
    const clientId = randomUUID();
    if (i % 50 === 0) sampledClients.push(clientId);
    const at = new Date(now - (i % 60) * 86_400_000 - (i % 1000) * 1000).toISOString();
    const referralId = randomUUID();
    const consent = {
      consentId: randomUUID(),
      clientId,
      purpose: 'referral' as const,
      recipient: { serviceCategory: 'housing' as const },
      scope: ['needs' as const],
      method: 'written' as const,
      recordedBy: { organisationId: organisations[s]!, userId: 'u' },
      givenAt: new Date(now - 90 * 86_400_000).toISOString(),
      expiresAt: null,
      withdrawnAt: null,
    };
    const commands: ReferralCommand[] = [
      {
        type: 'SendReferral',
        referralId,
        now: at,
        actor: officer(s),
        actorOrganisation: { mayExchange: true },
        clientId,
        receiver: { organisationId: organisations[r]!, mayExchange: true },
        serviceId: services[r]!,
        category: 'housing',
        share: ['needs'],
        responseTimeHours: 72,
        client: { status: 'active', visibleToSender: true },
        consents: [consent],
      },
    ];
    const mayR = { actor: officer(r), actorOrganisation: { mayExchange: true }, referralId, now: at };
    if (i % 3 !== 0) commands.push({ type: 'AcceptReferral', ...mayR } as ReferralCommand);
    if (i % 3 === 1) commands.push({ type: 'StartReferral', ...mayR } as ReferralCommand);
    if (i % 9 === 1) commands.push({ type: 'CompleteReferral', ...mayR, outcome: 'need_met' } as ReferralCommand);
    const events: ReferralEvent[] = [];
    let state = referralDecider.initialState();
    for (const c of commands)
      for (const e of referralDecider.decide(c, state)) {
        events.push(e);
        state = referralDecider.evolve(state, e);
      }
    return events;
  };
  return { organisations, services, officer, eventsFor, sampledClients };
}

/** Appends referrals until at least `events` events are in the log, 500 referrals in flight at a time. */
export async function appendReferrals(
  store: { append(streamId: string, events: ReferralEvent[], o: { expectedVersion: 'no-stream' }): Promise<unknown> },
  traffic: ReferralTraffic,
  until: { referrals?: number; events?: number },
  progress: (events: number, referrals: number) => void = () => undefined,
): Promise<{ referrals: number; events: number }> {
  let referrals = 0;
  let events = 0;
  const done = () =>
    (until.referrals !== undefined && referrals >= until.referrals) ||
    (until.events !== undefined && events >= until.events);
  while (!done()) {
    const appends: Promise<unknown>[] = [];
    for (let k = 0; k < 500 && !done(); k++) {
      const batch = traffic.eventsFor(referrals++);
      events += batch.length;
      const referralId = (batch[0]!.data as { referralId: string }).referralId;
      appends.push(store.append(`referral-${referralId}`, batch, { expectedVersion: 'no-stream' }));
    }
    await Promise.all(appends);
    progress(events, referrals);
  }
  return { referrals, events };
}
