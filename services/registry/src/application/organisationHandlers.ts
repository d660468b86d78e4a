import { createHash } from 'node:crypto';
import { fold } from '@estia/infra/decider/types.js';
import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import type { ExpectedVersion } from '@estia/infra/eventStore/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { isStreamVersionConflict } from '@estia/infra/eventStore/errors.js';
import {
  CODE_OF_CONDUCT_STREAM,
  codeOfConductDecider,
  type CodeOfConductEvent,
} from '../domain/codeOfConduct/codeOfConduct.js';
import {
  organisationDecider,
  organisationStreamId,
  validateProfile,
  type OrganisationCommand,
  type OrganisationEvent,
  type OrganisationProfile,
  type OrganisationProfileChanges,
  type OrganisationState,
} from '../domain/organisation/organisation.js';
import { exchangeBlockers, type CodeTerms } from '../domain/organisation/mayExchange.js';
import type { Actor } from '../domain/shared/actor.js';
import { metadataFor, type RegistryContext } from './context.js';
import {
  isIntegrationEvent,
  membershipChanged,
  membershipChangeOf,
  withIntegrationEvents,
} from './integrationEvents.js';
import { reserveLegalIdentifier } from './legalIdentifiers.js';

const MEMBERSHIP_CHANGED = 'estia.registry.organisation.membership-changed.v1';

type WithoutBase<C> = C extends unknown ? Omit<C, 'organisationId' | 'now' | 'actor'> : never;

export interface CommandOptions {
  expectedVersion?: ExpectedVersion;
  correlationId?: string;
}

