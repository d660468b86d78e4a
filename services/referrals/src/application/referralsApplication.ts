import { systemClock, type Clock } from '@estia/infra/clock/clock.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { handleCommand, handleCommands, type HandleCommandResult } from '@estia/infra/commandHandling/handleCommand.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventMetadata, EventStore, ExpectedVersion } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { ClientPersonalData } from '../domain/clients/clientData.js';
import {
  clientDecider,
  clientStreamId,
  type ClientCommand,
  type ClientEvent,
  type ClientState,
} from '../domain/clients/clientDecider.js';
import { needsDecider, needsStreamId, type NeedsCommand, type NeedsEvent } from '../domain/needs/needsDecider.js';
import { referralDecider } from '../domain/referrals/referralDecider.js';
import {
  referralStreamId,
  type ReferralCommand,
  type ReferralEvent,
  type ReferralState,
  type SendReferral,
} from '../domain/referrals/referralTypes.js';
import { hasRole, type Actor } from '../domain/shared/actor.js';
import type { Reason } from '../domain/shared/personal.js';
import type { ConsentScope, ServiceCategory } from '../domain/shared/vocabulary.js';
import { clientAccess, otherHoldersOf } from '../projections/access.js';
import { clientStatus, consentsOf } from '../projections/queries.js';
import { openReferralSlotGuard } from './openReferralSlots.js';
import { personalEventCodec } from './personalCodec.js';
import { organisationFacts, serviceFacts } from '../directory/directoryQueries.js';
import { accessRequestCommands } from './accessRequests.js';
import type { BlindIndex } from './blindIndex.js';
import { reviewDuplicates } from './duplicateReview.js';
import { erasedClient, hidden } from './hidden.js';
import { clientStateOf, referralParties } from './relationships.js';

export interface ReferralsDeps {
  store: EventStore;
  /** The service's read-model database (facts for the deciders come from here). */
  db: SqlDatabase;
  keyStore: KeyStore;
  /** Blind indexes and sealed tokens under the network secret (BLIND_INDEX_KEY). */
  blindIndex: BlindIndex;
  /** Default: the system clock. */
  clock?: Clock;
}

export interface CallContext {
  actor: Actor;
  /** From If-Match; omitted = the version read (a concurrent writer still conflicts). */
  expectedVersion?: ExpectedVersion;
  correlationId?: string;
}

export interface SendInput {
  referralId: string;
  clientId: string;
  /** The receiving organisation, category and response time come from the service (registry facts). */
  serviceId: string;
  share: ConsentScope[];
  needId?: string;
  message?: string;
  consentOverride?: Reason;
  forwardedFrom?: { referralId: string };
}

/** Retries of a forward's link on the original referral after concurrent changes (then 409). */
const LINK_RETRIES = 5;

/** A command as a caller gives it: the clock, the actor and the looked-up facts are added here. */
type WithoutFacts<C, Facts extends PropertyKey = never> = C extends unknown ? Omit<C, 'now' | 'actor' | Facts> : never;

/**
 * The command side of the referrals service: gathers the facts each rule needs from the read models
 * (no I/O inside deciders), runs load → decide → seal personal parts → append, and performs the
 * effects outside the log (destroying an erased client's key).
 */
