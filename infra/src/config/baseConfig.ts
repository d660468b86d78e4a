import { bool, list, oneOf, port, str, url, type ConfigOf } from './configSchema.js';

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
  LOG_LEVEL: oneOf(LOG_LEVELS).withDefault('info'),
  DEMO_DATA: bool().withDefault(false),
};

export type BaseConfig = ConfigOf<typeof baseConfigSchema>;
