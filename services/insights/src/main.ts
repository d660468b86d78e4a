/**
 * The insights service: aggregate figures of the network for its administrators and funders, folded from
 * the public events of registry, referrals and matching. No personal data: client ids become keyed
 * pseudonyms before they are stored. Embedded default: SQLite under DATA_DIR/insights.
 */
import { join } from 'node:path';
import { str } from '@estia/infra/config/configSchema.js';
import { startService } from '@estia/infra/runtime/startService.js';
import { loadPseudonymKey } from './pseudonymKey.js';
import { buildInsights } from './insightsService.js';

await startService({
  service: 'insights',
  defaultPort: 3004,
  config: {
    PG_SCHEMA: str().withDefault('insights'),
    INSIGHTS_PSEUDONYM_KEY: str().optionalField(),
  },
  async build({ config, infra }) {
    const pseudonymKey = loadPseudonymKey(
      config.INSIGHTS_PSEUDONYM_KEY,
      join(config.DATA_DIR, 'insights', 'pseudonym.key'),
    );
    const { parts } = await buildInsights({ db: infra.db, pseudonymKey });
    return parts;
  },
});
