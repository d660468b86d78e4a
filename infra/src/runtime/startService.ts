import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadOpenApi } from '@estia/contracts';
import { baseConfigSchema } from '../config/baseConfig.js';
import type { ConfigOf, ConfigSchema } from '../config/configSchema.js';
import { loadConfigOrExit } from '../config/loadConfig.js';
import { createHttpApp } from '../http/createHttpApp.js';
import { createLogger } from '../http/logger.js';
import { runService, type Closer, type RunningService } from '../http/runService.js';
import { verifierFromConfig, type TokenVerifier } from '../auth/tokenVerifier.js';
import { startProjector, type Projector } from '../projections/projector.js';
import type { Projection } from '../projections/projection.js';
import { startRelay, type RelayMapper } from '../processors/relay.js';
import { startConsumer, type StartConsumerOptions } from '../processors/consumer.js';
import { topicFor } from '../bus/types.js';
import { openInfrastructure, type Infrastructure } from './openInfrastructure.js';
import type { ServiceName } from './serviceName.js';

export interface ServiceContext<Config> {
  config: Config;
  logger: Logger;
  infra: Infrastructure;
}

/** What a service contributes; the runtime wires it to the adapters chosen by configuration. */
export interface ServiceParts {
  projections: readonly Projection[];
  /** Maps a stored event to its public integration message, or null for private events. */
  publicEvents: RelayMapper;
  consumers?: readonly Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'>[];
  /** Registers the service's routes; gets the projector for read-your-writes. */
  routes: (app: FastifyInstance, projector: Projector) => Promise<void>;
  /** Overrides token verification (the registry verifies with its own keys). */
  verifier?: TokenVerifier;
  /** Runs once projections, relay and consumers are live, before the HTTP server listens (demo data, schedulers). */
  afterStart?: (projector: Projector) => Promise<void>;
  closers?: readonly Closer[];
}

export interface ServiceDefinition<S extends ConfigSchema> {
  service: ServiceName;
  defaultPort: number;
  /** Service-specific variables, added to the base ones. */
  config?: S;
  build: (context: ServiceContext<ConfigOf<typeof baseConfigSchema> & ConfigOf<S>>) => Promise<ServiceParts>;
}

/**
 * One start-up sequence for every service: config → adapters → projections → HTTP → relay → consumers.
 * Shutdown runs in reverse after HTTP drained, so no handler ever meets a closed store.
 */
export async function startService<S extends ConfigSchema>(
  definition: ServiceDefinition<S>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningService> {
  const schema = { ...baseConfigSchema, ...(definition.config ?? {}) } as typeof baseConfigSchema & S;
  const config = loadConfigOrExit(schema, { PORT: String(definition.defaultPort), ...env }) as ConfigOf<
    typeof baseConfigSchema
  > &
    ConfigOf<S>;
  const logger = createLogger({ service: definition.service, level: config.LOG_LEVEL });
  // pino's (object, message) signature is the bus logger's.
  const busLogger = logger;
  const infra = await openInfrastructure(definition.service, config, busLogger);
  const parts = await definition.build({ config, logger, infra });

  const projector = await startProjector({
    store: infra.store,
    db: infra.db,
    projections: parts.projections,
    onError: (name, error) => logger.error({ err: error, projection: name }, 'projection stopped'),
  });

  const verifier =
    parts.verifier ??
    (config.JWKS_URL ? verifierFromConfig(definition.service, { ...config, JWKS_URL: config.JWKS_URL }) : undefined);
  if (!verifier) {
    console.error('config error: JWKS_URL is required (the registry publishes it at /.well-known/jwks.json)');
    process.exit(2);
  }
  const app = await createHttpApp({
    service: definition.service,
    logger,
    auth: { verifier },
    store: infra.store,
    openapi: loadOpenApi(definition.service) as unknown as Record<string, unknown>,
    readiness: {
      store: () => infra.store.ping(),
      bus: () => infra.bus.ping(),
      db: async () => void (await infra.db.query('SELECT 1')),
    },
  });
  await parts.routes(app, projector);

  const relay = await startRelay({
    store: infra.store,
    db: infra.db,
    bus: infra.bus,
    name: `${definition.service}.relay`,
    map: parts.publicEvents,
    logger: busLogger,
  });
  const consumers = [];
  for (const c of parts.consumers ?? [])
    consumers.push(await startConsumer({ ...c, bus: infra.bus, db: infra.db, logger: busLogger }));

  // Before listening: /ready (and so `pnpm start`'s banner) means bootstrapping and demo data are done.
  await parts.afterStart?.(projector);
  const running = await runService({
    app,
    port: config.PORT,
    host: config.HOST,
    closers: [
      ...infra.closers,
      // The service's own resources (e.g. a key store) outlive everything that may call them.
      ...(parts.closers ?? []),
      { name: 'projections', close: () => projector.stop() },
      { name: 'relay', close: () => relay.stop() },
      ...consumers.map((c) => ({ name: `consumer ${c.group}`, close: () => c.stop() })),
    ],
  });
  logger.info(
    { url: running.url, topic: topicFor(definition.service) },
    `${definition.service} listening: ${infra.describe()}`,
  );
  return running;
}
