import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { defaultContext } from '../application/context.js';
import { organisationStreamId } from '../domain/organisation/organisation.js';
import { demoApplications } from './demoApplications.js';
import { demoNetwork } from './demoData.js';
import { demoState, seedDemo } from './seedDemo.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the demo network seed', () => {
  it('finishes on the next start after an interruption, instead of refusing what exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'estia-registry-demo-'));
    dirs.push(dir);
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    expect(await demoState(store)).toBe('empty');

    // The power goes after some hundred events: part of the organisations exist.
    let appends = 0;
    const failing: EventStore = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name !== 'append' && name !== 'appendMany') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          if (++appends > 60) throw new Error('power cut');
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    await expect(seedDemo(defaultContext(failing), db, { credentials: 'sample' })).rejects.toThrow('power cut');
    expect(await demoState(store)).toBe('partial');

    const seeded = await seedDemo(defaultContext(store), db, { credentials: 'sample' });
    const network = demoNetwork();
    expect(seeded.organisations).toBe(network.organisations.length);
    expect(seeded.services).toBe(network.organisations.reduce((n, o) => n + o.services.length, 0));
    expect(await demoState(store)).toBe('complete');
    // Every organisation was applied for exactly once; the pending applications too, and stay pending.
    const applied = (await store.readAll()).filter((e) => e.type === 'OrganisationApplied');
    expect(applied).toHaveLength(network.organisations.length + demoApplications().length);
    for (const { organisationId } of demoApplications())
      expect((await store.readStream(organisationStreamId(organisationId))).map((e) => e.type)).not.toContain(
        'OrganisationApproved',
      );
    await db.close();
  });
});
