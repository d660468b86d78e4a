import { bool, int, list, oneOf, port, str, url, type ConfigOf } from './configSchema.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Variables every service reads. A service spreads this into its own schema and adds its own:
 *   const schema = { ...baseConfigSchema, PORT: port().withDefault(4002), PG_SCHEMA: str().withDefault('referrals') };
 * Modes combine freely (e.g. EVENT_STORE=postgres with BUS=embedded).
 */
export const baseConfigSchema = {
  PORT: port().withDefault(3000),
  HOST: str().withDefault('127.0.0.1'),
  DATA_DIR: str().withDefault('data'),
  EVENT_STORE: oneOf(['sqlite', 'postgres', 'kurrentdb'] as const).withDefault('sqlite'),
  PG_URL: url({ protocols: ['postgres', 'postgresql'] }).requiredWhen('EVENT_STORE', 'postgres'),
  KURRENTDB_URL: url({
    protocols: ['kurrentdb', 'esdb', 'kdb', 'esdb+discover', 'kurrentdb+discover', 'kdb+discover'],
  }).requiredWhen('EVENT_STORE', 'kurrentdb'),
  BUS: oneOf(['embedded', 'kafka'] as const).withDefault('embedded'),
  KAFKA_BROKERS: list().requiredWhen('BUS', 'kafka'),
  JWKS_URL: url({ protocols: ['http', 'https'] }).optionalField(),
  /** The registry's `iss`; default: the origin of JWKS_URL. */
  TOKEN_ISSUER: str().optionalField(),
  /** This service's own `aud`; default: estia:<service>. */
  TOKEN_AUDIENCE: str().optionalField(),
  /** Browser origins allowed to call this service (CORS), comma-separated; unset: no CORS headers at all. */
  CORS_ALLOWED_ORIGINS: list().optionalField(),
  /** The service is reached over TLS (directly or behind a terminating proxy): answers carry HSTS. */
  TLS_ENABLED: bool().withDefault(false),
  /**
   * Requests per minute from one client address, for every operation without a stricter limit of its own
   * (sign-in keeps its own). Raise it when many partners reach the service through one gateway address.
   */
  RATE_LIMIT_PER_MINUTE: int({ min: 1 }).withDefault(600),
  LOG_LEVEL: oneOf(LOG_LEVELS).withDefault('info'),
  DEMO_DATA: bool().withDefault(false),
  // The processor runtime (projections, relay, consumers, schedules, retention): see docs/operations.md.
  /** A standby replica takes a processor over at most this long after its holder stopped. */
  PROCESSOR_LEASE_TTL_MS: int({ min: 300, max: 600_000 }).withDefault(10_000),
  /** /ready fails when a processor has more waiting events than this… */
  PROCESSOR_MAX_LAG_EVENTS: int({ min: 1, max: 10_000 }).withDefault(5_000),
  /** …or when its oldest waiting event is older than this. */
  PROCESSOR_MAX_LAG_SECONDS: int({ min: 1 }).withDefault(300),
  /** Attempts of one event or message before it is parked and its processor goes on. */
  PROCESSOR_MAX_ATTEMPTS: int({ min: 1, max: 100 }).withDefault(5),
  /** Failures in a row after which a processor is reported dead (and /ready fails). */
  PROCESSOR_DEAD_AFTER_FAILURES: int({ min: 1, max: 1_000 }).withDefault(10),
  // Retention windows (the retention processor runs every RETENTION_INTERVAL_MS).
  RETENTION_INTERVAL_MS: int({ min: 1_000 }).withDefault(3_600_000),
  /** Embedded bus messages older than this are deleted (Kafka: the topics' retention.ms, same default). */
  RETENTION_BUS_HOURS: int({ min: 1 }).withDefault(7 * 24),
  /** Inbox entries (consumers' de-duplication by event id); must be at least the bus retention. */
  RETENTION_INBOX_HOURS: int({ min: 1 }).withDefault(14 * 24),
  /** Idempotency-Key records: a retry with the same key after this is a new request. */
  RETENTION_IDEMPOTENCY_HOURS: int({ min: 1 }).withDefault(24),
  /** Parked events and messages (dead letters) kept for an operator. */
  RETENTION_PARKED_HOURS: int({ min: 1 }).withDefault(30 * 24),
};

export type BaseConfig = ConfigOf<typeof baseConfigSchema>;
