import { audienceOf, NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { loadOpenApi } from '@estia/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { defaultContext, type RegistryContext } from '../application/context.js';
import { apiClientHandlers } from '../application/apiClientHandlers.js';
import { organisationHandlers } from '../application/organisationHandlers.js';
import { peopleHandlers } from '../application/peopleHandlers.js';
import { serviceHandlers } from '../application/serviceHandlers.js';
import { createKeyRing, publicJwks, type KeyRing } from '../auth/signingKeys.js';
import { seedDemo } from '../demo/seedDemo.js';
import { catchUpRegistryReadModels } from '../projections/registryProjections.js';
import { registryRoutes, type RegistryRoutesOptions } from './registryRoutes.js';
import { randomBytes } from 'node:crypto';
import { systemClock } from '@estia/infra/clock/clock.js';
import { createSecretBox } from '../webhooks/secretBox.js';
import { webhookHandlers, type WebhookHandlers } from '../webhooks/webhookHandlers.js';
import { ensureWebhookTables } from '../webhooks/webhookTables.js';
import { ensureNotificationTables } from '../notifications/notificationTables.js';

export const TEST_ISSUER = 'https://registry.test';

export interface RegistryTestApp {
  app: FastifyInstance;
  store: EventStore;
  db: SqlDatabase;
  ctx: RegistryContext;
  ring: KeyRing;
  seeded: Awaited<ReturnType<typeof seedDemo>>;
  webhooks: WebhookHandlers;
  /** Every route as registered: the authorisation table is checked against this list. */
  routes: { method: string; url: string; public: boolean }[];
  close(): Promise<void>;
}

/**
 * The registry's real routes over a real SQLite store seeded with the demo network, the way main.ts
 * mounts them (without the process around it). Read models are caught up explicitly by the tests.
 */
export async function startRegistryTestApp(
  options: Pick<RegistryRoutesOptions, 'signIn'> = {},
): Promise<RegistryTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'estia-registry-http-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
  const ctx = defaultContext(store);
  const seeded = await seedDemo(ctx, db, { credentials: 'sample' });
  await catchUpRegistryReadModels(store, db);
  await ensureWebhookTables(db);
  await ensureNotificationTables(db);
  const ring = await createKeyRing(new Date().toISOString());
  const app = await createHttpApp({
    service: 'registry-test',
    logger: createLogger({ service: 'registry-test', level: 'silent' }),
    auth: {
      verifier: createTokenVerifier({
        jwks: publicJwks(ring) as never,
        issuer: TEST_ISSUER,
        audience: audienceOf('registry'),
      }),
    },
    store,
    openapi: loadOpenApi('registry') as unknown as Record<string, unknown>,
    rateLimit: false,
  });
  const routes: RegistryTestApp['routes'] = [];
  const webhooks = webhookHandlers(ctx, {
    secrets: createSecretBox(randomBytes(32)),
    policy: { allowHttp: true, allowLoopback: true, allowPrivate: false },
  });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, public: route.config?.public === true });
  });
  await app.register(registryRoutes, {
    db,
    ctx,
    publicBaseUrl: TEST_ISSUER,
    tokens: { issuer: TEST_ISSUER, audiences: NETWORK_AUDIENCES, keyRing: () => ring },
    organisations: organisationHandlers(ctx),
    services: serviceHandlers(ctx),
    people: peopleHandlers(ctx, db),
    clients: apiClientHandlers(ctx),
    ...options,
    webhooks: {
      webhooks,
      clock: systemClock,
    },
  });
  await app.ready();
  return {
    app,
    store,
    db,
    ctx,
    ring,
    seeded,
    webhooks,
    routes,
    async close() {
      await app.close();
      await db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
