/**
 * The matching service: opportunities, candidate profiles of consenting clients, explained matches both
 * ways, and the placement pipeline with follow-ups. Embedded default: SQLite files under DATA_DIR/matching.
 */
import { startService } from '@estia/infra/runtime/startService.js';
import { seedDemoMatchingWhenReady } from './demo/seedDemoMatching.js';
import { buildMatching } from './matchingService.js';

await startService({
  service: 'matching',
  defaultPort: 3003,
  build: async ({ logger, infra }) => {
    const started = Date.now();
    const { parts, esco, engine } = await buildMatching({ store: infra.store, db: infra.db, logger });
    // A first start shows a job coach work: opportunities and placements on the referrals demo's job seekers.
    if ((process.env.DEMO_DATA ?? 'false') === 'true')
      parts.afterStart = async (projector) => {
        const steps = await seedDemoMatchingWhenReady({
          store: infra.store,
          db: infra.db,
          esco,
          engine,
          waitFor: (position) => projector.waitFor(position, 30_000),
          log: (message) => logger.info(message),
        });
        if (steps > 0) logger.info({ steps }, 'demo opportunities and placements seeded');
      };
    logger.info(
      { escoVersion: esco.version, ...engine.size, ms: Date.now() - started },
      'ESCO loaded and match engine rebuilt from the read models',
    );
    return parts;
  },
});
