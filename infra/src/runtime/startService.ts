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
import type { Projector } from '../projections/projector.js';
import type { Projection } from '../projections/projection.js';
import type { RelayMapper } from '../processors/relay.js';
import type { StartConsumerOptions } from '../processors/consumer.js';
import { topicFor } from '../bus/types.js';
import { MetricsRegistry } from '../http/metrics.js';
import { createSqlLeaseStore } from '../processors/leases.js';
import { createProcessorRuntime, type ProcessorDefinition, type ProcessorRuntime } from '../processors/runtime.js';
import { projectionProcessors } from '../processors/projectionProcessors.js';
import { relayProcessor } from '../processors/relayProcessor.js';
import { relayKillHook } from '../processors/relayFaultHook.js';
import { consumerProcessor } from '../processors/consumerProcessor.js';
import { retentionProcessor } from '../processors/retention.js';
import { openInfrastructure, type Infrastructure } from './openInfrastructure.js';
import { retryWhileConnectionLost } from '../sql/retryConnectionLost.js';
import type { ServiceName } from './serviceName.js';

/** About a minute of backoff: longer than a database failover, shorter than an operator's patience. */
const BOOTSTRAP_ATTEMPTS = 15;

export interface ServiceContext<Config> {
  config: Config;
  logger: Logger;
  infra: Infrastructure;
  /** The service's processor runtime (for services that need a processor's state, e.g. in a test). */
  processors: ProcessorRuntime;
}

/** What a service contributes; the runtime wires it to the adapters chosen by configuration. */
export interface ServiceParts {
  projections: readonly Projection[];
  /** Maps a stored event to its public integration message, or null for private events. */
  publicEvents: RelayMapper;
  consumers?: readonly Omit<StartConsumerOptions, 'bus' | 'db' | 'logger' | 'onProgress' | 'onParked'>[];
  /** The service's own background jobs (schedules, fan-outs), supervised like everything else. */
  processors?: readonly ProcessorDefinition[];
  /** Registers the service's routes; gets the projector for read-your-writes. */
  routes: (app: FastifyInstance, projector: Projector) => Promise<void>;
  /** Overrides token verification (the registry verifies with its own keys). */
  verifier?: TokenVerifier;
  /** Runs once the processors are started, before the HTTP server listens (demo data, bootstrapping). */
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
 * One start-up sequence for every service: config → adapters → processors (projections, relay, consumers,
 * the service's schedules, retention; all under one supervised runtime) → HTTP. Shutdown runs in
 * reverse after HTTP drained: the processors drain first, so no handler ever meets a closed store.
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
  const metrics = new MetricsRegistry();
  const processors = createProcessorRuntime({
    leases: await createSqlLeaseStore(infra.db),
    leaseTtlMs: config.PROCESSOR_LEASE_TTL_MS,
    maxLagEvents: config.PROCESSOR_MAX_LAG_EVENTS,
    maxLagSeconds: config.PROCESSOR_MAX_LAG_SECONDS,
    deadAfterFailures: config.PROCESSOR_DEAD_AFTER_FAILURES,
    logger: busLogger,
    metrics,
  });
  const parts = await definition.build({ config, logger, infra, processors });
  const maxAttempts = config.PROCESSOR_MAX_ATTEMPTS;

  const projections = await projectionProcessors({
    store: infra.store,
    db: infra.db,
    projections: parts.projections,
    runtime: processors,
    maxAttempts,
  });
  for (const p of projections.definitions) processors.add(p);
  const relayHook = relayKillHook(env);
  processors.add(
    relayProcessor({
      store: infra.store,
      db: infra.db,
      bus: infra.bus,
      name: `${definition.service}.relay`,
      map: parts.publicEvents,
      maxAttempts,
      // Armed only by the fault-injection suite's variable; otherwise no hook at all.
      ...(relayHook ? { afterPublish: relayHook } : {}),
    }),
  );
  for (const c of parts.consumers ?? []) processors.add(consumerProcessor(infra.bus, infra.db, { maxAttempts, ...c }));
  for (const p of parts.processors ?? []) processors.add(p);
  const hours = 3_600_000;
  const retention = (): ProcessorDefinition => {
    try {
      return retentionProcessor({
        name: `${definition.service}.retention`,
        store: infra.store,
        db: infra.db,
        bus: infra.bus,
        topic: definition.service === 'insights' ? undefined : topicFor(definition.service),
        everyMs: config.RETENTION_INTERVAL_MS,
        windows: {
          inboxMs: config.RETENTION_INBOX_HOURS * hours,
          busMs: config.RETENTION_BUS_HOURS * hours,
          idempotencyMs: config.RETENTION_IDEMPOTENCY_HOURS * hours,
          parkedMs: config.RETENTION_PARKED_HOURS * hours,
        },
      });
    } catch (error) {
      console.error(`config error: ${(error as Error).message}`);
      return process.exit(2);
    }
  };
  processors.add(retention());
  const projector = projections.projector;

  const verifier =
    parts.verifier ??
    (config.JWKS_URL ? verifierFromConfig(definition.service, { ...config, JWKS_URL: config.JWKS_URL }) : undefined);
  if (!verifier) {
    console.error('config error: JWKS_URL is required (the registry publishes it at /.well-known/jwks.json)');
    process.exit(2);
  }
  let bootstrapped = false;
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
    processors: () => processors.readiness(),
    // Not ready until bootstrapping and demo data are done (the port is bound before, so whoever
    // started the process learns it at once and polls /ready).
    isStarting: () => !bootstrapped,
    metrics,
    security: { corsOrigins: config.CORS_ALLOWED_ORIGINS ?? [], tls: config.TLS_ENABLED },
    rateLimit: { max: config.RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' },
  });
  await parts.routes(app, projector);

  processors.start();
  const running = await runService({
    app,
    port: config.PORT,
    host: config.HOST,
    closers: [
      ...infra.closers,
      // The service's own resources (e.g. a key store) outlive everything that may call them.
      ...(parts.closers ?? []),
      { name: 'read-model waits', close: () => projector.stop() },
      // Closed first: every processor finishes its unit, checkpoints and lets go of its lease.
      { name: 'processors', close: () => processors.stop() },
    ],
  });
  // /ready (and so `pnpm start`'s banner) means bootstrapping and demo data are done. Every start runs
  // it and it resumes where it stopped, so a database connection lost meanwhile is retried, not a crash.
  try {
    await retryWhileConnectionLost(async () => parts.afterStart?.(projector), {
      attempts: BOOTSTRAP_ATTEMPTS,
      onRetry: (error, attempt) =>
        logger.warn({ err: error, attempt }, 'bootstrapping interrupted by a lost database connection: retrying'),
    });
  } catch (error) {
    logger.error({ err: error }, 'bootstrapping failed');
    await running.shutdown('bootstrapping failed', 1);
    throw error;
  }
  bootstrapped = true;
  logger.info(
    // Insights publishes nothing: it only consumes.
    { url: running.url, ...(definition.service === 'insights' ? {} : { topic: topicFor(definition.service) }) },
    `${definition.service} listening: ${infra.describe()}`,
  );
  return running;
}
