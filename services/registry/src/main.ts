/**
 * The registry service: organisations, services, people, API clients; the public HSDS directory at
 * /hsds; the token issuer (JWKS, client credentials, sign-in). Composed by infra's startService like
 * every other service; the only differences are that it verifies tokens with its own keys and that it
 * bootstraps the network (code of conduct v1, and the demo network when DEMO_DATA=true).
 */
import { join } from 'node:path';
import { int, list, str } from '@estia/infra/config/configSchema.js';
import { writePrivateFile } from '@estia/infra/sql/privateFiles.js';
import { audienceOf, createTokenVerifier, NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { startService } from '@estia/infra/runtime/startService.js';
import { searchServices } from './projections/directoryQueries.js';
import { registryRelayMapper } from './application/relayMapper.js';
import { defaultContext } from './application/context.js';
import { apiClientHandlers } from './application/apiClientHandlers.js';
import { organisationHandlers } from './application/organisationHandlers.js';
import { peopleHandlers } from './application/peopleHandlers.js';
import { serviceHandlers } from './application/serviceHandlers.js';
import { ensureCodeOfConduct } from './application/networkBootstrap.js';
import { codeOfConductFanOut } from './application/codeOfConductFanOut.js';
import { projectionProcessors } from '@estia/infra/processors/projectionProcessors.js';
import { loadOrCreateKeyRing } from './auth/keyRingFile.js';
import { publicJwks } from './auth/signingKeys.js';
import { demoState, seedDemo } from './demo/seedDemo.js';
import { demoNetwork } from './demo/demoData.js';
import { registryRoutes } from './http/registryRoutes.js';
import { registryProjections } from './projections/registryProjections.js';
import { systemClock } from '@estia/infra/clock/clock.js';
import { createSecretBox, loadSecretBoxKey } from './webhooks/secretBox.js';
import { webhookSubscriptionsProjection } from './webhooks/subscriptionProjection.js';
import { webhookSubscriptionStreamId } from './domain/webhook/webhookSubscription.js';
import { targetPolicyOf, webhookConfig, webhookModule } from './webhooks/webhookModule.js';
import { notificationConfig, notificationsModule } from './notifications/notificationsModule.js';
import { ensureNotificationTables } from './notifications/notificationTables.js';

await startService({
  service: 'registry',
  defaultPort: 3001,
  config: {
    PG_SCHEMA: str().withDefault('registry'),
    PUBLIC_BASE_URL: str().optionalField(),
    /** The audiences the registry issues tokens for (each service accepts only its own). */
    TOKEN_AUDIENCES: list().withDefault(NETWORK_AUDIENCES),
    SIGNING_KEY_MAX_AGE_DAYS: int({ min: 1, max: 365 }).withDefault(30),
    ...webhookConfig,
    ...notificationConfig,
    /** Demo only (`pnpm start` sets them): the first organisation's subscription to the console's receiver. */
    DEMO_WEBHOOK_URL: str().optionalField(),
    DEMO_WEBHOOK_SECRET: str().optionalField(),
  },
  build: async ({ config, logger, infra: { store, db }, processors }) => {
    const baseUrl = config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
    const issuer = config.TOKEN_ISSUER ?? baseUrl;
    const { ring, rotated } = await loadOrCreateKeyRing(join(config.DATA_DIR, 'registry', 'signing-keys.json'), {
      now: new Date(),
      maxAgeDays: config.SIGNING_KEY_MAX_AGE_DAYS,
    });
    if (rotated) logger.info({ kid: ring.current.kid }, 'signing key rotated');
    const ctx = defaultContext(store);
    const people = peopleHandlers(ctx, db);
    const clients = apiClientHandlers(ctx);
    const secretsKey = loadSecretBoxKey(
      config.WEBHOOK_SECRETS_KEY,
      config.PG_URL ? null : join(config.DATA_DIR, 'registry', 'webhook-secrets.key'),
    );
    await ensureNotificationTables(db);
    const notifications = notificationsModule({
      db,
      clock: systemClock,
      dataDir: config.DATA_DIR,
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      consoleUrl: config.CONSOLE_URL,
      onError: (err) => logger.error({ err }, 'e-mail notification failed'),
    });
    const webhooks = webhookModule({
      ctx,
      db,
      clock: systemClock,
      secrets: createSecretBox(secretsKey),
      policy: targetPolicyOf(config),
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      concurrency: config.WEBHOOK_CONCURRENCY,
      tellAdmins: (subscription) => notifications.webhookDisabled(subscription),
      onError: (err) => logger.error({ err }, 'webhook delivery failed'),
    });
    // Fan-outs are processors driven by the log, never work inside a request.
    const fanOut = await projectionProcessors({
      store,
      db,
      projections: [codeOfConductFanOut(ctx)],
      runtime: processors,
    });
    /** The demo's first organisation subscribes to the console's built-in receiver (once). */
    const demoSubscription = async (projector: { waitFor(position: number, timeoutMs?: number): Promise<void> }) => {
      const subscriptionId = '00000000-0000-4000-8000-00000000d3b0';
      if ((await store.streamVersion(webhookSubscriptionStreamId(subscriptionId))) !== null) return;
      const first = demoNetwork().organisations[0]!.organisationId;
      const { result } = await webhooks.handlers.create(
        { principalId: 'demo-seed', organisationId: first, roles: ['org_admin'] },
        { url: config.DEMO_WEBHOOK_URL!, events: ['*'], description: 'Built-in receiver page of the console (demo)' },
        { secret: config.DEMO_WEBHOOK_SECRET!, subscriptionId },
      );
      if (result.lastPosition !== undefined) await projector.waitFor(result.lastPosition, 30_000);
      logger.info({ organisationId: first, url: config.DEMO_WEBHOOK_URL }, 'demo webhook subscription created');
    };

    return {
      projections: [...registryProjections, webhookSubscriptionsProjection],
      // Webhook fan-out and people's notices: consumers of every service's public events.
      consumers: [webhooks.consumer, notifications.consumer],
      processors: [...fanOut.definitions, webhooks.processor, notifications.processor],
      // The log is the outbox: public events go to the bus from the relay's checkpoint, never from a request.
      publicEvents: registryRelayMapper,
      verifier: createTokenVerifier({
        jwks: publicJwks(ring) as never,
        issuer,
        audience: config.TOKEN_AUDIENCE ?? audienceOf('registry'),
      }),
      routes: async (app, projector) => {
        await app.register(registryRoutes, {
          db,
          ctx,
          publicBaseUrl: baseUrl,
          tokens: { issuer, audiences: config.TOKEN_AUDIENCES, keyRing: () => ring },
          organisations: organisationHandlers(ctx),
          services: serviceHandlers(ctx),
          people,
          clients,
          webhooks: { webhooks: webhooks.handlers, clock: systemClock, projector, wake: webhooks.wake },
        });
      },
      afterStart: async (projector) => {
        // A first start seeds the demo; a start after an interrupted seed finishes it.
        const progress = config.DEMO_DATA ? await demoState(store) : 'foreign';
        if (progress === 'empty' || progress === 'partial') {
          // First, so that the receiver page sees the demo network's own events arrive.
          if (config.DEMO_WEBHOOK_URL && config.DEMO_WEBHOOK_SECRET) await demoSubscription(projector);
          const demo = await seedDemo(ctx, db, {
            // The people read model is the projector's; the seeder waits for it instead of writing it.
            waitForPeople: async (position) => projector.waitFor(position, 30_000),
          });
          logger.info({ organisations: demo.organisations, services: demo.services }, 'demo network seeded');
          // Fictional accounts, printed on purpose: this is the demo's front door. A few on screen, all in a file.
          const lines = demo.credentials.map((c) => `${c.email} / ${c.password} (${c.roles.join(',')})`);
          const file = join(config.DATA_DIR, 'registry', 'demo-credentials.txt');
          writePrivateFile(
            file,
            [...lines, `API client: ${demo.apiClient.clientId} / ${demo.apiClient.clientSecret}`, ''].join('\n'),
          );
          // One login per role on screen (the first person holding it), every login in the owner-only file.
          const firstOfEachRole = demo.credentials.filter(
            (c, i) => demo.credentials.findIndex((d) => d.roles.join(',') === c.roles.join(',')) === i,
          );
          const shown = firstOfEachRole.map((c) => `${c.email} / ${c.password} (${c.roles.join(',')})`);
          for (const line of shown) console.log(`demo login: ${line}`);
          console.log(`demo API client: ${demo.apiClient.clientId} / ${demo.apiClient.clientSecret}`);
          console.log(`all ${lines.length} demo logins (every role of ${demo.organisations} organisations): ${file}`);
        }
        const version = await ensureCodeOfConduct(ctx);
        logger.info({ codeOfConductVersion: version }, 'network bootstrapped');
        // Load the in-memory directory index now, so the first search does not pay for it.
        await searchServices(db, {}, { page: 1, perPage: 1 });
      },
    };
  },
});
