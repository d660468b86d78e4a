import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { Projection } from '@estia/infra/projections/projection.js';
import { readModelContents } from '@estia/infra/projections/readModelContents.js';
import { handleBatch } from '@estia/infra/projections/writeBatch.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PLACEMENT_FACTS } from '../application/placementFacts.js';
import { sharedEsco } from '../esco/loadEsco.js';
import { MatchEngine } from '../matching/matchEngine.js';
import { ESCO, carpenterJob, carpenterProfile, refugeeInGreece } from '../testing/builders.js';
import { eventByEventReadModels } from './eventByEvent.js';
import { matchingReadModels } from './readModelProjection.js';
import { PROJECTED_TABLES } from './tables.js';

const available = await postgresAvailable();
const esco = sharedEsco();
const by = { organisationId: 'org-coach', userId: 'u' };

// Few ids, so that a batch writes the same row many times over, in every order.
const opportunity = fc.constantFrom('o1', 'o2');
const client = fc.constantFrom('c1', 'c2');
const application = fc.constantFrom('a1', 'a2');
const at = fc.constantFrom('2026-11-10T09:00:00.000Z', '2026-11-11T09:00:00.000Z');
const details = fc
  .record({ occupation: fc.constantFrom(ESCO.carpenter, ESCO.cook), hours: fc.constantFrom(20, 40) })
  .map(({ occupation, hours }) => carpenterJob({ occupation, hoursPerWeek: hours }));

type Draft = Pick<StoredEvent, 'type' | 'data'> & { metadata?: StoredEvent['metadata'] };
const event = (type: string, data: fc.Arbitrary<Record<string, unknown>>, metadata?: StoredEvent['metadata']) =>
  data.map((d): Draft => ({ type, data: d, ...(metadata ? { metadata } : {}) }));

const drafts: fc.Arbitrary<Draft> = fc.oneof(
  event(
    'OpportunityPublished',
    fc.record({ opportunityId: opportunity, publishedBy: fc.constant(by), publishedAt: at, details }),
  ),
  event(
    'OpportunityRevised',
    fc.record({ opportunityId: opportunity, revisedBy: fc.constant(by), revisedAt: at, details }),
  ),
  ...['OpportunityPaused', 'OpportunityResumed', 'OpportunityFilled', 'OpportunityClosed'].map((type) =>
    event(type, fc.record({ opportunityId: opportunity, by: fc.constant(by), at, reason: fc.constant(null) })),
  ),
  event('OpportunityPositionTaken', fc.record({ opportunityId: opportunity, applicationId: application })),
  event(
    'MatchingConsentRecorded',
    fc.record({
      clientId: client,
      consentId: fc.constantFrom('k1', 'k2'),
      scope: fc.constantFrom(['profile'], ['profile', 'legal_status_dates']),
      at,
    }),
    { actor: by },
  ),
  event(
    'MatchingConsentRecorded',
    fc.record({ clientId: client, consentId: fc.constant('k3'), scope: fc.constant([]), at }),
  ),
  event(
    'CandidateLegalStatusUpdated',
    fc.record({ clientId: client, legalStatus: fc.constantFrom(refugeeInGreece(), null), at }),
  ),
  event(
    'CandidateProfileUpdated',
    fc.record({
      clientId: client,
      by: fc.constant(by),
      at,
      profile: fc.constantFrom(carpenterProfile(), carpenterProfile({ mobilityKm: 5 })),
    }),
  ),
  event('MatchingConsentWithdrawn', fc.record({ clientId: client, consentId: fc.constant('k1'), at })),
  event('CandidateErased', fc.record({ clientId: client, at })),
  event(
    'OpportunityProposed',
    fc.record({ applicationId: application, clientId: client, opportunityId: opportunity, by: fc.constant(by), at }),
    { [PLACEMENT_FACTS]: { employerOrganisationId: 'org-employer' } },
  ),
  ...['ClientInterested', 'ApplicationSent', 'InterviewScheduled', 'NotHired', 'ApplicationWithdrawn'].map((type) =>
    event(type, fc.record({ applicationId: application, by: fc.constant(by), at })),
  ),
  event(
    'Hired',
    fc.record({
      applicationId: application,
      by: fc.constant(by),
      at,
      startDate: fc.constantFrom('2026-12-01', '2027-01-04'),
    }),
  ),
  event('Hired', fc.record({ applicationId: application, by: fc.constant(by), at })),
  event('FollowUpDue', fc.record({ applicationId: application, month: fc.constantFrom(3, 6) })),
  event(
    'FollowUpRecorded',
    fc.record({
      applicationId: application,
      by: fc.constant(by),
      at,
      month: fc.constantFrom(3, 6, 9),
      stillEmployed: fc.boolean(),
    }),
  ),
);

