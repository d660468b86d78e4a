import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDirectoryTables } from './schema.js';
import { serviceFacts, suggestServices } from './directoryQueries.js';
import {
  applyRegistryFacts,
  membershipChanged,
  registryEnvelope,
  servicePublished,
} from '../testing/registryEvents.js';

const [A, B, C, SUSPENDED] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const id = () => randomUUID();
const near = id();
const far = id();
const remote = id();
const closed = id();
const wrongStatus = id();
const wrongLanguage = id();
const otherRegion = id();
const ofSuspended = id();
const withdrawn = id();

describe('service suggestions from the registry directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'referrals-directory-'));
  let db: Awaited<ReturnType<typeof createSqliteDatabase>>;
  const athens = { lat: 37.98, lon: 23.73 };

  beforeAll(async () => {
    db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    await ensureDirectoryTables(db);
    const housing = (serviceId: string, organisationId: string, over = {}) =>
      servicePublished({ serviceId, organisationId, category: 'housing', name: serviceId, ...over });
    await applyRegistryFacts(db, [
      membershipChanged(A),
      membershipChanged(B),
      membershipChanged(C),
      membershipChanged(SUSPENDED, 'suspended'),
      housing(near, B, { locations: [{ locality: 'Athens', lat: 37.99, lon: 23.74 }] }),
      housing(far, C, { locations: [{ locality: 'Thessaloniki', lat: 40.64, lon: 22.94 }] }),
      housing(remote, C),
      housing(closed, B, { intakeStatus: 'closed' }),
      housing(wrongStatus, B, { legalStatuses: ['refugee'] }),
      housing(wrongLanguage, B, { languages: ['fr'] }),
      housing(otherRegion, B, { areas: [{ country: 'GR', region: 'EL52' }] }),
      housing(ofSuspended, SUSPENDED),
      housing(withdrawn, B),
      registryEnvelope('estia.registry.service.withdrawn.v1', {
        serviceId: withdrawn,
        organisationId: B,
        withdrawnAt: '2025-02-01T00:00:00.000Z',
      }),
      // Capacity closes the far one's intake, then reopens it: the latest wins.
      registryEnvelope('estia.registry.service.capacity-changed.v1', {
        serviceId: far,
        organisationId: C,
        category: 'housing',
        capacity: { available: 0, maximum: 5, intakeStatus: 'closed' },
        changedAt: '2025-02-01T00:00:00.000Z',
      }),
      registryEnvelope('estia.registry.service.capacity-changed.v1', {
        serviceId: far,
        organisationId: C,
        category: 'housing',
        capacity: { available: 2, maximum: 5, intakeStatus: 'open' },
        changedAt: '2025-03-01T00:00:00.000Z',
      }),
    ]);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists eligible, open services in the client’s language and area, nearest first', async () => {
    const items = await suggestServices(db, {
      now: new Date().toISOString(),
      category: 'housing',
      legalStatus: 'asylum_seeker',
      languages: ['ar'],
      location: { country: 'GR', region: 'EL30', coordinates: athens },
      excludeOrganisationId: A,
    });
    expect(items.map((s) => s.serviceId)).toEqual([near, far, remote]);
    expect(items[0]!.distanceKm).toBeLessThan(5);
    expect(items[1]!.distanceKm).toBeGreaterThan(250);
    expect(items[2]!.distanceKm).toBeNull();
    expect(items[1]!.available).toBe(2);
  });

  it('suggests nothing without a legal status or location, and not the asking organisation’s own', async () => {
    const base = {
      category: 'housing',
      legalStatus: 'asylum_seeker',
      languages: ['ar'],
      location: { country: 'GR', region: 'EL30' },
    };
    expect(
      await suggestServices(db, {
        now: new Date().toISOString(),
        ...base,
        legalStatus: undefined,
      }),
    ).toEqual([]);
    expect(
      await suggestServices(db, {
        now: new Date().toISOString(),
        ...base,
        location: undefined,
      }),
    ).toEqual([]);
    const fromB = await suggestServices(db, {
      now: new Date().toISOString(),
      ...base,
      excludeOrganisationId: B,
    });
    expect(fromB.map((s) => s.serviceId).sort()).toEqual([far, remote].sort());
  });

  it('takes the response time for expiry from the registry’s service events, and forgets withdrawn services', async () => {
    expect(await serviceFacts(db, near)).toEqual({ organisationId: B, category: 'housing', responseTimeHours: 48 });
    expect(await serviceFacts(db, withdrawn)).toBeNull();
  });
});
