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
import { loadOrCreateKeyRing } from './auth/keyRingFile.js';
import { publicJwks } from './auth/signingKeys.js';
import { hasOrganisations, seedDemo } from './demo/seedDemo.js';
import { registryRoutes } from './http/registryRoutes.js';
import { registryProjections } from './projections/registryProjections.js';

await startService({
  service: 'registry',
  defaultPort: 3001,
  config: {
    PG_SCHEMA: str().withDefault('registry'),
    PUBLIC_BASE_URL: str().optionalField(),
    /** The audiences the registry issues tokens for (each service accepts only its own). */
    TOKEN_AUDIENCES: list().withDefault(NETWORK_AUDIENCES),
    SIGNING_KEY_MAX_AGE_DAYS: int({ min: 1, max: 365 }).withDefault(30),
  },
  build: async ({ config, logger, infra: { store, db } }) => {
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

    return {
      projections: registryProjections,
      // The log is the outbox: public events go to the bus from the relay's checkpoint, never from a request.
      publicEvents: registryRelayMapper,
      verifier: createTokenVerifier({
        jwks: publicJwks(ring) as never,
        issuer,
        audience: config.TOKEN_AUDIENCE ?? audienceOf('registry'),
      }),
      routes: async (app) => {
        await app.register(registryRoutes, {
          db,
          publicBaseUrl: baseUrl,
          tokens: { issuer, audiences: config.TOKEN_AUDIENCES, keyRing: () => ring },
          organisations: organisationHandlers(ctx),
          services: serviceHandlers(ctx),
          people,
          clients,
        });
      },
      afterStart: async (projector) => {
        if (config.DEMO_DATA && !(await hasOrganisations(store))) {
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
