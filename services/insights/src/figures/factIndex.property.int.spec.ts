import { randomBytes } from 'node:crypto';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factChanges } from '../domain/facts.js';
import { createPseudonymiser } from '../domain/pseudonym.js';
import { applyFactBatch, FactCache, migrateInsightsTables } from '../readModels/factStore.js';
import { START, historyEvents, orgId, randomHistory } from '../testing/history.js';
import { demandFigures } from './demand.js';
import { factIndexOf, indexFacts } from './factIndex.js';
import type { InsightsFilters } from './filters.js';
import { funnelFigures } from './funnel.js';
import { providerFigures } from './providers.js';

const pseudonym = createPseudonymiser(randomBytes(32));
const DAY = 86_400_000;

const figures = (index: ReturnType<typeof indexFacts>, f: InsightsFilters) => {
  // Durations are multisets: their order follows the slots, which differ between the two indexes.
  const plain = (x: unknown) =>
    JSON.parse(
      JSON.stringify(x, (_, v: unknown) =>
        ArrayBuffer.isView(v) || (Array.isArray(v) && v.every((n) => typeof n === 'number'))
          ? Array.from(v as ArrayLike<number>).sort((a, b) => a - b)
          : v,
      ),
    ) as unknown;
  return plain({
    byOrganisation: providerFigures(index, f, 'organisation'),
    byService: providerFigures(index, f, 'service'),
    demand: demandFigures(index, f),
    funnel: funnelFigures(index, f),
  });
};

describe('the fact index kept up to date fact by fact', () => {
  it('gives the figures a fresh index of the same facts gives, synced at any points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 5 }),
        fc.uniqueArray(fc.nat(23), { maxLength: 4 }),
        fc.record({ fromDay: fc.nat(40), days: fc.integer({ min: 1, max: 90 }), organisation: fc.option(fc.nat(2)) }),
        async (seed, syncPoints, erased, period) => {
          const spec = { ...randomHistory({ seed, organisations: 3, referrals: 40, days: 60 }), erased };
          const events = [...historyEvents(spec)];
          const db = await createSqliteDatabase({ path: ':memory:' });
          try {
            await migrateInsightsTables(db);
            const cache = new FactCache(db);
            const points = new Set(syncPoints.map((p) => p % events.length));
            for (const [n, e] of events.entries()) {
              if (points.has(n)) {
                await cache.sync();
                factIndexOf(cache);
              }
              await db.transaction((tx) => applyFactBatch(tx, [factChanges(e, pseudonym)]));
            }
            await cache.sync();
            const f: InsightsFilters = {
              from: START + period.fromDay * DAY,
              to: START + (period.fromDay + period.days) * DAY,
              ...(period.organisation === null ? {} : { organisationId: orgId(period.organisation) }),
            };
            expect(figures(factIndexOf(cache), f)).toEqual(figures(indexFacts(cache.facts), f));
          } finally {
            await db.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
