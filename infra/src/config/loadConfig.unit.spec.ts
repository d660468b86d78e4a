import { describe, expect, expectTypeOf, it } from 'vitest';
import { baseConfigSchema } from './baseConfig.js';
import { int, list, oneOf, str } from './configSchema.js';
import { ConfigError, loadConfig } from './loadConfig.js';

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig(baseConfigSchema, {});
    expect(config).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: 'data',
      EVENT_STORE: 'sqlite',
      PG_URL: undefined,
      KURRENTDB_URL: undefined,
      BUS: 'embedded',
      KAFKA_BROKERS: undefined,
      JWKS_URL: undefined,
      TOKEN_ISSUER: undefined,
      TOKEN_AUDIENCE: undefined,
      CORS_ALLOWED_ORIGINS: undefined,
      RATE_LIMIT_PER_MINUTE: 600,
      TLS_ENABLED: false,
      LOG_LEVEL: 'info',
      DEMO_DATA: false,
      PROCESSOR_DEAD_AFTER_FAILURES: 10,
      PROCESSOR_LEASE_TTL_MS: 10_000,
      PROCESSOR_MAX_ATTEMPTS: 5,
      PROCESSOR_MAX_LAG_EVENTS: 5000,
      PROCESSOR_MAX_LAG_SECONDS: 300,
      RETENTION_BUS_HOURS: 168,
      RETENTION_IDEMPOTENCY_HOURS: 24,
      RETENTION_INBOX_HOURS: 336,
      RETENTION_INTERVAL_MS: 3_600_000,
      RETENTION_PARKED_HOURS: 720,
    });
    expectTypeOf(config.PORT).toEqualTypeOf<number>();
    expectTypeOf(config.EVENT_STORE).toEqualTypeOf<'sqlite' | 'postgres' | 'kurrentdb'>();
    expectTypeOf(config.KAFKA_BROKERS).toEqualTypeOf<string[] | undefined>();
  });

  it('parses and combines modes freely', () => {
    const config = loadConfig(baseConfigSchema, {
      PORT: '8080',
      EVENT_STORE: 'postgres',
      PG_URL: 'postgres://u:secret@db:5432/estia',
      BUS: 'kafka',
      KAFKA_BROKERS: 'k1:9092, k2:9092,',
      DEMO_DATA: 'yes',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      EVENT_STORE: 'postgres',
      BUS: 'kafka',
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      DEMO_DATA: true,
    });
  });

  it('names the variable that is missing under a condition', () => {
    expect(errorOf(() => loadConfig(baseConfigSchema, { BUS: 'kafka' }))).toBe(
      'KAFKA_BROKERS is required when BUS=kafka',
    );
    expect(errorOf(() => loadConfig(baseConfigSchema, { EVENT_STORE: 'postgres' }))).toBe(
      'PG_URL is required when EVENT_STORE=postgres',
    );
    expect(errorOf(() => loadConfig(baseConfigSchema, { EVENT_STORE: 'kurrentdb' }))).toBe(
      'KURRENTDB_URL is required when EVENT_STORE=kurrentdb',
    );
  });

  it('names the variable with a wrong value without echoing the value', () => {
    expect(errorOf(() => loadConfig(baseConfigSchema, { PORT: '70000' }))).toBe(
      'PORT must be an integer between 0 and 65535',
    );
    expect(errorOf(() => loadConfig(baseConfigSchema, { PORT: '80a' }))).toMatch(/^PORT /);
    expect(errorOf(() => loadConfig(baseConfigSchema, { BUS: 'rabbit' }))).toBe('BUS must be one of embedded|kafka');
    expect(errorOf(() => loadConfig(baseConfigSchema, { DEMO_DATA: 'maybe' }))).toBe('DEMO_DATA must be true or false');
    const message = errorOf(() =>
      loadConfig(baseConfigSchema, { EVENT_STORE: 'postgres', PG_URL: 'mysql://u:hunter2@x/db' }),
    );
    expect(message).toBe('PG_URL must be a postgres or postgresql URL');
    expect(message).not.toContain('hunter2');
    expect(errorOf(() => loadConfig(baseConfigSchema, { JWKS_URL: 'not a url' }))).toBe('JWKS_URL must be a URL');
  });

  it('treats an empty value as missing and reports a required field', () => {
    const schema = {
      SECRET_DIR: str(),
      RETRIES: int({ min: 0 }).withDefault(3),
      MODE: oneOf(['a', 'b'] as const).optionalField(),
      L: list().optionalField(),
    };
    expect(errorOf(() => loadConfig(schema, { SECRET_DIR: '  ' }))).toBe('SECRET_DIR is required');
    expect(loadConfig(schema, { SECRET_DIR: '/s', RETRIES: '' })).toEqual({
      SECRET_DIR: '/s',
      RETRIES: 3,
      MODE: undefined,
      L: undefined,
    });
  });
});
