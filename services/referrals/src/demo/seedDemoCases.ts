import { createHash } from 'node:crypto';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { BlindIndex } from '../application/blindIndex.js';
import { createReferralsApplication, type CallContext } from '../application/referralsApplication.js';
import type { Actor } from '../domain/shared/actor.js';
import type { ServiceCategory } from '../domain/shared/vocabulary.js';
import { mayExchangeFrom } from '../directory/directoryQueries.js';
import { demoCases, jobSeeker, type DemoCase } from './demoCases.js';

/** The seeder's own record of its progress: which case it started (and how often) and which it finished. */
export const DEMO_PROGRESS_STREAM = 'demo-cases';

export interface DemoSeedDeps {
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  blindIndex: BlindIndex;
  /** Read-your-writes between steps: the application reads its facts from the read models. */
  waitFor: (position: number) => Promise<void>;
  now?: () => number;
}

interface DirectoryService {
  serviceId: string;
  organisationId: string;
  category: ServiceCategory;
  responseTimeHours: number;
  /** Where the organisation works: its clients live near there. */
  place: { region: string; lat: number; lon: number } | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The demo officers act under these ids (fictional people of the registry's demo organisations). */
const officerOf = (organisationId: string): Actor => ({
  organisationId,
  userId: `demo-officer-${organisationId.slice(0, 8)}`,
  roles: ['referral_officer'],
});

/** The first area and site of a directory row, as the demo places the organisation's clients near it. */
const placeOf = (areas: string, locations: string): DirectoryService['place'] => {
  const area = (JSON.parse(areas) as { region?: string }[]).find((a) => a.region);
  const site = (JSON.parse(locations) as { coordinates?: { lat: number; lon: number } }[]).find((l) => l.coordinates);
  return area?.region && site?.coordinates ? { region: area.region, ...site.coordinates } : null;
};

/** A stable UUID (v4 layout) for one thing of one attempt of one case, so a rerun names the same ids. */
const demoId = (...parts: (string | number)[]): string => {
  const h = createHash('sha256')
    .update(`estia-demo-case:${parts.join(':')}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Seeds the demo caseloads through the application's own commands (so every rule applies and every
 * event is real), with a clock set in the past so cases have a history: per member organisation
 * `perOrganisation` clients, each with a legal status, a need, a referral consent and a referral sent
 * to another member's service, left in every state of the loop (some overdue, some expired); every other
 * client also consents to job matching.
 *
 * Resumable: each case is marked started and finished in DEMO_PROGRESS_STREAM; a case interrupted
 * half-way is redone under new ids (its partial client stays, a fictional person), finished ones are
 * skipped. Returns how many cases this run seeded.
 */
export async function seedDemoCases(deps: DemoSeedDeps, options: { perOrganisation?: number } = {}): Promise<number> {
  const realNow = deps.now ?? Date.now;
  let clock = realNow();
  const app = createReferralsApplication({
    store: deps.store,
    db: deps.db,
    keyStore: deps.keyStore,
    blindIndex: deps.blindIndex,
    clock: () => new Date(clock),
  });
  const listed = await deps.db.query<{
    service_id: string;
    organisation_id: string;
    category: ServiceCategory;
    response_time_hours: number | string;
    service_areas: string;
    locations: string;
    may_exchange: number | boolean | null;
    terms: string | null;
  }>(
    `SELECT d.service_id, d.organisation_id, d.category, d.response_time_hours, d.service_areas, d.locations,
            o.may_exchange, t.terms
     FROM rf_directory d
     JOIN rf_organisations o ON o.organisation_id = d.organisation_id
     LEFT JOIN rf_exchange_terms t ON t.organisation_id = d.organisation_id
     WHERE d.withdrawn = 0 ORDER BY d.organisation_id, d.service_id`,
  );
  // The time-based rule, as referrals decides a command: a licence that lapsed since the last event stops exchange.
  const seededAt = new Date(clock).toISOString();
  const services = listed.filter((s) => mayExchangeFrom(s, seededAt));
  const directory: DirectoryService[] = services.map((s) => ({
    serviceId: s.service_id,
    organisationId: s.organisation_id,
    category: s.category,
    responseTimeHours: Number(s.response_time_hours),
    place: placeOf(s.service_areas, s.locations),
  }));
  const organisations = [...new Set(directory.map((s) => s.organisationId))];
  if (organisations.length < 2) return 0;

  const progress = await deps.store.readStream(DEMO_PROGRESS_STREAM);
  const finished = new Set(
    progress.filter((e) => e.type === 'DemoCaseSeeded').map((e) => (e.data as { index: number }).index),
  );
  const attempts = new Map<number, number>();
  for (const e of progress.filter((p) => p.type === 'DemoCaseStarted')) {
    const index = (e.data as { index: number }).index;
    attempts.set(index, (attempts.get(index) ?? 0) + 1);
  }
  const mark = async (type: 'DemoCaseStarted' | 'DemoCaseSeeded', index: number) => {
    await deps.store.append(DEMO_PROGRESS_STREAM, [{ type, data: { index } }], { expectedVersion: 'any' });
  };

  const perOrganisation = options.perOrganisation ?? 3;
  const startedAt = realNow();
  const cases = demoCases(organisations.length * perOrganisation, startedAt);
  let seeded = 0;
  for (const demo of cases) {
    if (finished.has(demo.index)) continue;
    const attempt = attempts.get(demo.index) ?? 0;
    await mark('DemoCaseStarted', demo.index);
    // Each member sends `perOrganisation` consecutive cases, so its outbox shows different states.
    const sender = organisations[Math.floor(demo.index / perOrganisation) % organisations.length]!;
    // Another member's service, a different one for each case of the sender.
    const elsewhere = directory.filter((s) => s.organisationId !== sender);
    const service = elsewhere[(demo.index * 7) % elsewhere.length]!;
    const home = directory.find((s) => s.organisationId === sender && s.place !== null)?.place ?? null;
    await seedCase(demo, attempt, sender, service, home);
    await mark('DemoCaseSeeded', demo.index);
    seeded++;
  }
  return seeded;

  async function seedCase(
    demo: DemoCase,
    attempt: number,
    sender: string,
    service: DirectoryService,
    home: DirectoryService['place'],
  ): Promise<void> {
    const id = (what: string) => demoId(demo.index, attempt, what);
    const ctxOf = (organisationId: string): CallContext => ({ actor: officerOf(organisationId) });
    const settle = async (result: { lastPosition?: number }) => {
      if (result.lastPosition !== undefined) await deps.waitFor(result.lastPosition);
    };
    const clientId = id('client');
    const referralId = id('referral');
    const senderCtx = ctxOf(sender);
    const receiverCtx = ctxOf(service.organisationId);
    // The referral's response time decides when it is overdue and when it expires.
    const sentDaysAgo =
      demo.end === 'requested'
        ? 0
        : demo.end === 'overdue'
          ? (service.responseTimeHours + 20) / 24
          : demo.end === 'expired'
            ? demo.registeredDaysAgo - 1
            : Math.max(2, demo.registeredDaysAgo - 3);
    clock = startedAt - demo.registeredDaysAgo * DAY;
    const seeker = home ? jobSeeker(demo.index, home, new Date(clock), demo.personal.languages) : null;
    await settle(
      await app.registerClient(senderCtx, {
        clientId,
        personal: seeker ? { ...demo.personal, ...seeker.personal } : demo.personal,
        confirmedNew: true,
      }),
    );
    clock += HOUR;
    // Job coaches have candidates: the client agrees to job matching (and, mostly, to employers seeing
    // their application). Every third one leaves the permit dates out, so the coach meets the candidate who
    // matches nothing and is told why.
    if (seeker) {
      await settle(
        await app.clientCommand(senderCtx, {
          type: 'GiveConsent',
          clientId,
          consentId: id('job-matching-consent'),
          purpose: 'job_matching',
          recipient: {},
          scope: seeker.matchingScope,
          method: 'written',
          expiresAt: null,
        }),
      );
      await settle(
        await app.clientCommand(senderCtx, {
          type: 'GiveConsent',
          clientId,
          consentId: id('employer-sharing-consent'),
          purpose: 'employer_sharing',
          recipient: { serviceCategory: 'employment' },
          scope: ['languages', 'skills', 'occupations', 'availability'],
          method: 'written',
          expiresAt: null,
        }),
      );
    }
    // The first case is sent without consent under the override (the auditors' report has a row).
    const overridden = demo.index === 0;
    if (!overridden)
      await settle(
        await app.clientCommand(senderCtx, {
          type: 'GiveConsent',
          clientId,
          consentId: id('consent'),
          purpose: 'referral',
          recipient: { serviceCategory: service.category },
          scope: ['needs', 'languages', 'legal_status'],
          method: 'written',
          expiresAt: null,
        }),
      );
    // Every other client who is not a job seeker above also agrees to job matching, so the network's
    // outcome funnel has a cohort.
    if (!seeker && demo.index % 2 === 1)
      await settle(
        await app.clientCommand(senderCtx, {
          type: 'GiveConsent',
          clientId,
          consentId: id('job-matching-consent'),
          purpose: 'job_matching',
          recipient: {},
          scope: ['legal_status', 'location', 'availability', 'languages'],
          method: 'written',
          expiresAt: null,
        }),
      );
    await settle(
      await app.needsCommand(senderCtx, {
        type: 'AssessNeed',
        clientId,
        needId: id('need'),
        assessmentId: id('assessment'),
        category: service.category,
        priority: demo.index % 3 === 0 ? 'high' : 'medium',
      }),
    );
    clock = startedAt - sentDaysAgo * DAY - (demo.end === 'requested' ? HOUR : 0);
    await settle(
      await app.sendReferral(
        overridden ? { actor: { ...senderCtx.actor, roles: ['referral_officer', 'consent_override'] } } : senderCtx,
        {
          referralId,
          clientId,
          serviceId: service.serviceId,
          share: ['needs', 'languages'],
          needId: id('need'),
          ...(overridden
            ? {
                consentOverride: {
                  code: 'vital_interest',
                  note: 'No shelter tonight; consent to be recorded tomorrow.',
                },
              }
            : {}),
        },
      ),
    );
    const step = async (actor: 'sender' | 'receiver', hoursLater: number, command: Record<string, unknown>) => {
      clock += hoursLater * HOUR;
      await settle(
        await app.referralCommand(actor === 'sender' ? senderCtx : receiverCtx, { referralId, ...command } as never),
      );
    };
    const message = async (hoursLater: number, text: string) => {
      clock += hoursLater * HOUR;
      await settle(
        await app.referralCommand(receiverCtx, {
          type: 'PostReferralMessage',
          referralId,
          messageId: id(`message-${clock}`),
          personal: { text },
        } as never),
      );
    };
    switch (demo.end) {
      case 'requested':
      case 'overdue':
        return;
      case 'expired':
        clock = startedAt - 2 * HOUR;
        await settle(await app.expireReferral(referralId, new Date(clock).toISOString()));
        return;
      case 'rejected':
        return step('receiver', 5, { type: 'RejectReferral', reason: { code: 'no_capacity' } });
      case 'cancelled':
        return step('sender', 6, { type: 'CancelReferral', reason: { code: 'need_met_elsewhere' } });
      default:
        break;
    }
    await step('receiver', 4, { type: 'AcceptReferral' });
    await message(1, 'Thank you, we can see the client next week. Which days suit them?');
    if (demo.end === 'accepted') return;
    if (demo.end === 'failed')
      return step('receiver', 20, { type: 'FailReferral', reason: { code: 'client_unreachable' } });
    await step('receiver', 20, { type: 'StartReferral' });
    if (demo.end === 'in-progress') return;
    if (demo.end === 'on-hold')
      return step('receiver', 10, { type: 'PutReferralOnHold', reason: { code: 'waiting_for_documents' } });
    await step('receiver', 26, { type: 'CompleteReferral', outcome: 'need_met' });
  }
}
