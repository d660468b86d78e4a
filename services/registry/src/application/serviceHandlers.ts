import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import { serviceDecider, serviceStreamId, type ServiceCommand } from '../domain/service/service.js';
import type { Capacity, ServiceDetails } from '../domain/service/serviceDetails.js';
import type { Actor } from '../domain/shared/actor.js';
import { metadataFor, type RegistryContext } from './context.js';
import { organisationHandlers, type CommandOptions } from './organisationHandlers.js';

type WithoutBase<C> = C extends unknown ? Omit<C, 'serviceId' | 'now' | 'actor'> : never;

export const serviceHandlers = (ctx: RegistryContext) => {
  const organisations = organisationHandlers(ctx);
  const run = (actor: Actor, serviceId: string, command: WithoutBase<ServiceCommand>, options: CommandOptions = {}) =>
    handleCommand({
      store: ctx.store,
      streamId: serviceStreamId(serviceId),
      decider: serviceDecider,
      command: { ...command, serviceId, now: ctx.now(), actor } as ServiceCommand,
      metadata: metadataFor(actor, options.correlationId),
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });

  return {
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
        { expectedVersion: 'no-stream', ...options },
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
