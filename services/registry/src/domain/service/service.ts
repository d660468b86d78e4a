import type { Decider, DomainEvent } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { Actor } from '../shared/actor.js';
import { requireOrganisationRole } from '../shared/authorise.js';
import type { Capacity, ServiceDetails } from './serviceDetails.js';
import type { OrganisationStatus } from '../organisation/organisation.js';
import { validateCapacity, validateServiceDetails } from './serviceValidation.js';

export { INTAKE_STATES, LEGAL_STATUSES } from './serviceDetails.js';
export type { Capacity, Intake, LegalStatus, OpeningHours, ServiceDetails, ServiceLocation } from './serviceDetails.js';

// ---- events -------------------------------------------------------------------------------------

export type ServiceRegistered = DomainEvent<
  'ServiceRegistered',
  {
    serviceId: string;
    organisationId: string;
    details: ServiceDetails;
    capacity: Capacity;
    registeredAt: string;
    registeredBy: string;
  }
>;
export type ServiceDetailsUpdated = DomainEvent<
  'ServiceDetailsUpdated',
  { serviceId: string; organisationId: string; details: ServiceDetails; updatedAt: string; updatedBy: string }
>;
/** Its own event: capacity changes often, and other services (matching, referrals) follow only this. */
export type ServiceCapacityChanged = DomainEvent<
  'ServiceCapacityChanged',
  {
    serviceId: string;
    organisationId: string;
    capacity: Capacity;
    previous: Capacity;
    changedAt: string;
    changedBy: string;
  }
>;
export type ServiceWithdrawn = DomainEvent<
  'ServiceWithdrawn',
  { serviceId: string; organisationId: string; reason: string | null; withdrawnAt: string; withdrawnBy: string }
>;

export type ServiceEvent = ServiceRegistered | ServiceDetailsUpdated | ServiceCapacityChanged | ServiceWithdrawn;

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  serviceId: string;
  now: string;
  actor: Actor;
}
export type RegisterService = Base & {
  type: 'RegisterService';
  organisationId: string;
  /** Read by the handler from the organisation stream: only approved members publish services. */
  organisationStatus: OrganisationStatus;
  details: ServiceDetails;
  capacity: Capacity;
};
export type UpdateServiceDetails = Base & { type: 'UpdateServiceDetails'; details: ServiceDetails };
export type ChangeServiceCapacity = Base & { type: 'ChangeServiceCapacity'; capacity: Capacity };
export type WithdrawService = Base & { type: 'WithdrawService'; reason?: string };

export type ServiceCommand = RegisterService | UpdateServiceDetails | ChangeServiceCapacity | WithdrawService;

// ---- state --------------------------------------------------------------------------------------

export interface ServiceState {
  status: 'none' | 'active' | 'withdrawn';
  organisationId: string | null;
  details: ServiceDetails | null;
  capacity: Capacity | null;
  /** Number of changes applied (published as the public entry's revision). */
  revision: number;
}

export const evolveService = (state: ServiceState, event: ServiceEvent): ServiceState => {
  const revision = state.revision + 1;
  switch (event.type) {
    case 'ServiceRegistered':
      return {
        status: 'active',
        organisationId: event.data.organisationId,
        details: event.data.details,
        capacity: event.data.capacity,
        revision,
      };
    case 'ServiceDetailsUpdated':
      return { ...state, details: event.data.details, revision };
    case 'ServiceCapacityChanged':
      return { ...state, capacity: event.data.capacity, revision };
    case 'ServiceWithdrawn':
      return { ...state, status: 'withdrawn', revision };
  }
};

const sameCapacity = (a: Capacity, b: Capacity): boolean =>
  a.available === b.available && a.maximum === b.maximum && a.intake === b.intake;

const requireActive = (state: ServiceState, action: string): { organisationId: string; capacity: Capacity } => {
  if (state.status !== 'active' || !state.organisationId || !state.capacity)
    throw new AppError(
      'ILLEGAL_TRANSITION',
      `cannot ${action} a service that is ${state.status === 'none' ? 'not registered' : state.status}`,
      { extensions: { currentState: state.status } },
    );
  return { organisationId: state.organisationId, capacity: state.capacity };
};

export const decideService = (command: ServiceCommand, state: ServiceState): ServiceEvent[] => {
  const { serviceId, now, actor } = command;
  const by = actor.principalId;
  switch (command.type) {
    case 'RegisterService': {
      const { organisationId } = command;
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'register a service');
      if (state.status !== 'none')
        throw new AppError('ILLEGAL_TRANSITION', `service ${serviceId} is already registered (${state.status})`, {
          extensions: { currentState: state.status },
        });
      if (command.organisationStatus !== 'approved')
        throw new AppError(
          'BUSINESS_RULE_VIOLATED',
          `only approved organisations offer services; organisation ${organisationId} is ${command.organisationStatus}`,
        );
      validateServiceDetails(command.details, command.capacity);
      return [
        {
          type: 'ServiceRegistered',
          data: {
            serviceId,
            organisationId,
            details: command.details,
            capacity: command.capacity,
            registeredAt: now,
            registeredBy: by,
          },
        },
      ];
    }
    case 'UpdateServiceDetails': {
      const { organisationId } = requireActive(state, 'update');
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'update a service');
      validateServiceDetails(command.details);
      return [
        {
          type: 'ServiceDetailsUpdated',
          data: { serviceId, organisationId, details: command.details, updatedAt: now, updatedBy: by },
        },
      ];
    }
    case 'ChangeServiceCapacity': {
      const { organisationId, capacity: previous } = requireActive(state, 'change the capacity of');
      // Officers at the desk know when the last bed is taken; they may update capacity.
      requireOrganisationRole(actor, organisationId, ['org_admin', 'referral_officer'], 'change capacity');
      validateCapacity(command.capacity);
      if (sameCapacity(previous, command.capacity)) return [];
      return [
        {
          type: 'ServiceCapacityChanged',
          data: { serviceId, organisationId, capacity: command.capacity, previous, changedAt: now, changedBy: by },
        },
      ];
    }
    case 'WithdrawService': {
      const { organisationId } = requireActive(state, 'withdraw');
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'withdraw a service', { networkAdminMay: true });
      const reason = command.reason?.trim() ? command.reason.trim() : null;
      return [
        { type: 'ServiceWithdrawn', data: { serviceId, organisationId, reason, withdrawnAt: now, withdrawnBy: by } },
      ];
    }
  }
};

export const serviceDecider: Decider<ServiceState, ServiceCommand, ServiceEvent> = {
  initialState: () => ({ status: 'none', organisationId: null, details: null, capacity: null, revision: 0 }),
  decide: decideService,
  evolve: evolveService,
};

export const serviceStreamId = (serviceId: string): string => `registry-service-${serviceId}`;
