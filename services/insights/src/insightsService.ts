import type { ServiceParts } from '@estia/infra/runtime/startService.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { createPseudonymiser } from './domain/pseudonym.js';
import { insightsRoutes } from './http/insightsRoutes.js';
import { insightsConsumers } from './integration/consumers.js';
import { FactCache, migrateInsightsTables } from './readModels/factStore.js';

/**
 * The insights service's parts: three consumers (one per publishing service) folding public events into
 * facts, and the figures API over them. It keeps no event log of its own and publishes nothing.
 */
export async function buildInsights(deps: { db: SqlDatabase; pseudonymKey: Buffer }) {
  const generation = await migrateInsightsTables(deps.db);
  const cache = new FactCache(deps.db);
  await cache.sync();
  const parts: ServiceParts = {
    projections: [],
    publicEvents: () => null,
    consumers: insightsConsumers(createPseudonymiser(deps.pseudonymKey), generation),
    routes: async (app) => {
      await app.register(insightsRoutes, { prefix: '/v1/insights', cache });
    },
  };
  return { parts, cache, generation };
}