/** Organisation lifecycle and code of conduct: load → decide → append with the version read. */
export const organisationHandlers = (ctx: RegistryContext) => {
  const run = async (
    actor: Actor,
    organisationId: string,
    command: WithoutBase<OrganisationCommand>,
    options: CommandOptions = {},
  ) => {
    const code = await currentCodeTerms();
    const now = ctx.now();
    return handleCommand({
      store: ctx.store,
      streamId: organisationStreamId(organisationId),
      decider: withIntegrationEvents(organisationDecider, (after, produced) =>
        membershipChanged(after, membershipChangeOf(produced[produced.length - 1]!), { ...code, changedAt: now }),
      ),
      command: { ...command, organisationId, now, actor } as OrganisationCommand,
      metadata: metadataFor(actor, options.correlationId),
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });
  };

  async function currentCodeTerms(): Promise<CodeTerms> {
    const events = await ctx.store.readStream(CODE_OF_CONDUCT_STREAM);
    const last = events.filter((e) => !isIntegrationEvent(e)).pop() as unknown as CodeOfConductEvent | undefined;
    return { currentCodeVersion: last?.data.version ?? null, acceptanceDueAt: last?.data.acceptanceDueAt ?? null };
  }

  async function currentCodeVersion(): Promise<number | null> {
    return (await currentCodeTerms()).currentCodeVersion;
  }

  const load = async (
    organisationId: string,
  ): Promise<{ state: OrganisationState; version: number | null; toldVersion: number | null }> => {
    const events = await ctx.store.readStream(organisationStreamId(organisationId));
    const domain = events.filter((e) => !isIntegrationEvent(e));
    const state = fold(
      organisationDecider,
      domain.map((e) => ({ type: e.type, data: e.data }) as OrganisationEvent),
    );
    // The latest code version this organisation's membership events told the network about.
    const told = events
      .filter((e) => e.type === MEMBERSHIP_CHANGED)
      .map((e) => (e.data as { currentCodeOfConductVersion: number }).currentCodeOfConductVersion);
    return {
      state,
      version: events.length ? events[events.length - 1]!.revision : null,
      toldVersion: told.length > 0 ? Math.max(...told) : null,
    };
  };

  /**
   * A new code version changes every member's terms (they must accept it within its grace period),
   * though nothing happened in their own streams: each live membership gets a membership-changed event
   * so the other services learn it from the bus, not by polling. Run by the code-of-conduct fan-out
   * processor from the published event, never inside the request; resumable: an organisation already
   * told of this version (or a later one) is passed over, so a restart after a crash goes on where it
   * stopped. Appended with the version read (retried on a race).
   */
  async function announceCodeChange(actor: Actor, version: number, correlationId?: string): Promise<number> {
    // A later version's own fan-out tells everyone about it: this one has nothing left to say.
    const code = await currentCodeTerms();
    if ((code.currentCodeVersion ?? 0) > version) return 0;
    const changedAt = ctx.now();
    let announced = 0;
    const prefix = organisationStreamId('');
    let after: string | undefined;
    for (;;) {
      const streams = await ctx.store.listStreams({ prefix, limit: 500, ...(after === undefined ? {} : { after }) });
      if (streams.length === 0) return announced;
      for (const streamId of streams) {
        const organisationId = streamId.slice(prefix.length);
        for (let attempt = 0; ; attempt++) {
          const { state, version: revision, toldVersion } = await load(organisationId);
          if (revision === null || !['applied', 'approved', 'suspended'].includes(state.status)) break;
          if (toldVersion !== null && toldVersion >= version) break;
          const events = membershipChanged(state, 'code_of_conduct_superseded', {
            currentCodeVersion: version,
            acceptanceDueAt: code.currentCodeVersion === version ? code.acceptanceDueAt : null,
            changedAt,
          });
          try {
            await ctx.store.append(
              streamId,
              events.map((e) => ({ ...e, metadata: metadataFor(actor, correlationId) })),
              { expectedVersion: revision },
            );
            announced += 1;
            break;
          } catch (error) {
            if (!isStreamVersionConflict(error) || attempt >= 5) throw error;
          }
        }
      }
      after = streams[streams.length - 1];
    }
  }

  const handlers = {
    load,
    currentCodeVersion,
    announceCodeChange,
    async apply(
      actor: Actor,
      profile: OrganisationProfile,
      options: CommandOptions & { organisationId?: string } = {},
    ) {
      const organisationId = options.organisationId ?? ctx.newId();
      // Validate before reserving, so a malformed application leaves nothing behind in the log.
      validateProfile(profile);
      const { state } = await load(organisationId);
      if (state.status !== 'none')
        throw new AppError('ILLEGAL_TRANSITION', `organisation ${organisationId} already exists`);
      await reserveLegalIdentifier(ctx, organisationId, profile, metadataFor(actor, options.correlationId));
      const result = await run(
        actor,
        organisationId,
        { type: 'ApplyForMembership', profile },
        { expectedVersion: 'no-stream', ...options },
      );
      return { organisationId, version: result.nextExpectedVersion };
    },
    approve: (
      actor: Actor,
      id: string,
      licence: { licenceNumber: string; licenceValidUntil: string },
      o?: CommandOptions,
    ) => run(actor, id, { type: 'ApproveOrganisation', ...licence }, o),
    reject: (actor: Actor, id: string, reason: string, o?: CommandOptions) =>
      run(actor, id, { type: 'RejectOrganisation', reason }, o),
    suspend: (actor: Actor, id: string, reason: string, o?: CommandOptions) =>
      run(actor, id, { type: 'SuspendOrganisation', reason }, o),
    reinstate: (actor: Actor, id: string, o?: CommandOptions) => run(actor, id, { type: 'ReinstateOrganisation' }, o),
    renewLicence: (
      actor: Actor,
      id: string,
      licence: { licenceNumber: string; licenceValidUntil: string },
      o?: CommandOptions,
    ) => run(actor, id, { type: 'RenewLicence', ...licence }, o),
    updateProfile: (actor: Actor, id: string, changes: OrganisationProfileChanges, o?: CommandOptions) =>
      run(actor, id, { type: 'UpdateOrganisationProfile', changes }, o),
    withdraw: (actor: Actor, id: string, reason?: string, o?: CommandOptions) =>
      run(actor, id, { type: 'WithdrawOrganisation', ...(reason ? { reason } : {}) }, o),
    async acceptCodeOfConduct(actor: Actor, id: string, version: number, o?: CommandOptions) {
      return run(actor, id, { type: 'AcceptCodeOfConduct', version, currentVersion: await currentCodeVersion() }, o);
    },
    async publishCodeOfConduct(
      actor: Actor,
      title: string,
      text: string,
      o: CommandOptions & { gracePeriodDays?: number } = {},
    ) {
      const textSha256 = createHash('sha256')
        .update(text ?? '', 'utf8')
        .digest('hex');
      const result = await handleCommand({
        store: ctx.store,
        streamId: CODE_OF_CONDUCT_STREAM,
        decider: withIntegrationEvents(codeOfConductDecider, (after, produced) =>
          produced.map((e) => ({
            type: 'estia.registry.code-of-conduct.published.v1' as const,
            data: {
              version: e.data.version,
              title: e.data.title,
              documentUri: `urn:estia:code-of-conduct:v${e.data.version}`,
              publishedAt: e.data.publishedAt,
              ...(e.data.acceptanceDueAt === undefined ? {} : { acceptanceDueAt: e.data.acceptanceDueAt }),
            },
          })),
        ),
        command: {
          type: 'PublishCodeOfConduct',
          title,
          text,
          textSha256,
          ...(o.gracePeriodDays === undefined ? {} : { gracePeriodDays: o.gracePeriodDays }),
          now: ctx.now(),
          actor,
        },
        metadata: metadataFor(actor, o.correlationId),
      });
      // Every member hears of it from the code-of-conduct fan-out processor (CodeOfConductPublished).
      return { version: result.state.currentVersion, acceptanceDueAt: result.state.currentAcceptanceDueAt };
    },
    /** A network needs a code before anyone may exchange: publishes `title`/`text` as v1 unless one exists. */
    async ensureCodeOfConduct(actor: Actor, title: string, text: string): Promise<number> {
      const current = await currentCodeVersion();
      if (current !== null) return current;
      const { version } = await handlers.publishCodeOfConduct(actor, title, text);
      return version!;
    },
    /** For referrals/matching (via integration events or the API): may this organisation exchange case data now? */
    async exchangeStatus(id: string) {
      const [{ state, version }, code] = await Promise.all([load(id), currentCodeTerms()]);
      if (version === null) throw new AppError('NOT_FOUND', `organisation ${id} not found`);
      const blockers = exchangeBlockers(state, { ...code, now: ctx.now() });
      return { organisationId: id, mayExchange: blockers.length === 0, blockers };
    },
  };
  return handlers;
};
