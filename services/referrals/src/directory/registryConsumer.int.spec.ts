import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import {
  applyRegistryFacts,
  membershipChanged,
  registryEnvelope,
  servicePublished,
} from '../testing/registryEvents.js';
import { ensureDirectoryTables } from './schema.js';

const renamedAt = (organisationId: string, name: string, changedAt: string) =>
  registryEnvelope('estia.registry.organisation.membership-changed.v1', {
    ...(membershipChanged(organisationId, 'approved', changedAt).data as Record<string, unknown>),
    name,
    change: 'profile_updated',
  } as never);

describe("the registry's facts in the referrals directory", () => {
  it("a renamed organisation's services carry the new name; an older event delivered late does not undo it", async () => {
    const db = await createSqliteDatabase({ path: ':memory:' });
    await ensureDirectoryTables(db);
    const organisationId = randomUUID();
    const names = async () =>
      (
        await db.query<{ organisation_name: string }>('SELECT organisation_name FROM rf_directory ORDER BY service_id')
      ).map((r) => r.organisation_name);

    await applyRegistryFacts(db, [
      membershipChanged(organisationId, 'approved', '2030-01-01T00:00:00.000Z'),
      servicePublished({ serviceId: randomUUID(), organisationId, category: 'housing' }),
      servicePublished({ serviceId: randomUUID(), organisationId, category: 'legal' }),
    ]);
    expect(await names()).toEqual([
      `Organisation ${organisationId.slice(0, 8)}`,
      `Organisation ${organisationId.slice(0, 8)}`,
    ]);

    await applyRegistryFacts(db, [renamedAt(organisationId, 'Solidarity Now', '2030-02-01T00:00:00.000Z')]);
    expect(await names()).toEqual(['Solidarity Now', 'Solidarity Now']);

    await applyRegistryFacts(db, [renamedAt(organisationId, 'Old name', '2030-01-15T00:00:00.000Z')]);
    expect(await names()).toEqual(['Solidarity Now', 'Solidarity Now']);
    await db.close();
  });
});
