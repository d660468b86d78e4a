import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import { fold } from '@estia/infra/decider/types.js';
import { serviceDecider, serviceStreamId, type ServiceCommand, type ServiceEvent } from '../domain/service/service.js';
import { isIntegrationEvent, serviceIntegrationEvents, withIntegrationEvents } from './integrationEvents.js';
import type { Capacity, ServiceDetails } from '../domain/service/serviceDetails.js';
import type { Actor } from '../domain/shared/actor.js';
import { metadataFor, type RegistryContext } from './context.js';
import { organisationHandlers, type CommandOptions } from './organisationHandlers.js';

type WithoutBase<C> = C extends unknown ? Omit<C, 'serviceId' | 'now' | 'actor'> : never;

export const serviceHandlers = (ctx: RegistryContext) => {
  const organisations = organisationHandlers(ctx);
  const run = async (
    actor: Actor,
    serviceId: string,
    command: WithoutBase<ServiceCommand>,
    options: CommandOptions & { organisationId?: string } = {},
  ) => {
    const now = ctx.now();
    // The public entry names the provider; read it from the organisation stream at decision time.
    const current = options.organisationId ? null : await loadService(serviceId);
    const provider = (await organisations.load(options.organisationId ?? current?.organisationId ?? '')).state.profile;
    return handleCommand({
      store: ctx.store,
      streamId: serviceStreamId(serviceId),
      decider: withIntegrationEvents(serviceDecider, (after, produced) =>
        serviceIntegrationEvents(after, produced[produced.length - 1]!, {
          serviceId,
          organisationName: provider?.name ?? '',
          country: provider?.country ?? 'GR',
          revision: after.revision,
          changedAt: now,
        }),
      ),
      command: { ...command, serviceId, now, actor } as ServiceCommand,
      metadata: metadataFor(actor, options.correlationId),
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });
  };

  const loadService = async (serviceId: string) =>
    fold(
      serviceDecider,
      (await ctx.store.readStream(serviceStreamId(serviceId)))
        .filter((e) => !isIntegrationEvent(e))
        .map((e) => ({ type: e.type, data: e.data }) as ServiceEvent),
    );

  return {
    loadService,
    async register(
      actor: Actor,
      organisationId: string,
      details: ServiceDetails,
      capacity: Capacity,
      options: CommandOptions & { serviceId?: string } = {},
    ) {
      const serviceId = options.serviceId ?? ctx.newId();
      // The organisation's status is read here, not kept in the service stream: a suspension stops new services at once.
      const { state } = await organisations.load(organisationId);
      const result = await run(
        actor,
        serviceId,
        { type: 'RegisterService', organisationId, organisationStatus: state.status, details, capacity },
        { expectedVersion: 'no-stream', ...options, organisationId },
      );
      return { serviceId, version: result.nextExpectedVersion };
    },
    update: (actor: Actor, serviceId: string, details: ServiceDetails, o?: CommandOptions) =>
      run(actor, serviceId, { type: 'UpdateServiceDetails', details }, o),
    changeCapacity: (actor: Actor, serviceId: string, capacity: Capacity, o?: CommandOptions) =>
      run(actor, serviceId, { type: 'ChangeServiceCapacity', capacity }, o),
    withdraw: (actor: Actor, serviceId: string, reason?: string, o?: CommandOptions) =>
      run(actor, serviceId, { type: 'WithdrawService', ...(reason ? { reason } : {}) }, o),
  };
};
