import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { validateEventData } from '@estia/contracts';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { demoNetwork } from '../demo/demoData.js';
import type { Actor } from '../domain/shared/actor.js';
import { defaultContext, type RegistryContext } from './context.js';
import { ensureCodeOfConduct } from './networkBootstrap.js';
import { organisationHandlers } from './organisationHandlers.js';
import { registryRelayMapper } from './relayMapper.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { codeOfConductFanOut } from './codeOfConductFanOut.js';

const MEMBERSHIP = 'estia.registry.organisation.membership-changed.v1';
const admin: Actor = { principalId: 'admin', roles: ['network_admin'] };
const template = demoNetwork().organisations[0]!;

describe('membership events: every change that moves mayExchange is published', () => {
  let dir: string;
  let store: EventStore;
  let ctx: RegistryContext;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'estia-registry-membership-'));
    store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    ctx = defaultContext(store);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const published = async (organisationId: string) =>
    (await store.readStream(`registry-organisation-${organisationId}`))
      .filter((e) => e.type === MEMBERSHIP)
      .map((e) => e.data as { change: string; mayExchange: boolean; currentCodeOfConductVersion: number });

  it('an organisation that applied before the first code gets its state once v1 is published; then every step', async () => {
    const orgs = organisationHandlers(ctx);
    const { organisationId } = await orgs.apply({ principalId: 'a', roles: [] }, template.profile);
    expect(await published(organisationId)).toEqual([]); // no code yet: nothing can say who may exchange
    expect(await ensureCodeOfConduct(ctx)).toBe(1);
    expect(await ensureCodeOfConduct(ctx)).toBe(1); // idempotent at every start
    // The fan-out is a processor fed by the log (here: caught up by hand, twice: resumable, idempotent).
    const db = await createSqliteDatabase({ path: ':memory:' });
    const fanOut = () => catchUpProjections(store, db, [codeOfConductFanOut(ctx)]);
    expect(await published(organisationId)).toEqual([]);
    await fanOut();
    const orgAdmin: Actor = { principalId: 'oa', organisationId, roles: ['org_admin'] };
    await orgs.approve(admin, organisationId, { licenceNumber: 'L', licenceValidUntil: '2030-01-01T00:00:00.000Z' });
    await orgs.acceptCodeOfConduct(orgAdmin, organisationId, 1);
    await orgs.suspend(admin, organisationId, 'audit');
    await orgs.reinstate(admin, organisationId);
    await orgs.publishCodeOfConduct(admin, 'Code v2', 'A stricter text');
    await fanOut();
    // A rerun from the start (a lost checkpoint) tells nobody twice.
    await db.execute('DELETE FROM estia_checkpoints');
    await fanOut();
    await orgs.acceptCodeOfConduct(orgAdmin, organisationId, 2);
    expect(
      (await published(organisationId)).map((d) => [d.change, d.mayExchange, d.currentCodeOfConductVersion]),
    ).toEqual([
      ['code_of_conduct_superseded', false, 1],
      ['approved', false, 1],
      ['code_of_conduct_accepted', true, 1],
      ['suspended', false, 1],
      ['reinstated', true, 1],
      // v2 comes with the default grace period: a member that had accepted v1 goes on exchanging meanwhile.
      ['code_of_conduct_superseded', true, 2],
      ['code_of_conduct_accepted', true, 2],
    ]);
    // Each one leaves through the relay as a contract-valid CloudEvent.
    for (const stored of (await store.readStream(`registry-organisation-${organisationId}`)).filter(
      (e) => e.type === MEMBERSHIP,
    )) {
      const message = registryRelayMapper(stored);
      expect(message?.envelope.type).toBe(MEMBERSHIP);
      expect(validateEventData(MEMBERSHIP, stored.data)).toMatchObject({ valid: true });
    }
    await db.close();
  });
});
