import { randomBytes } from 'node:crypto';
import { eventErrors } from '@estia/contracts';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPseudonymiser } from '../domain/pseudonym.js';
import { insightsConsumers } from '../integration/consumers.js';
import { SUPPRESSED, THRESHOLD } from '../privacy/suppression.js';
import { FactCache, migrateInsightsTables } from '../readModels/factStore.js';
import { bruteDemand, bruteFunnel, bruteProviders, dur } from '../testing/bruteForce.js';
import {
  CATEGORIES,
  REGIONS,
  START,
  historyEvents,
  orgId,
  type Envelope,
  type HistorySpec,
} from '../testing/history.js';
import { demandFigures, publishDemand } from './demand.js';
import { factIndexOf } from './factIndex.js';
import type { InsightsFilters } from './filters.js';
import { FUNNEL_COLUMNS, funnelFigures, publishFunnel } from './funnel.js';
import { providerFigures, publishProviders, type ProviderGrouping } from './providers.js';

const ORGS = 4;
const hours = fc.integer({ min: 0, max: 24 * 200 });
const spec: fc.Arbitrary<HistorySpec> = fc.record({
  organisations: fc.constant(ORGS),
  servicesPerOrganisation: fc.integer({ min: 1, max: 3 }),
  referrals: fc.array(
    fc.record({
      to: fc.nat(ORGS - 1),
      from: fc.nat(ORGS - 1),
      service: fc.nat(2),
      requestedAt: hours,
      answer: fc.option(
        fc.record({
          status: fc.constantFrom('accepted' as const, 'rejected' as const),
          after: fc.integer({ min: 0, max: 150 }),
          reason: fc.nat(5),
        }),
      ),
      end: fc.constantFrom(
        'open' as const,
        'completed' as const,
        'failed' as const,
        'cancelled' as const,
        'expired' as const,
      ),
      endAfter: fc.integer({ min: 0, max: 2000 }),
      outcome: fc.nat(5),
      reason: fc.nat(5),
      need: fc.option(fc.nat(40)),
      withDeadline: fc.boolean(),
    }),
    { maxLength: 60 },
  ),
  needs: fc.array(
    fc.record({
      client: fc.nat(30),
      category: fc.nat(CATEGORIES.length - 1),
      by: fc.nat(ORGS - 1),
      assessedAt: hours,
      reassessedAfter: fc.option(fc.integer({ min: 0, max: 500 })),
      closedAfter: fc.option(fc.integer({ min: 0, max: 3000 })),
    }),
    { maxLength: 40 },
  ),
  candidates: fc.array(
    fc.record({
      client: fc.nat(30),
      by: fc.nat(ORGS - 1),
      consentedAt: hours,
      stage: fc.nat(4),
      stageAfter: fc.integer({ min: 1, max: 300 }),
      followUps: fc.uniqueArray(
        fc.record({ month: fc.constantFrom(1 as const, 3 as const, 6 as const), stillEmployed: fc.boolean() }),
        { selector: (f) => f.month, maxLength: 3 },
      ),
      hireOnlyByPlacement: fc.boolean(),
    }),
    { maxLength: 40 },
  ),
  erased: fc.uniqueArray(fc.nat(30), { maxLength: 4 }),
});

const day = 86_400_000;
const filters: fc.Arbitrary<InsightsFilters> = fc
  .record({
    fromDay: fc.option(fc.integer({ min: 0, max: 200 })),
    length: fc.integer({ min: 1, max: 300 }),
    category: fc.option(fc.constantFrom(...CATEGORIES)),
    area: fc.option(fc.constantFrom(...REGIONS)),
    organisation: fc.option(fc.nat(ORGS - 1)),
  })
  .map((x) => {
    const from = x.fromDay === null ? 0 : START + x.fromDay * day;
    return {
      from,
      to: (x.fromDay === null ? START : from) + x.length * day,
      ...(x.category === null ? {} : { category: x.category }),
      ...(x.area === null ? {} : { area: x.area }),
      ...(x.organisation === null ? {} : { organisationId: orgId(x.organisation) }),
    };
  });

/**
 * The real consumers' handlers into a fresh read model: one transaction per event (`batch` 1, the
 * fallback path) or per run of `batch` events of a topic (the batched path, as the bus delivers them).
 */
async function readModelOf(events: readonly Envelope[], batch = 1) {
  const db = await createSqliteDatabase({ path: ':memory:' });
  const consumers = insightsConsumers(createPseudonymiser(randomBytes(32)), await migrateInsightsTables(db));
  const context = (topic: string, e: Envelope) => ({ topic, partition: 0, offset: '0', key: e.subject!, attempt: 1 });
  let pending: { topic: string; events: Envelope[] } | undefined;
  const flush = async () => {
    if (!pending) return;
    const { topic, events: run } = pending;
    const consumer = consumers.find((c) => c.topics[0] === topic)!;
    pending = undefined;
    await db.transaction((tx) =>
      batch === 1
        ? consumer.handle(tx, run[0]!, context(topic, run[0]!))
        : consumer.handleBatch!(
            tx,
            run.map((e) => ({ envelope: e, context: context(topic, e) })),
          ),
    );
  };
  const cache = new FactCache(db);
  for (const [n, e] of events.entries()) {
    // Halfway the index is built: the figures then come from an index kept up to date fact by fact.
    if (n === Math.floor(events.length / 2)) {
      await flush();
      await cache.sync();
      factIndexOf(cache);
    }
    const topic = `estia.${e.type.split('.')[1]}`;
    // A batch holds one topic's messages; the topics' consumers interleave between batches.
    if (pending && (pending.topic !== topic || pending.events.length >= batch)) await flush();
    pending ??= { topic, events: [] };
    pending.events.push(e);
  }
  await flush();
  await cache.sync();
  return { cache, close: () => db.close() };
}

