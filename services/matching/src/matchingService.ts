import { systemClock, type Clock } from '@estia/infra/clock/clock.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { ServiceParts } from '@estia/infra/runtime/startService.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { MatchingLogger } from './integration/logger.js';
import { matchingCommands } from './application/matchingCommands.js';
import { matchingQueries } from './application/queries.js';
import { EscoAutocomplete } from './esco/autocomplete.js';
import type { EscoCatalogue } from './esco/catalogue.js';
import { sharedEsco } from './esco/loadEsco.js';
import { createPseudonymiser } from './http/access.js';
import { candidateRoutes } from './http/candidateRoutes.js';
import { API_PREFIX } from './http/contractSchemas.js';
import { escoRoutes } from './http/escoRoutes.js';
import { opportunityRoutes } from './http/opportunityRoutes.js';
import { placementRoutes } from './http/placementRoutes.js';
import type { RouteContext } from './http/routeContext.js';
import { referralsConsumer, registryConsumer } from './integration/consumers.js';
import { followUpsDueProcessor } from './followUps/followUpScheduler.js';
import { matchingPublicEvents } from './integration/publicEvents.js';
import { MatchEngine } from './matching/matchEngine.js';
import { tuningFromEnv } from './matching/weights.js';
import { loadEngine } from './readModels/engineSync.js';
import { matchingReadModels } from './readModels/readModelProjection.js';
import { migrateMatchingTables } from './readModels/tables.js';

export interface MatchingInfrastructure {
  store: EventStore;
  db: SqlDatabase;
  logger: MatchingLogger;
  /** Default: the committed ESCO 1.1.1 dataset, loaded once per process. */
  esco?: EscoCatalogue;
  clock?: Clock;
}

let sharedAutocomplete: { esco: EscoCatalogue; index: EscoAutocomplete } | undefined;
const autocompleteFor = (esco: EscoCatalogue): EscoAutocomplete => {
  if (sharedAutocomplete?.esco !== esco) sharedAutocomplete = { esco, index: new EscoAutocomplete(esco) };
  return sharedAutocomplete.index;
};

/**
 * The matching service's parts for startService (and for tests, which wire them to temp SQLite files).
 * ESCO is loaded before anything else: no request can be validated without it. The match engine is rebuilt
 * from the read models, which stand at the projection's checkpoint; the projection then keeps it current.
 */
export async function buildMatching(infra: MatchingInfrastructure) {
  const { store, db, logger } = infra;
  const esco = infra.esco ?? sharedEsco();
  const clock = infra.clock ?? systemClock;
  // MATCH_SCORE_FLOOR (0..1) sets how weak a match may be and still be listed.
  const engine = new MatchEngine(esco, { tuning: tuningFromEnv(process.env) });
  await migrateMatchingTables(db);
  await loadEngine(db, engine);
  const commands = matchingCommands({ store, db, esco, engine, clock });
  const queries = matchingQueries(db);
  const pseudonym = await createPseudonymiser(db);
  const autocomplete = autocompleteFor(esco);

  const parts: ServiceParts = {
    projections: [matchingReadModels(engine)],
    publicEvents: matchingPublicEvents,
    consumers: [registryConsumer(), referralsConsumer({ commands, store, engine, esco, logger })],
    // Supervised by the processor runtime: one replica announces the follow-ups that fell due.
    processors: [followUpsDueProcessor({ store, db, clock })],
    routes: async (app, projector) => {
      const ctx: RouteContext = { commands, queries, engine, esco, autocomplete, projector, pseudonym, clock };
      for (const plugin of [escoRoutes, opportunityRoutes, candidateRoutes, placementRoutes])
        await app.register(plugin, { ctx, prefix: API_PREFIX });
    },
  };
  return { parts, engine, commands, queries, esco };
}