const stored = (list: readonly Draft[]): StoredEvent[] =>
  list.map((d, i) => ({
    id: `e${i}`,
    streamId: 's',
    revision: i,
    position: i + 1,
    type: d.type,
    data: d.data,
    metadata: d.metadata ?? {},
    recordedAt: `2026-11-10T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
    hash: '',
  }));

/** Splits the log at the given cut points (sorted, deduplicated): the batches a projector would hand over. */
const batches = (events: StoredEvent[], cuts: number[]): StoredEvent[][] => {
  const at = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((a, b) => a - b);
  const out: StoredEvent[][] = [];
  let from = 0;
  for (const cut of [...at, events.length]) {
    if (cut > from) out.push(events.slice(from, cut));
    from = Math.max(from, cut);
  }
  return out;
};

async function project(db: SqlDatabase, projection: Projection, list: StoredEvent[][]): Promise<void> {
  await projection.migrate(db);
  for (const batch of list) await db.transaction((tx) => handleBatch(projection, tx, batch));
}

/** What the engine holds, as searches see it: who is in, and each candidate's matches. */
const engineView = (engine: MatchEngine) => ({
  size: engine.size,
  opportunities: ['o1', 'o2'].filter((id) => engine.hasOpportunity(id)),
  candidates: ['c1', 'c2'].map((id) =>
    engine.hasCandidate(id)
      ? engine
          .opportunitiesFor(id, { asOf: '2026-11-10', limit: 10 })
          .map((m) => `${m.opportunityId} ${m.score}`)
          .sort()
      : null,
  ),
});

/**
 * However a log is cut into batches, the folded writes (foldWrites.ts, one statement per row and
 * batch) leave the rows and the engine that the log applied one event at a time leaves.
 */
describe('the matching read models, written a batch at a time with each row’s writes folded', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  const check = (open: () => Promise<SqlDatabase>, runs: number) =>
    fc.assert(
      fc.asyncProperty(
        fc.array(drafts, { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (list, cuts) => {
          const events = stored(list);
          const reference = await createSqliteDatabase({ path: ':memory:' });
          const referenceEngine = new MatchEngine(esco);
          await project(
            reference,
            eventByEventReadModels(referenceEngine),
            events.map((e) => [e]),
          );
          const folded = await open();
          const foldedEngine = new MatchEngine(esco);
          await project(folded, matchingReadModels(foldedEngine), batches(events, cuts));
          const expected = await readModelContents(reference, PROJECTED_TABLES);
          const actual = await readModelContents(folded, PROJECTED_TABLES);
          for (const table of PROJECTED_TABLES) expect(actual[table], table).toEqual(expected[table]);
          expect(engineView(foldedEngine)).toEqual(engineView(referenceEngine));
          await Promise.all([reference.close(), folded.close()]);
        },
      ),
      { numRuns: runs },
    );

  it('on SQLite', () => check(() => createSqliteDatabase({ path: ':memory:' }), 200));

  it.skipIf(!available)('on PostgreSQL', () =>
    check(() => {
      const schema = randomSchemaName('matching_folded');
      schemas.push(schema);
      return createPostgresDatabase({ url: PG_URL, schema, max: 1 });
    }, 40),
  );
});
