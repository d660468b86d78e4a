import { AppError } from '@estia/infra/errors/appError.js';
import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventMetadata, EventStore, ExpectedVersion } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import {
  accessRequestDecider,
  accessRequestStreamId,
  type AccessRequestCommand,
  type AccessRequestEvent,
} from '../domain/accessRequests/accessRequestDecider.js';
import type { Actor } from '../domain/shared/actor.js';
import type { ConsentScope } from '../domain/shared/vocabulary.js';
import { organisationFacts } from '../directory/directoryQueries.js';
import { clientAccess } from '../projections/access.js';
import { clientStatus } from '../projections/queries.js';
import { pendingAccessRequest } from '../projections/accessRequestQueries.js';
import type { BlindIndex } from './blindIndex.js';
import { clientOfAccessToken } from './duplicateReview.js';
import { hidden } from './hidden.js';
import { personalEventCodec } from './personalCodec.js';
import { accessRequestParties, clientStateOf } from './relationships.js';

export interface AccessRequestDeps {
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  blindIndex: BlindIndex;
  now: () => string;
  metadataOf: (ctx: { actor: Actor; correlationId?: string }) => EventMetadata;
}

/** An answer as a caller gives it: the clock, the actor and whether it holds the case are added here. */
export type Answer =
  Exclude<AccessRequestCommand, { type: 'RequestAccess' }> extends infer C
    ? C extends unknown
      ? Omit<C, 'now' | 'actor' | 'actorIsHolder'>
      : never
    : never;

interface Ctx {
  actor: Actor;
  expectedVersion?: ExpectedVersion;
  correlationId?: string;
}

/** Refused the same way whatever went wrong: the token says nothing about why. */
const tokenRefused = (): AppError =>
  new AppError('BUSINESS_RULE_VIOLATED', 'the access-request token is not valid (or has expired)', {
    errors: [{ pointer: '/body/token', detail: 'is not a valid access-request token of yours (they last 15 minutes)' }],
    extensions: { rule: 'access_token_invalid' },
  });

/**
 * The access-request commands: create from the duplicate answer's token (the client id never leaves
 * the service), then the holder approves (recording the client's consent) or declines, the requester
 * may withdraw, the holder may revoke. Requester and holder see the request; anyone else gets the
 * same 404 as for a request that does not exist.
 */
export function accessRequestCommands(deps: AccessRequestDeps) {
  const { store, db, keyStore, blindIndex, now, metadataOf } = deps;

  const run = (ctx: Ctx, command: AccessRequestCommand) =>
    handleCommand({
      store,
      streamId: accessRequestStreamId(command.accessRequestId),
      decider: accessRequestDecider,
      command,
      codec: personalEventCodec<AccessRequestEvent>(keyStore),
      metadata: metadataOf(ctx),
      ...(ctx.expectedVersion === undefined ? {} : { expectedVersion: ctx.expectedVersion }),
    });

  /** The request as its requester or the case's holder may see it; 404 for anyone else. */
  const visibleRequest = async (actor: Actor, accessRequestId: string) => {
    const parties = await accessRequestParties(store, accessRequestId);
    if (!parties) throw hidden('access request');
    const client = await clientStateOf(store, parties.clientId);
    const isHolder = client.status === 'active' && client.organisations.includes(actor.organisationId);
    if (!isHolder && parties.requesterOrganisationId !== actor.organisationId) throw hidden('access request');
    return { isHolder };
  };

  return {
    async requestAccess(
      ctx: Ctx,
      input: { accessRequestId: string; token: string; purpose: string; scope: ConsentScope[] },
    ) {
      const at = now();
      const clientId = clientOfAccessToken(blindIndex, input.token, ctx.actor, at);
      if (clientId === null) throw tokenRefused();
      // Erased (or gone) since the token was issued: as if the token had never matched anyone.
      if ((await clientStatus(db, clientId)) !== 'active') throw tokenRefused();
      const [org, access, pending] = await Promise.all([
        organisationFacts(db, ctx.actor.organisationId, at),
        clientAccess(db, ctx.actor.organisationId, clientId, at),
        pendingAccessRequest(db, ctx.actor.organisationId, clientId, at),
      ]);
      return run(ctx, {
        type: 'RequestAccess',
        accessRequestId: input.accessRequestId,
        now: at,
        actor: ctx.actor,
        clientId,
        purpose: input.purpose,
        scope: input.scope,
        organisation: { mayExchange: org.mayExchange },
        requester: {
          holdsClient: access.basis === 'registered' || access.basis === 'access_request',
          pendingRequestId: pending,
        },
      });
    },

    /**
     * Approve (recording the client's consent), decline, revoke — the holder's — or withdraw — the
     * requester's. Whether the actor holds the case is read from the log; anyone else is told 404.
     */
    async answerAccessRequest(ctx: Ctx, command: Answer) {
      const { isHolder } = await visibleRequest(ctx.actor, command.accessRequestId);
      return run(ctx, { ...command, now: now(), actor: ctx.actor, actorIsHolder: isHolder } as AccessRequestCommand);
    },
  };
}
