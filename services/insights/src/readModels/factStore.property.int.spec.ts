import { randomBytes } from 'node:crypto';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factChanges } from '../domain/facts.js';
import { createPseudonymiser } from '../domain/pseudonym.js';
import { historyEvents, randomHistory, type Envelope } from '../testing/history.js';
import { applyFactBatch, applyFactChanges, migrateInsightsTables } from './factStore.js';

const pseudonym = createPseudonymiser(randomBytes(32));

/** The facts table as it stands (sequence numbers aside: only their order of visibility matters). */
async function factsAfter(events: readonly Envelope[], batch: number) {
  const db = await createSqliteDatabase({ path: ':memory:' });
  try {
    await migrateInsightsTables(db);
    for (let start = 0; start < events.length; start += batch) {
      const run = events.slice(start, start + batch);
      await db.transaction((tx) =>
        batch === 1
          ? applyFactChanges(tx, factChanges(run[0]!, pseudonym))
          : applyFactBatch(
              tx,
              run.map((e) => factChanges(e, pseudonym)),
            ),
      );
    }
    return await db.query('SELECT kind, fact_key, client, removed, data FROM insights_facts ORDER BY kind, fact_key');
  } finally {
    await db.close();
  }
}

describe('the batched fact writer', () => {
  it('leaves the facts as applying the events one by one does, erasures anywhere in a batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 2, max: 60 }),
        fc.uniqueArray(fc.nat(23), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (seed, batch, erased, erasureSlots) => {
          // 40 referrals: 24 clients, of whom some are erased.
          const spec = { ...randomHistory({ seed, organisations: 3, referrals: 40, days: 60 }), erased };
          const all = [...historyEvents(spec)];
          // The history erases at its end; move the erasures in among the events that follow them.
          const erasures = all.filter((e) => e.type === 'estia.referrals.client.erased.v1');
          const events = all.filter((e) => e.type !== 'estia.referrals.client.erased.v1');
          erasures.forEach((e, i) => {
            const at = (erasureSlots[i] ?? events.length) % (events.length + 1);
            events.splice(at, 0, e);
          });
          expect(await factsAfter(events, batch)).toEqual(await factsAfter(events, 1));
        },
      ),
      { numRuns: 30 },
    );
  });
});
