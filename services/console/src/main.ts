/**
 * The web console: the page people use and its back end (sessions, the services' APIs with the
 * person's token). Port 3000 by default; `pnpm start` runs it beside the three services.
 */
import { join, resolve } from 'node:path';
import { verifierFromConfig } from '@estia/infra/auth/tokenVerifier.js';
import { loadConfigOrExit } from '@estia/infra/config/loadConfig.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { runService } from '@estia/infra/http/runService.js';
import { DIST_DIR } from './build/spaBuild.js';
import { consoleConfigSchema } from './server/config.js';
import { buildConsoleApp } from './server/consoleApp.js';
import { openSessionStore } from './server/sessions/sessionStore.js';
import { existsSync } from 'node:fs';

const config = loadConfigOrExit(consoleConfigSchema);
const logger = createLogger({ service: 'console', level: config.LOG_LEVEL });
if (!existsSync(join(DIST_DIR, 'index.html'))) {
  process.stderr.write(
    `config error: the console page is not built (${DIST_DIR}): run pnpm --filter @estia/console build\n`,
  );
  process.exit(2);
}
const idleMs = config.CONSOLE_IDLE_MINUTES * 60_000;
const sessions = await openSessionStore({ path: resolve(config.DATA_DIR, 'console', 'sessions.sqlite'), idleMs });
const app = await buildConsoleApp({
  sessions,
  verifier: verifierFromConfig('console', {
    ...config,
    JWKS_URL: config.JWKS_URL ?? new URL('/.well-known/jwks.json', config.REGISTRY_URL).toString(),
  }),
  upstream: {
    registry: config.REGISTRY_URL,
    referrals: config.REFERRALS_URL,
    matching: config.MATCHING_URL,
    insights: config.INSIGHTS_URL,
  },
  idleMs,
  publicOrigin: config.PUBLIC_ORIGIN,
  trustProxy: config.TRUST_PROXY,
  distDir: DIST_DIR,
  logger,
  demoWebhookSecret: config.DEMO_WEBHOOK_SECRET,
});
await runService({
  app,
  port: config.PORT,
  host: config.HOST,
  closers: [{ name: 'sessions', close: () => sessions.close() }],
});
