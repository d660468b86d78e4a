import { int, oneOf, port, str, url, bool, type ConfigOf } from '@estia/infra/config/configSchema.js';
import { LOG_LEVELS } from '@estia/infra/config/baseConfig.js';

/**
 * The console's variables. It holds no data of its own beyond sessions, so it needs no event store or
 * bus: only where the four services answer and how long a session may stay idle.
 */
export const consoleConfigSchema = {
  PORT: port().withDefault(3000),
  HOST: str().withDefault('127.0.0.1'),
  DATA_DIR: str().withDefault('data'),
  LOG_LEVEL: oneOf(LOG_LEVELS).withDefault('info'),
  REGISTRY_URL: url({ protocols: ['http', 'https'] }).withDefault('http://127.0.0.1:3001'),
  REFERRALS_URL: url({ protocols: ['http', 'https'] }).withDefault('http://127.0.0.1:3002'),
  MATCHING_URL: url({ protocols: ['http', 'https'] }).withDefault('http://127.0.0.1:3003'),
  INSIGHTS_URL: url({ protocols: ['http', 'https'] }).withDefault('http://127.0.0.1:3004'),
  /** Defaults to the registry's /.well-known/jwks.json. */
  JWKS_URL: url({ protocols: ['http', 'https'] }).optionalField(),
  /** The registry's `iss`; default: the origin of JWKS_URL. */
  TOKEN_ISSUER: str().optionalField(),
  /** The console's own `aud` in people's tokens; default: estia:console. */
  TOKEN_AUDIENCE: str().optionalField(),
  /** Minutes without a request after which a session ends (the token's own expiry ends it sooner). */
  CONSOLE_IDLE_MINUTES: int({ min: 1, max: 480 }).withDefault(15),
  /**
   * The origin people type into their browser (e.g. https://console.example.org) when the console runs
   * behind a reverse proxy; state-changing requests must come from it. Default: the request's own host.
   */
  PUBLIC_ORIGIN: url({ protocols: ['http', 'https'] }).optionalField(),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* (protocol for Secure cookies, client address). */
  TRUST_PROXY: bool().withDefault(false),
  /** The demo network's webhook secret (set by `pnpm start`): mounts the built-in webhook receiver. */
  DEMO_WEBHOOK_SECRET: str().optionalField(),
};

export type ConsoleConfig = ConfigOf<typeof consoleConfigSchema>;
