import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsByStatus } from '../projections/queries.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, registryEnvelope, servicePublished } from '../testing/registryEvents.js';
import { DEMO_REFERRAL_ENDS } from './demoCases.js';
import { DEMO_PROGRESS_STREAM, seedDemoCases, type DemoSeedDeps } from './seedDemoCases.js';

const ORGS = [randomUUID(), randomUUID(), randomUUID()];
const CATEGORIES = ['housing', 'legal', 'psychosocial'] as const;
/** Approved, and allowed to exchange when the registry last wrote, but its licence has lapsed since. */
const LAPSED = randomUUID();
const lapsedMembership = () => {
  const approved = membershipChanged(LAPSED);
  return registryEnvelope('estia.registry.organisation.membership-changed.v1', {
    ...(approved.data as Parameters<typeof registryEnvelope<'estia.registry.organisation.membership-changed.v1'>>[1]),
    licence: { number: 'L-2', validUntil: '2026-01-01' },
    mayExchange: true,
  });
};

describe('demo caseloads', () => {
  let h: ReferralsHarness | undefined;
  let deps: DemoSeedDeps;

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'demo',
      facts: [
        ...ORGS.map((o) => membershipChanged(o)),
        lapsedMembership(),
        servicePublished({ serviceId: randomUUID(), organisationId: LAPSED, category: 'housing' }),
        ...ORGS.flatMap((organisationId, i) =>
          CATEGORIES.map((category, j) =>
            servicePublished({
              serviceId: randomUUID(),
              organisationId,
              category,
              responseTimeHours: [24, 48, 72][(i + j) % 3]!,
              areas: [{ country: 'GR', region: 'EL30' }],
              locations: [{ locality: 'Athens', lat: 37.98, lon: 23.73 }],
            }),
          ),
        ),
      ],
    });
    deps = {
      store: h.store,
      db: h.db,
      keyStore: h.keyStore,
      blindIndex: h.blindIndex,
      waitFor: (position) => h!.projector.waitFor(position, 10_000),
    };
  });
  afterAll(async () => h?.close());

  const totals = async () => {
    const sums: Record<string, number> = {};
    let overdue = 0;
    for (const org of ORGS) {
      const counts = await countsByStatus(h!.db, org, new Date().toISOString());
      for (const [status, n] of Object.entries(counts.received)) sums[status] = (sums[status] ?? 0) + n;
      overdue += counts.overdue.received;
    }
    return { sums, overdue };
  };

  it('resumes an interrupted run: the half-done case is redone, nothing is refused, nothing is seeded twice', async () => {
    // A crash in the middle of the fourth case (its client and consent written, the rest not).
    let steps = 0;
    const crashing: DemoSeedDeps = {
      ...deps,
      waitFor: async (position) => {
        if (++steps === 3 * 7 + 2) throw new Error('power cut');
        await deps.waitFor(position);
      },
    };
    await expect(seedDemoCases(crashing, { perOrganisation: 4 })).rejects.toThrow('power cut');
    const before = await h!.store.readStream(DEMO_PROGRESS_STREAM);
    const done = before.filter((e) => e.type === 'DemoCaseSeeded').length;
    // Stopped inside a case: one more started than finished.
    expect(before.filter((e) => e.type === 'DemoCaseStarted').length).toBe(done + 1);
    expect(done).toBeGreaterThan(0);
    const seeded = await seedDemoCases(deps, { perOrganisation: 4 });
    expect(seeded).toBe(12 - done);
    expect(await seedDemoCases(deps, { perOrganisation: 4 })).toBe(0);
    const progress = await h!.store.readStream(DEMO_PROGRESS_STREAM);
    expect(progress.filter((e) => e.type === 'DemoCaseSeeded')).toHaveLength(12);
  });

  it('leaves referrals in every state of the loop, some overdue, for every member to see', async () => {
    const { sums, overdue } = await totals();
    const states = DEMO_REFERRAL_ENDS.filter((e) => e !== 'overdue');
    for (const state of states) expect(sums[state] ?? 0, state).toBeGreaterThan(0);
    // "requested" counts both the fresh and the overdue ones; the overdue ones are counted apart.
    expect(overdue).toBeGreaterThan(0);
    expect(sums.requested).toBeGreaterThan(overdue);
    for (const org of ORGS) {
      const counts = await countsByStatus(h!.db, org, new Date().toISOString());
      expect(Object.values(counts.sent).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    }
    // A member whose licence lapsed after the registry's last event neither sends nor receives.
    const lapsed = await countsByStatus(h!.db, LAPSED, new Date().toISOString());
    expect(Object.values({ ...lapsed.sent }).reduce((a, b) => a + b, 0)).toBe(0);
    expect(Object.values({ ...lapsed.received }).reduce((a, b) => a + b, 0)).toBe(0);
    // One was sent under a consent override, for the auditors' report.
    const overrides = await h!.db.query('SELECT referral_id FROM rf_referrals WHERE consent_overridden = 1');
    expect(overrides).toHaveLength(1);
    // Job coaches have candidates: every client agreed to job matching, every third without the permit
    // dates (the candidate who matches nothing and is told why), and to employers seeing applications.
    const events = await h!.store.readAll();
    const given = events
      .filter((e) => e.type === 'ConsentGiven')
      .map((e) => e.data as { purpose: string; scope: string[] });
    const matchingConsents = given.filter((c) => c.purpose === 'job_matching');
    // (The case interrupted in the first test was redone: its half-seeded client may have consented too.)
    expect(matchingConsents.length).toBeGreaterThanOrEqual(12);
    expect(matchingConsents.filter((c) => !c.scope.includes('legal_status_dates')).length).toBeGreaterThanOrEqual(4);
    expect(given.filter((c) => c.purpose === 'employer_sharing').length).toBeGreaterThanOrEqual(12);
    expect(events.filter((e) => e.type === 'CandidateProfileShared').length).toBeGreaterThanOrEqual(12);
    // Names are sealed in the log, like every client's.
    expect(JSON.stringify(await h!.store.readAll())).not.toContain('Rahimi');
  });
});
