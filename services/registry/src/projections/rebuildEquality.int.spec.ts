import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { startProjector } from '@estia/infra/projections/projector.js';
import { readModelContents } from '@estia/infra/projections/readModelContents.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import { afterAll, describe, expect, it } from 'vitest';
import { registryRebuild } from '../../bench/rebuildRegistry.js';
import { WEBHOOK_SUBSCRIPTION_TABLES } from '../webhooks/webhookTables.js';
import { DIRECTORY_TABLES } from './directorySchema.js';
import { PEOPLE_TABLES } from './peopleProjection.js';
import { registryProjections } from './registryProjections.js';
import { webhookSubscriptionsProjection } from '../webhooks/subscriptionProjection.js';

const available = await postgresAvailable();

/**
 * A rebuild (catch-up from the first event, in batches, deferred indexes created at the end) leaves
 * exactly the read models that applying the same log one event at a time leaves.
 */
describe('the rebuilt registry read models', () => {
  const dir = mkdtempSync(join(tmpdir(), 'registry-rebuild-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const compare = async (open: (name: string) => Promise<SqlDatabase>) => {
    const store = createSqliteEventStore({ path: join(dir, `events-${randomUUID()}.sqlite`) });
    await registryRebuild.seed(store, 400);
    // A changed service: its children are replaced, not added to.
    const [registered] = await store.readAll({ types: ['ServiceRegistered'], maxCount: 1 });
    const { serviceId, details } = registered!.data as { serviceId: string; details: Record<string, unknown> };
    await store.append(`service-${serviceId}-update`, [
      {
        type: 'ServiceDetailsUpdated',
        data: {
          serviceId,
          details: { ...details, languages: ['ar'], serviceAreas: [] },
          updatedAt: '2026-02-01T00:00:00.000Z',
        },
      },
    ]);
    // Every kind of directory write, several on the same organisation and service within one batch: the
    // rebuild writes a batch in rounds (keyedRounds.ts), which must leave what one event at a time leaves.
    const [applied] = await store.readAll({ types: ['OrganisationApplied'], maxCount: 1 });
    const { organisationId, profile } = applied!.data as { organisationId: string; profile: Record<string, unknown> };
    const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T00:00:00.000Z`;
    await store.append(`organisation-${organisationId}-changes`, [
      { type: 'OrganisationSuspended', data: { organisationId, suspendedAt: at(1) } },
      {
        type: 'OrganisationProfileUpdated',
        data: { organisationId, profile: { ...profile, name: 'Renamed' }, updatedAt: at(2) },
      },
      { type: 'OrganisationReinstated', data: { organisationId, reinstatedAt: at(3) } },
      {
        type: 'LicenceRenewed',
        data: { organisationId, licenceValidUntil: '2031-01-01T00:00:00.000Z', renewedAt: at(4) },
      },
      { type: 'CodeOfConductAccepted', data: { organisationId, version: 2, acceptedAt: at(5) } },
      {
        type: 'ServiceCapacityChanged',
        data: { serviceId, capacity: { available: 0, maximum: 3, intake: 'closed' }, changedAt: at(6) },
      },
      {
        type: 'ServiceDetailsUpdated',
        data: { serviceId, details: { ...details, languages: ['fa', 'el'] }, updatedAt: at(7) },
      },
      { type: 'ServiceWithdrawn', data: { serviceId, withdrawnAt: at(8) } },
      { type: 'OrganisationWithdrawn', data: { organisationId, withdrawnAt: at(9) } },
    ]);
    const projections = [...registryProjections, webhookSubscriptionsProjection];
    const tables = [...DIRECTORY_TABLES, ...PEOPLE_TABLES, ...WEBHOOK_SUBSCRIPTION_TABLES];

    const oneByOne = await open('one_by_one');
    const projector = await startProjector({ store, db: oneByOne, projections, batchSize: 1 });
    await projector.caughtUp;
    await projector.stop();
    const rebuilt = await open('rebuilt');
    await catchUpProjections(store, rebuilt, projections, 64);

    const expected = await readModelContents(oneByOne, tables);
    expect(expected.registry_services!.length).toBeGreaterThan(100);
    expect(expected.registry_people!.length).toBeGreaterThan(50);
    expect(await readModelContents(rebuilt, tables)).toEqual(expected);
    await Promise.all([oneByOne.close(), rebuilt.close(), store.close()]);
  };

  it('equal the ones built event by event, on every table and index (SQLite)', () =>
    compare((name) => createSqliteDatabase({ path: join(dir, `${name}.sqlite`) })));

  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });
  it.skipIf(!available)('equal the ones built event by event, on every table and index (PostgreSQL)', () =>
    compare((name) => {
      const schema = randomSchemaName(`rebuild_${name}`);
      schemas.push(schema);
      return createPostgresDatabase({ url: PG_URL, schema, max: 2 });
    }),
  );
});