export function createReferralsApplication(deps: ReferralsDeps) {
  const { store, db, keyStore } = deps;
  const clock = deps.clock ?? systemClock;
  const now = (): string => clock().toISOString();
  const metadataOf = (ctx: CallContext): EventMetadata => ({
    actor: { organisationId: ctx.actor.organisationId, userId: ctx.actor.userId },
    ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
  });

  const runClient = (
    ctx: CallContext,
    command: ClientCommand,
  ): Promise<HandleCommandResult<ClientState, ClientEvent>> =>
    handleCommand({
      store,
      streamId: clientStreamId(command.clientId),
      decider: clientDecider,
      command,
      codec: personalEventCodec<ClientEvent>(keyStore),
      metadata: metadataOf(ctx),
      ...(ctx.expectedVersion === undefined ? {} : { expectedVersion: ctx.expectedVersion }),
    });

  const referralCommandOptions = (ctx: CallContext | null, command: ReferralCommand) => ({
    store,
    streamId: referralStreamId(command.referralId),
    decider: referralDecider,
    command,
    codec: personalEventCodec<ReferralEvent>(keyStore),
    metadata: ctx ? metadataOf(ctx) : { actor: { userId: 'system:expiry' } },
    ...(ctx?.expectedVersion === undefined ? {} : { expectedVersion: ctx.expectedVersion }),
  });
  const runReferral = (ctx: CallContext | null, command: ReferralCommand) =>
    handleCommand(referralCommandOptions(ctx, command));

  const withOpenReferralSlot = openReferralSlotGuard(store);

  const clientFacts = async (actor: Actor, clientId: string, at: string) => {
    const status = await clientStatus(db, clientId);
    const access = status === 'active' ? await clientAccess(db, actor.organisationId, clientId, at) : null;
    return { status, access };
  };

  /**
   * Before any rule runs: an organisation without a relationship to the client gets the answer a
   * client that does not exist gets (404, same body); one that held the case learns of its erasure (410).
   * `erased: 'pass'` lets a former registrar's command through to the decider (erasure is idempotent).
   */
  const requireRelationship = async (actor: Actor, clientId: string, at: string, erased: 'gone' | 'pass' = 'gone') => {
    const access = await clientAccess(db, actor.organisationId, clientId, at);
    if (access.erasedAt !== undefined) {
      if (erased === 'pass') return access;
      throw erasedClient(clientId, access.erasedAt);
    }
    if (access.allowed) return access;
    // A registration the read models have not seen yet: the client's stream names its registrars.
    const state = await clientStateOf(store, clientId);
    if (state.status === 'active' && state.organisations.includes(actor.organisationId))
      return { allowed: true, basis: 'registered' as const, share: ['*'] };
    // Auditors know every case (and the deciders refuse their writes by role).
    if (hasRole(actor, 'auditor') && state.status !== 'none') return access;
    throw hidden('client');
  };

  /** Only the sender and the receiver know a referral exists. */
  const requireReferralParty = async (actor: Actor, referralId: string): Promise<void> => {
    const parties = await referralParties(store, referralId);
    if (parties !== null && hasRole(actor, 'auditor')) return;
    if (
      parties?.senderOrganisationId !== actor.organisationId &&
      parties?.receiverOrganisationId !== actor.organisationId
    )
      throw hidden('referral');
  };

  /** Builds SendReferral with its facts (also used by forwarding). */
  const prepareSend = async (ctx: CallContext, input: SendInput, at: string): Promise<SendReferral> => {
    const gate = input.forwardedFrom === undefined ? await requireRelationship(ctx.actor, input.clientId, at) : null;
    const service = await serviceFacts(db, input.serviceId);
    if (!service) throw new AppError('NOT_FOUND', `service ${input.serviceId} is not (or no longer) offered`);
    const [sender, receiver, client, consents] = await Promise.all([
      organisationFacts(db, ctx.actor.organisationId, at),
      organisationFacts(db, service.organisationId, at),
      clientFacts(ctx.actor, input.clientId, at),
      consentsOf(db, input.clientId),
    ]);
    return {
      type: 'SendReferral',
      referralId: input.referralId,
      now: at,
      actor: ctx.actor,
      actorOrganisation: { mayExchange: sender.mayExchange },
      clientId: input.clientId,
      receiver: { organisationId: service.organisationId, mayExchange: receiver.mayExchange },
      serviceId: input.serviceId,
      category: service.category as ServiceCategory,
      ...(input.needId === undefined ? {} : { needId: input.needId }),
      share: input.share,
      responseTimeHours: service.responseTimeHours,
      client: gate?.allowed
        ? { status: 'active', visibleToSender: true }
        : { status: client.status, visibleToSender: client.access?.allowed === true },
      consents,
      ...(input.consentOverride === undefined ? {} : { consentOverride: input.consentOverride }),
      ...(input.forwardedFrom === undefined ? {} : { forwardedFrom: input.forwardedFrom }),
      ...(input.message === undefined ? {} : { personal: { message: input.message } }),
    };
  };

  return {
    /** The application's clock, for the reads that depend on the time (access, overdue lists). */
    now,
    /**
     * Registers a client after duplicate detection (on blind indexes, scored in memory). Without
     * `confirmedNew`, likely duplicates in the officer's caseload refuse the registration (422 naming
     * them); one held elsewhere refuses it with "may already be known" and an access-request token.
     */
    async registerClient(
      ctx: CallContext,
      input: { clientId: string; personal: ClientPersonalData; confirmedNew?: boolean },
    ) {
      const at = now();
      const org = await organisationFacts(db, ctx.actor.organisationId, at);
      const review = await reviewDuplicates(deps, ctx.actor, input.personal, at);
      return runClient(ctx, {
        type: 'RegisterClient',
        clientId: input.clientId,
        now: at,
        actor: ctx.actor,
        organisation: { approved: org.approved },
        duplicateReview: {
          candidates: review.candidates.filter((c) => c.clientId !== input.clientId),
          network: review.network,
          confirmedNew: input.confirmedNew === true,
        },
        personal: input.personal,
      });
    },

    /** CorrectPersonalData, ChangeLegalStatus, GiveConsent. */
    async clientCommand(
      ctx: CallContext,
      command: Extract<
        WithoutFacts<ClientCommand>,
        { type: 'CorrectPersonalData' | 'ChangeLegalStatus' | 'GiveConsent' }
      >,
    ) {
      const at = now();
      await requireRelationship(ctx.actor, command.clientId, at);
      return runClient(ctx, { ...command, now: at, actor: ctx.actor } as ClientCommand);
    },

    async withdrawConsent(ctx: CallContext, input: { clientId: string; consentId: string; reason?: Reason }) {
      const at = now();
      const access = await requireRelationship(ctx.actor, input.clientId, at);
      return runClient(ctx, {
        type: 'WithdrawConsent',
        ...input,
        now: at,
        actor: ctx.actor,
        actorHoldsAcceptedReferral: access?.basis === 'referral',
      });
    },

    /**
     * GDPR art. 17: records ClientErased naming the other organisations that held or worked the case
     * (they are told, art. 19), then destroys the key (the projection repeats it if we crash here).
     */
    async eraseClient(ctx: CallContext, input: { clientId: string; reason?: { code: string } }) {
      const at = now();
      await requireRelationship(ctx.actor, input.clientId, at, 'pass');
      const result = await runClient(ctx, {
        type: 'EraseClient',
        clientId: input.clientId,
        now: at,
        actor: ctx.actor,
        reason: input.reason,
        otherHolders: await otherHoldersOf(db, input.clientId),
      });
      if (result.state.status === 'erased') await keyStore.destroyKey(input.clientId, result.state.erasedAt);
      return result;
    },

    async needsCommand(ctx: CallContext, command: WithoutFacts<NeedsCommand, 'client'>) {
      const at = now();
      // Past the gate the client is active and visible (the read models may not have seen it yet); only
      // an auditor passes without access, to be refused by role.
      const access = await requireRelationship(ctx.actor, command.clientId, at);
      const status = access.allowed ? 'active' : await clientStatus(db, command.clientId);
      return handleCommand({
        store,
        streamId: needsStreamId(command.clientId),
        decider: needsDecider,
        command: {
          ...command,
          now: at,
          actor: ctx.actor,
          client: { status, visibleToActor: access.allowed },
        } as NeedsCommand,
        codec: personalEventCodec<NeedsEvent>(keyStore),
        metadata: metadataOf(ctx),
        ...(ctx.expectedVersion === undefined ? {} : { expectedVersion: ctx.expectedVersion }),
      });
    },

    async sendReferral(ctx: CallContext, input: SendInput) {
      const send = await prepareSend(ctx, input, now());
      return withOpenReferralSlot(send, metadataOf(ctx), async (slot) => {
        const [created] = await handleCommands([referralCommandOptions(ctx, send), slot] as const);
        return created;
      });
    },

    /** Accept, reject, start, hold, resume, complete, fail, cancel, post a message. */
    async referralCommand(
      ctx: CallContext,
      command: WithoutFacts<
        Exclude<ReferralCommand, { type: 'SendReferral' | 'ForwardReferral' | 'ExpireReferral' }>,
        'actorOrganisation'
      >,
    ) {
      await requireReferralParty(ctx.actor, command.referralId);
      const at = now();
      const org = await organisationFacts(db, ctx.actor.organisationId, at);
      return runReferral(ctx, {
        ...command,
        now: at,
        actor: ctx.actor,
        actorOrganisation: { mayExchange: org.mayExchange },
      } as ReferralCommand);
    },

    /**
     * Forward: both decisions are taken before anything is written (consent for the new recipient is
     * checked by SendReferral), then the new referral is created and the original records the link.
     */
    async forwardReferral(
      ctx: CallContext,
      input: {
        referralId: string;
        newReferralId: string;
        serviceId: string;
        share: ConsentScope[];
        reason: Reason;
        message?: string;
      },
    ) {
      const at = now();
      await requireReferralParty(ctx.actor, input.referralId);
      const org = await organisationFacts(db, ctx.actor.organisationId, at);
      const originalEvents = await store.readStream(referralStreamId(input.referralId));
      const original = originalEvents.reduce(
        (s, e) => referralDecider.evolve(s, { type: e.type, data: e.data } as ReferralEvent),
        referralDecider.initialState() as ReferralState,
      );
      if (original.status === 'none') throw hidden('referral');
      const send = await prepareSend(
        ctx,
        {
          referralId: input.newReferralId,
          clientId: original.clientId,
          serviceId: input.serviceId,
          share: input.share,
          forwardedFrom: { referralId: input.referralId },
          ...(input.message === undefined ? {} : { message: input.message }),
        },
        at,
      );
      // The receiver of the original may pass the case on even before accepting it (the forward decision checks it is the receiver).
      send.client = { ...send.client, visibleToSender: send.client.status === 'active' };
      const forward: Extract<ReferralCommand, { type: 'ForwardReferral' }> = {
        type: 'ForwardReferral',
        referralId: input.referralId,
        now: at,
        actor: ctx.actor,
        actorOrganisation: { mayExchange: org.mayExchange },
        newReferralId: input.newReferralId,
        to: { organisationId: send.receiver.organisationId },
        reason: input.reason,
      };
      referralDecider.decide(forward, original);
      referralDecider.decide(send, referralDecider.initialState());
      // Both streams in one atomic append (the new referral is the primary decision: the answer is
      // about it), retried on a concurrent change of the original. The link stays idempotent (the
      // decider records a given newReferralId once) for stores that write the two one after the other.
      return withOpenReferralSlot(send, metadataOf(ctx), async (slot) => {
        const [created, forwarded] = await handleCommands([
          referralCommandOptions({ ...ctx, expectedVersion: 'no-stream' }, send),
          // If-Match names the original's version: then a concurrent change is the caller's 412, not a retry.
          {
            ...referralCommandOptions(ctx, forward),
            ...(typeof ctx.expectedVersion === 'number' ? {} : { retriesOnConflict: LINK_RETRIES }),
          },
          slot,
        ] as const);
        return { created, forwarded };
      });
    },
    ...accessRequestCommands({ ...deps, now, metadataOf }),

    /** Scheduler: expire one referral (refused if answered meanwhile or not yet due). */
    async expireReferral(referralId: string, at = now()) {
      return runReferral(null, { type: 'ExpireReferral', referralId, now: at });
    },
  };
}

export type ReferralsApplication = ReturnType<typeof createReferralsApplication>;
