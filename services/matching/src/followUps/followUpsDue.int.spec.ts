import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { validateEnvelope } from '@estia/contracts';
import { silentLogger } from '@estia/infra/bus/logger.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { ProcessorRun } from '@estia/infra/processors/runtime.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEMENT_FACTS, type PlacementFacts } from '../application/placementFacts.js';
import { applicationStreamId, type PipelineEvent } from '../domain/pipeline/pipelineDecider.js';
import { matchingPublicEvents } from '../integration/publicEvents.js';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';
import { announceDueFollowUps } from './announceDueFollowUps.js';
import { followUpsDueProcessor } from './followUpScheduler.js';

const NGO = randomUUID();
const EMPLOYER = randomUUID();
const START = '2026-01-15';

let h: MatchingHarness;
/** A second replica: its own connections to the same files. */
let other: { store: EventStore; db: SqlDatabase };

beforeAll(async () => {
  h = await startMatchingHarness();
  other = {
    store: createSqliteEventStore({ path: join(h.dir, 'events.sqlite') }),
    db: await createSqliteDatabase({ path: join(h.dir, 'read.sqlite') }),
  };
});
afterAll(async () => {
  await other?.db.close();
  await other?.store.close();
  await h?.close();
});

/** A placement hired on START, written as the command handler writes it (placement facts on every event). */
async function hiredPlacement(): Promise<string> {
  const applicationId = randomUUID();
  const by = { organisationId: NGO, userId: 'coach-1' };
  const stamp = { applicationId, by, at: '2026-01-05T09:00:00.000Z' };
  const events: PipelineEvent[] = [
    {
      type: 'OpportunityProposed',
      data: {
        ...stamp,
        clientId: randomUUID(),
        opportunityId: randomUUID(),
        match: { score: 0.8, label: 'strong', rightToWorkBasis: 'refugee' },
      },
    },
    { type: 'ClientInterested', data: { ...stamp, note: null } },
    { type: 'ApplicationSent', data: { ...stamp, fields: ['skills'] } },
    { type: 'OfferMade', data: stamp },
    { type: 'Hired', data: { ...stamp, startDate: START } },
  ];
  const statuses = ['none', 'proposed', 'interested', 'applied', 'offered'] as const;
  let version: number | 'no-stream' = 'no-stream';
  for (const [i, event] of events.entries()) {
    const facts: PlacementFacts = {
      clientId: (events[0]!.data as { clientId: string }).clientId,
      opportunityId: (events[0]!.data as { opportunityId: string }).opportunityId,
      employerOrganisationId: EMPLOYER,
      coachOrganisationId: NGO,
      opportunityKind: 'job',
      previousStatus: statuses[i]!,
    };
    const result = await h.store.append(
      applicationStreamId(applicationId),
      [{ type: event.type, data: event.data, metadata: { [PLACEMENT_FACTS]: facts } }],
      { expectedVersion: version },
    );
    version = result.nextExpectedVersion;
  }
  await h.settle();
  return applicationId;
}

const clockAt = (instant: string) => () => new Date(instant);
const dueEvents = async (applicationId: string) =>
  (await h.store.readStream(applicationStreamId(applicationId))).filter((e) => e.type === 'FollowUpDue');

describe('placement follow-ups falling due', () => {
  it('announces each follow-up once when its date has come, to the coach and the employer, with the placement only', async () => {
    const placementId = await hiredPlacement();
    expect(await announceDueFollowUps({ store: h.store, db: h.db, clock: clockAt('2026-02-14T08:00:00Z') })).toEqual(
      [],
    );
    // Two replicas at the same moment (no lease between them at all): one announcement.
    const clock = clockAt('2026-02-15T08:00:00Z');
    const [a, b] = await Promise.all([
      announceDueFollowUps({ store: h.store, db: h.db, clock }),
      announceDueFollowUps({ store: other.store, db: other.db, clock }),
    ]);
    expect([...a, ...b]).toEqual([{ placementId, month: 1 }]);
    // Again before the read models saw it (the stream says no), and after (the read models say no).
    expect(await announceDueFollowUps({ store: other.store, db: other.db, clock })).toEqual([]);
    await h.settle();
    expect(await announceDueFollowUps({ store: h.store, db: h.db, clock })).toEqual([]);
    const due = await dueEvents(placementId);
    expect(due.map((e) => (e.data as { month: number }).month)).toEqual([1]);

    const message = matchingPublicEvents(due[0]!)!;
    expect(validateEnvelope(message.envelope).valid).toBe(true);
    expect(message.envelope).toMatchObject({
      type: 'estia.matching.placement.follow-up-due.v1',
      subject: placementId,
      data: {
        placementId,
        employerOrganisationId: EMPLOYER,
        coachOrganisationId: NGO,
        monthsAfterStart: 1,
        announcedAt: '2026-02-15T08:00:00.000Z',
      },
    });
    expect(Object.keys(message.envelope.data as object)).not.toContain('clientId');
    expect(JSON.stringify(message.envelope)).not.toContain(START);
  });

  it('as a supervised schedule: a second replica and a restart announce nothing twice; a recorded follow-up is not announced', async () => {
    const placementId = await hiredPlacement();
    const recorded = await hiredPlacement();
    h.setNow('2026-04-20T08:00:00.000Z');
    // The coach recorded the 3-month follow-up of the second placement before the scheduler looked.
    await h.built.commands.step(
      recorded,
      { organisationId: NGO, userId: 'coach-1' },
      { type: 'RecordFollowUp', month: 3, stillEmployed: true },
      {},
    );
    await h.settle();
    const clock = clockAt('2026-04-20T08:00:00.000Z');
    const allDue = async () =>
      (await h.store.readAll())
        .filter((e) => e.type === 'FollowUpDue')
        .map((e) => `${e.streamId}/${(e.data as { month: number }).month}`);
    const before = await allDue();
    const processed: number[] = [];
    const context = (name: string) => ({
      name,
      failures: 0,
      logger: silentLogger,
      processed: (n: number) => void processed.push(n),
      parked: () => undefined,
    });
    const run = (deps: { store: EventStore; db: SqlDatabase }, name: string): Promise<ProcessorRun> =>
      followUpsDueProcessor({ ...deps, clock, env: { FOLLOW_UP_INTERVAL_SECONDS: '1' }, firstRunAfterMs: 0 }).start(
        context(name),
      );
    const runs = await Promise.all([run(h, 'a'), run(other, 'b')]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await Promise.all(runs.map((r) => r.stop()));
    await h.settle();
    // A restart: a fresh processor over the same files.
    const restarted = await run(h, 'c');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await restarted.stop();

    const months = async (id: string) => (await dueEvents(id)).map((e) => (e.data as { month: number }).month);
    expect(await months(placementId)).toEqual([1, 3]);
    expect(await months(recorded)).toEqual([1]);
    // Every announcement counted once, none repeated (the first test's placement reached its 3 months too).
    const after = await allDue();
    expect(new Set(after).size).toBe(after.length);
    expect(processed.reduce((n, p) => n + p, 0)).toBe(after.length - before.length);
    expect(after.length - before.length).toBe(4);
    h.setNow(null);
  });
});
