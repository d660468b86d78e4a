import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { Projection } from '@estia/infra/projections/projection.js';
import type { BlindIndex } from '../application/blindIndex.js';
import { applyEvents } from './applyEvents.js';
import { prepareEvent, type PreparedEvent } from './referralsProjector.js';
import { READ_MODEL_INDEXES, READ_MODEL_TABLES, READ_MODEL_VERSION, ensureReferralsReadModels } from './schema.js';

/** The checkpoint name follows the tables' version: a new version rebuilds the read models from the start of the log. */
export const READ_MODELS_CHECKPOINT = `referrals.read-models.v${READ_MODEL_VERSION}`;

/**
 * The referrals read models as an infra Projection (startProjector / startService). `handle` runs in
 * the projector's transaction, so the key store MUST live on another connection than the read models
 * (its own SQLite file or PostgreSQL schema), or opening a key would wait on that very transaction.
 */
export const referralsReadModelProjection = (keyStore: KeyStore, blindIndex: BlindIndex): Projection => ({
  name: READ_MODELS_CHECKPOINT,
  batchWrites: true,
  deferredIndexes: READ_MODEL_INDEXES,
  migrate: ensureReferralsReadModels,
  async reset(tx) {
    for (const table of READ_MODEL_TABLES) await tx.execute(`DELETE FROM ${table}`);
  },
  async handle(tx, events) {
    // Keys are opened in log order, each event after the erasures before it (whose keys are then
    // gone): so the writes before an erasure go out before its key is destroyed.
    let prepared: PreparedEvent[] = [];
    for (const event of events) {
      prepared.push(await prepareEvent(keyStore, blindIndex, event));
      if (event.type !== 'ClientErased') continue;
      await applyEvents(tx, prepared);
      prepared = [];
      // Safety net for a crash between appending ClientErased and destroying the key: idempotent.
      const { clientId, erasedAt } = event.data as { clientId: string; erasedAt: string };
      await keyStore.destroyKey(clientId, erasedAt);
    }
    await applyEvents(tx, prepared);
  },
});