/** Events per consumer transaction: one by one, or batches of up to 40. */
const batchSize = fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 40 }));

const visible = (published: unknown, raw: number) => {
  if (raw < THRESHOLD) expect(published).toBe(SUPPRESSED);
  else if (published !== SUPPRESSED) expect(published).toBe(raw);
};

describe('insights figures against a brute-force count of the same events', () => {
  it('generates contract-valid histories', () => {
    fc.assert(
      fc.property(spec, (s) => {
        for (const e of historyEvents(s)) expect(eventErrors(e), e.type).toEqual([]);
      }),
      { numRuns: 15 },
    );
  });

  it('gives every provider figure, by organisation, service and category, as brute force does', async () => {
    await fc.assert(
      fc.asyncProperty(
        spec,
        filters,
        fc.constantFrom<ProviderGrouping>('organisation', 'service', 'category'),
        batchSize,
        async (s, f, groupBy, batch) => {
          const events = [...historyEvents(s)];
          const model = await readModelOf(events, batch);
          try {
            const raw = providerFigures(factIndexOf(model.cache), f, groupBy);
            const brute = bruteProviders(events, f, groupBy);
            const shape = (r: (typeof raw)['network']) => ({
              ...r,
              firstAnswer: dur(Array.from(r.firstAnswer)),
              completion: dur(Array.from(r.completion)),
            });
            expect(shape(raw.network)).toEqual(brute.network);
            const keyOf = (k: (typeof raw.rows)[number]['key']) =>
              groupBy === 'organisation' ? k.organisationId : groupBy === 'service' ? String(k.serviceId) : k.category;
            expect(new Map(raw.rows.map((r) => [keyOf(r.key), shape(r.raw)]))).toEqual(brute.rows);

            const published = publishProviders(raw, f.organisationId === undefined);
            raw.rows.forEach((r, i) => {
              for (const c of [
                'received',
                'accepted',
                'rejected',
                'expired',
                'cancelled',
                'completed',
                'failed',
              ] as const)
                visible(published.rows[i]![c], r.raw[c]);
              for (const [reason, n] of Object.entries(r.raw.rejectedByReason))
                visible(published.rows[i]!.rejectedByReason[reason], n);
            });
            if (f.organisationId === undefined && raw.rows.length > 0)
              for (const c of ['received', 'accepted', 'rejected', 'completed'] as const) {
                const hidden = [published.network[c], ...published.rows.map((r) => r[c])].filter(
                  (v) => v === SUPPRESSED,
                );
                expect(hidden.length, `${c}: a lone hidden cell would follow from the network total`).not.toBe(1);
              }
          } finally {
            await model.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives demand and capacity by category and area as brute force does', async () => {
    await fc.assert(
      fc.asyncProperty(spec, filters, batchSize, async (s, f, batch) => {
        const events = [...historyEvents(s)];
        const model = await readModelOf(events, batch);
        try {
          const raw = demandFigures(factIndexOf(model.cache), f);
          const mine = new Map(
            [...raw.rows, ...raw.totals].map((r) => [
              `${r.category}|${r.area}`,
              {
                needs: r.needs,
                open: r.open,
                unmatched: r.unmatched,
                waiting: dur(r.waiting),
                servicesOpen: r.servicesOpen,
                servicesWaitlist: r.servicesWaitlist,
                capacityAvailable: r.capacityAvailable,
                capacityMaximum: r.capacityMaximum,
              },
            ]),
          );
          expect(mine).toEqual(bruteDemand(events, f));
          const published = publishDemand(raw);
          raw.rows.forEach((r, i) => {
            visible(published.rows[i]!.needs, r.needs);
            visible(published.rows[i]!.unmatched, r.unmatched);
          });
        } finally {
          await model.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives the outcome funnel by organisation and month as brute force does, erased people left out', async () => {
    await fc.assert(
      fc.asyncProperty(spec, filters, batchSize, async (s, f, batch) => {
        const events = [...historyEvents(s)];
        const model = await readModelOf(events, batch);
        try {
          const raw = funnelFigures(factIndexOf(model.cache), { ...f, category: undefined } as InsightsFilters);
          const brute = bruteFunnel(events, f);
          const mine = new Map<string, Record<string, number>>([
            ...raw.rows.map((r) => [r.organisationId, r.counts] as const),
            ...raw.months.map((m) => [`month:${m.month}`, m.counts] as const),
            ...(raw.rows.length > 0 ? [['network', raw.network] as const] : []),
          ]);
          expect(mine).toEqual(brute);
          const published = publishFunnel(raw);
          raw.rows.forEach((r, i) => FUNNEL_COLUMNS.forEach((c) => visible(published.rows[i]![c], r.counts[c])));
          for (const c of raw.months.length > 0 ? FUNNEL_COLUMNS : []) {
            const hidden = [published.network[c], ...published.months.map((m) => m[c])].filter((v) => v === SUPPRESSED);
            expect(hidden.length).not.toBe(1);
          }
        } finally {
          await model.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
