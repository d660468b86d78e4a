import type { Decider } from '@estia/infra/decider/types.js';
import type { OrganisationEvent, OrganisationState } from '../domain/organisation/organisation.js';
import { exchangeBlockers, exchangeTerms, type CodeTerms } from '../domain/organisation/mayExchange.js';
import type { ServiceEvent, ServiceState } from '../domain/service/service.js';
import { taxonomyTerm, withAncestors } from '../domain/service/taxonomy.js';
import type { Capacity } from '../domain/service/serviceDetails.js';
import { locationUuid } from '../hsds/ids.js';
import { regionName } from '../domain/shared/regions.js';

/**
 * Public (integration) events, the deliberate subset other services consume. They are appended in
 * the same append as the domain events that caused them, so the log stays the outbox: nothing
 * published without its cause, nothing caused without being published. Payloads follow
 * contracts/events/registry/*.v1.schema.json.
 */
export interface IntegrationEvent {
  type: `estia.registry.${string}`;
  data: Record<string, unknown>;
}

export const isIntegrationEvent = (event: { type: string }): boolean => event.type.startsWith('estia.');

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

const CHANGE: Partial<Record<OrganisationEvent['type'], string>> = {
  OrganisationApplied: 'applied',
  OrganisationApproved: 'approved',
  OrganisationRejected: 'rejected',
  OrganisationSuspended: 'suspended',
  OrganisationReinstated: 'reinstated',
  OrganisationWithdrawn: 'withdrawn',
  CodeOfConductAccepted: 'code_of_conduct_accepted',
  LicenceRenewed: 'profile_updated',
  // Name and region travel in the membership event: the other services' directories follow a rename.
  OrganisationProfileUpdated: 'profile_updated',
};

/** The public `change` a domain event stands for (undefined: not a membership change). */
export const membershipChangeOf = (cause: OrganisationEvent): string | undefined => CHANGE[cause.type];

/**
 * The whole membership state after the change (consumers keep the latest per organisation).
 * `change` is a domain event's (membershipChangeOf) or `code_of_conduct_superseded`, which has no
 * domain event in the organisation's stream: a new code version flips mayExchange for everyone.
 */
export const membershipChanged = (
  state: OrganisationState,
  change: string | undefined,
  context: CodeTerms & { changedAt: string },
): IntegrationEvent[] => {
  // Without a published code nobody may exchange; the event schema needs a current version, so wait.
  if (!change || !state.profile || !state.organisationId || context.currentCodeVersion === null) return [];
  return [
    {
      type: 'estia.registry.organisation.membership-changed.v1',
      data: {
        organisationId: state.organisationId,
        name: state.profile.name,
        kind: state.profile.kind,
        country: state.profile.country,
        region: state.profile.region,
        status: state.status,
        change,
        licence: state.licence
          ? { number: state.licence.number, validUntil: state.licence.validUntil.slice(0, 10) }
          : null,
        codeOfConductVersionAccepted: state.acceptedCodeVersion,
        currentCodeOfConductVersion: context.currentCodeVersion,
        // Consumers decide from the terms at their own decision time; this is the answer at changedAt.
        mayExchange: exchangeBlockers(state, { ...context, now: context.changedAt }).length === 0,
        licenceExpiresAt: exchangeTerms(state, context).licenceExpiresAt,
        codeOfConductAcceptanceDueAt: context.acceptanceDueAt,
        changedAt: context.changedAt,
      },
    },
  ];
};

const categoryPath = (categoryId: string) => {
  const chain = withAncestors(categoryId);
  const term = (id: string) => ({ code: withAncestors(id).reverse().join('.'), name: taxonomyTerm(id)?.name ?? id });
  return { topLevel: chain[chain.length - 1]!, term: term(categoryId), ancestors: chain.slice(1).map(term) };
};

const capacityOf = (c: Capacity) => ({ available: c.available, maximum: c.maximum, intakeStatus: c.intake });

/** service.published / updated (full entry), capacity-changed, withdrawn. */
export const serviceIntegrationEvents = (
  state: ServiceState,
  cause: ServiceEvent,
  context: { serviceId: string; organisationName: string; country: string; revision: number; changedAt: string },
): IntegrationEvent[] => {
  if (!state.details || !state.capacity || !state.organisationId) return [];
  const { serviceId } = context;
  switch (cause.type) {
    case 'ServiceRegistered':
    case 'ServiceDetailsUpdated': {
      const d = state.details;
      return [
        {
          type:
            cause.type === 'ServiceRegistered'
              ? 'estia.registry.service.published.v1'
              : 'estia.registry.service.updated.v1',
          data: {
            serviceId,
            organisationId: state.organisationId,
            organisationName: context.organisationName,
            name: d.name,
            description: d.description.slice(0, 4000),
            category: categoryPath(d.categoryId),
            eligibility: {
              legalStatuses: [...new Set(d.eligibility.legalStatuses)],
              ...(d.eligibility.minAge === null ? {} : { minimumAge: d.eligibility.minAge }),
              ...(d.eligibility.maxAge === null ? {} : { maximumAge: d.eligibility.maxAge }),
            },
            languages: [...new Set(d.languages)],
            // Areas are region codes inside the provider's country.
            serviceAreas: [...new Set(d.serviceAreas)].map((region) => ({
              country: context.country,
              region,
              name: regionName(region),
            })),
            locations: d.locations.map((l) => ({
              locationId: locationUuid(serviceId, l.locationId),
              name: l.name,
              address: {
                street: l.address.street,
                locality: l.address.locality,
                postalCode: l.address.postalCode,
                region: l.address.region,
                country: l.address.country,
              },
              coordinates: { lat: l.coordinates.latitude, lon: l.coordinates.longitude },
              schedules: l.schedule.map((s) => ({
                dayOfWeek: WEEKDAYS[s.weekday - 1],
                opens: s.opens,
                closes: s.closes,
              })),
            })),
            capacity: capacityOf(state.capacity),
            expectedResponseTimeHours: d.responseTimeHours,
            revision: context.revision,
            changedAt: context.changedAt,
          },
        },
      ];
    }
    case 'ServiceCapacityChanged':
      return [
        {
          type: 'estia.registry.service.capacity-changed.v1',
          data: {
            serviceId,
            organisationId: state.organisationId,
            category: categoryPath(state.details.categoryId).topLevel,
            capacity: capacityOf(cause.data.capacity),
            previousCapacity: capacityOf(cause.data.previous),
            changedAt: context.changedAt,
          },
        },
      ];
    case 'ServiceWithdrawn':
      return [
        {
          type: 'estia.registry.service.withdrawn.v1',
          data: { serviceId, organisationId: state.organisationId, withdrawnAt: context.changedAt },
        },
      ];
  }
};

/**
 * Wraps a decider so that its decision also yields the integration events derived from the state
 * after it. Stored integration events are skipped when folding, so the domain never sees them.
 */
export const withIntegrationEvents = <State, Command, Event extends { type: string }>(
  decider: Decider<State, Command, Event>,
  derive: (after: State, produced: Event[], command: Command, before: State) => IntegrationEvent[],
): Decider<State, Command, Event | IntegrationEvent> => ({
  initialState: decider.initialState,
  evolve: (state, event) => (isIntegrationEvent(event) ? state : decider.evolve(state, event as Event)),
  decide: (command, state) => {
    const produced = decider.decide(command, state);
    if (produced.length === 0) return produced;
    const after = produced.reduce(decider.evolve, state);
    return [...produced, ...derive(after, produced, command, state)];
  },
});
