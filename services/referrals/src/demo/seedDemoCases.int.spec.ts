import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsByStatus } from '../projections/queries.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';
import { DEMO_REFERRAL_ENDS } from './demoCases.js';
import { DEMO_PROGRESS_STREAM, seedDemoCases, type DemoSeedDeps } from './seedDemoCases.js';

const ORGS = [randomUUID(), randomUUID(), randomUUID()];
const CATEGORIES = ['housing', 'legal', 'psychosocial'] as const;

describe('demo caseloads', () => {
  let h: ReferralsHarness | undefined;
  let deps: DemoSeedDeps;

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'demo',
      facts: [
        ...ORGS.map((o) => membershipChanged(o)),
        ...ORGS.flatMap((organisationId, i) =>
          CATEGORIES.map((category, j) =>
            servicePublished({
              serviceId: randomUUID(),
              organisationId,
              category,
              responseTimeHours: [24, 48, 72][(i + j) % 3]!,
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
    // One was sent under a consent override, for the auditors' report.
    const overrides = await h!.db.query('SELECT referral_id FROM rf_referrals WHERE consent_overridden = 1');
    expect(overrides).toHaveLength(1);
    // Names are sealed in the log, like every client's.
    expect(JSON.stringify(await h!.store.readAll())).not.toContain('Rahimi');
  });
});
