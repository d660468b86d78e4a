import { fold } from '@estia/infra/decider/types.js';
import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import { AppError } from '@estia/infra/errors/appError.js';
import {
  apiClientDecider,
  apiClientStreamId,
  type ApiClientCommand,
  type ApiClientEvent,
  type ApiScope,
} from '../domain/apiClient/apiClient.js';
import type { Actor } from '../domain/shared/actor.js';
import { hashClientSecret, newClientSecret, verifyClientSecret } from '../auth/secrets.js';
import { metadataFor, type RegistryContext } from './context.js';
import type { CommandOptions } from './organisationHandlers.js';
import { organisationHandlers } from './organisationHandlers.js';

type WithoutBase<C> = C extends unknown ? Omit<C, 'clientId' | 'now' | 'actor'> : never;

export const apiClientHandlers = (ctx: RegistryContext) => {
  const organisations = organisationHandlers(ctx);
  const run = (actor: Actor, clientId: string, command: WithoutBase<ApiClientCommand>, options: CommandOptions = {}) =>
    handleCommand({
      store: ctx.store,
      streamId: apiClientStreamId(clientId),
      decider: apiClientDecider,
      command: { ...command, clientId, now: ctx.now(), actor } as ApiClientCommand,
      metadata: metadataFor(actor, options.correlationId),
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });

  return {
    /** The secret is in the answer once and nowhere else. */
    async create(
      actor: Actor,
      organisationId: string,
      name: string,
      scopes: readonly ApiScope[],
      o: CommandOptions & { clientId?: string; /** Demo only: a fixed, printed secret. */ secret?: string } = {},
    ) {
      const clientId = o.clientId ?? ctx.newId();
      const { secret, secretHash } = o.secret
        ? { secret: o.secret, secretHash: hashClientSecret(o.secret) }
        : newClientSecret();
      await run(
        actor,
        clientId,
        { type: 'CreateApiClient', organisationId, name, scopes, secretHash },
        { expectedVersion: 'no-stream', ...o },
      );
      return { clientId, clientSecret: secret };
    },
    async rotate(actor: Actor, clientId: string, o?: CommandOptions) {
      const { secret, secretHash } = newClientSecret();
      await run(actor, clientId, { type: 'RotateApiClientSecret', secretHash }, o);
      return { clientId, clientSecret: secret };
    },
    revoke: (actor: Actor, clientId: string, reason?: string, o?: CommandOptions) =>
      run(actor, clientId, { type: 'RevokeApiClient', ...(reason ? { reason } : {}) }, o),

    /**
     * OAuth2 client credentials: a revoked client, a wrong secret, or a client whose organisation is no
     * longer approved all fail the same way (RFC 6749 invalid_client).
     */
    async authenticate(clientId: string, secret: string): Promise<{ organisationId: string; scopes: ApiScope[] }> {
      const events = await ctx.store.readStream(apiClientStreamId(clientId));
      const state = fold(
        apiClientDecider,
        events.map((e) => ({ type: e.type, data: e.data }) as ApiClientEvent),
      );
      const ok = verifyClientSecret(secret ?? '', state.status === 'active' ? state.secretHash : null);
      if (!ok || !state.organisationId) throw new AppError('UNAUTHENTICATED', 'invalid_client');
      const { state: organisation } = await organisations.load(state.organisationId);
      if (organisation.status !== 'approved') throw new AppError('UNAUTHENTICATED', 'invalid_client');
      return { organisationId: state.organisationId, scopes: state.scopes };
    },
  };
};
