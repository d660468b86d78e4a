import { randomBytes } from 'node:crypto';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import type { RebuildTarget } from '../../../bench/rebuildTarget.js';
import { createBlindIndex } from '../src/application/blindIndex.js';
import { remindersProjection } from '../src/deadlines/remindersProjection.js';
import { referralsReadModelProjection } from '../src/projections/readModelProjection.js';
import { appendReferrals, referralTraffic } from './referralEvents.js';

/** Referrals: the log made by the real decider; the read models and the reminders, each with its checkpoint. */
export const referralsRebuild: RebuildTarget = {
  service: 'referrals',
  async seed(store, events, progress = () => undefined) {
    const seeded = await appendReferrals(store, referralTraffic(200), { events }, (appended) => progress(appended));
    return seeded.events;
  },
  async projections(stores) {
    // The key store on its own connection, as in the service (the projection opens keys inside its transaction).
    const keyStore = await createSqlKeyStore(await stores.openDatabase('keys'), {
      kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')),
    });
    return [referralsReadModelProjection(keyStore, createBlindIndex(randomBytes(32))), remindersProjection(keyStore)];
  },
};
