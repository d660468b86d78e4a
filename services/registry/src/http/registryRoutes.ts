import type { FastifyPluginAsync } from 'fastify';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { RegistryContext } from '../application/context.js';
import type { TokenSettings } from '../application/tokens.js';
import { authRoutes, type AuthRoutesOptions } from './authRoutes.js';
import { administrationRoutes } from './administrationRoutes.js';
import { hsdsRoutes } from './hsdsRoutes.js';
import { managementRoutes, type ManagementRoutesOptions } from './managementRoutes.js';
import { webhookRoutes, type WebhookRoutesOptions } from '../webhooks/webhookRoutes.js';
import { preferencesRoutes } from '../notifications/preferencesRoutes.js';

export interface RegistryRoutesOptions extends ManagementRoutesOptions {
  db: SqlExecutor;
  /** The store and clock the read endpoints of the administration screens load streams with. */
  ctx: RegistryContext;
  publicBaseUrl: string;
  tokens: TokenSettings;
  people: AuthRoutesOptions['people'];
  clients: AuthRoutesOptions['clients'];
  /** Sign-in throttling and its clock (tests); defaults as in authRoutes. */
  signIn?: Pick<AuthRoutesOptions, 'throttle' | 'nowMs'>;
  webhooks: Omit<WebhookRoutesOptions, 'db'>;
}

/**
 * Every route of the registry, in one place (main.ts and the route × role test mount exactly this):
 * the public HSDS directory under /hsds, the token issuer at the root, management under /v1.
 */
export const registryRoutes: FastifyPluginAsync<RegistryRoutesOptions> = async (app, options) => {
  const { db, ctx, publicBaseUrl, tokens, signIn, webhooks, ...handlers } = options;
  await app.register(hsdsRoutes, { prefix: '/hsds', db, publicBaseUrl });
  await app.register(authRoutes, { tokens, people: handlers.people, clients: handlers.clients, ...signIn });
  await app.register(managementRoutes, { prefix: '/v1', ...handlers });
  await app.register(administrationRoutes, { prefix: '/v1', ctx, db });
  await app.register(webhookRoutes, { prefix: '/v1', db, ...webhooks });
  await app.register(preferencesRoutes, { prefix: '/v1', db, clock: webhooks.clock });
};
