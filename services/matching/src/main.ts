/**
 * The matching service: opportunities, candidate profiles of consenting clients, explained matches both
 * ways, and the placement pipeline with follow-ups. Embedded default: SQLite files under DATA_DIR/matching.
 */
import { startService } from '@estia/infra/runtime/startService.js';
import { buildMatching } from './matchingService.js';

await startService({
  service: 'matching',
  defaultPort: 3003,
  build: async ({ logger, infra }) => {
    const started = Date.now();
    const { parts, esco, engine } = await buildMatching({ store: infra.store, db: infra.db, logger });
    logger.info(
      { escoVersion: esco.version, ...engine.size, ms: Date.now() - started },
      'ESCO loaded and match engine rebuilt from the read models',
    );
    return parts;
  },
});
