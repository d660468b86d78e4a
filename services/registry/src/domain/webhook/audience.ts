import type { EventEnvelope, EventType } from '@estia/contracts';

/**
 * Which organisations may see a public event by webhook: the sender and receiver of a referral, the
 * requester of an access request (its answer) and the case's holder (that one was made, by id only),
 * the organisation a deadline reminder is for, the employer of an application or placement (and the
 * coach's organisation when a follow-up falls due), the organisation whose membership or service
 * changed; the code of conduct concerns every member. Events about a person (consents, needs,
 * candidate profiles, erasure) are not offered at all.
 */
export const WEBHOOK_EVENT_TYPES = [
  'estia.referrals.referral.status-changed.v1',
  'estia.referrals.access-request.status-changed.v1',
  'estia.referrals.access-request.received.v1',
  'estia.referrals.deadline.approaching.v1',
  'estia.matching.application.status-changed.v1',
  'estia.matching.placement.hired.v1',
  'estia.matching.placement.follow-up-recorded.v1',
  'estia.matching.placement.follow-up-due.v1',
  'estia.registry.organisation.membership-changed.v1',
  'estia.registry.service.published.v1',
  'estia.registry.service.updated.v1',
  'estia.registry.service.withdrawn.v1',
  'estia.registry.service.capacity-changed.v1',
  'estia.registry.code-of-conduct.published.v1',
] as const satisfies readonly EventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (type: string): type is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

/** Every member organisation, or the listed ones; none for types that are not offered. */
export type Audience = { everyone: true } | { everyone: false; organisations: string[] };

const FIELDS: Record<Exclude<WebhookEventType, 'estia.registry.code-of-conduct.published.v1'>, readonly string[]> = {
  'estia.referrals.referral.status-changed.v1': ['fromOrganisationId', 'toOrganisationId'],
  'estia.referrals.access-request.status-changed.v1': ['requesterOrganisationId'],
  'estia.referrals.access-request.received.v1': ['holderOrganisationId'],
  'estia.referrals.deadline.approaching.v1': ['organisationId'],
  'estia.matching.application.status-changed.v1': ['employerOrganisationId'],
  'estia.matching.placement.hired.v1': ['employerOrganisationId'],
  'estia.matching.placement.follow-up-recorded.v1': ['employerOrganisationId'],
  'estia.matching.placement.follow-up-due.v1': ['employerOrganisationId', 'coachOrganisationId'],
  'estia.registry.organisation.membership-changed.v1': ['organisationId'],
  'estia.registry.service.published.v1': ['organisationId'],
  'estia.registry.service.updated.v1': ['organisationId'],
  'estia.registry.service.withdrawn.v1': ['organisationId'],
  'estia.registry.service.capacity-changed.v1': ['organisationId'],
};

export function audienceOf(envelope: Pick<EventEnvelope, 'type' | 'data'>): Audience {
  const type = envelope.type;
  if (!isWebhookEventType(type)) return { everyone: false, organisations: [] };
  if (type === 'estia.registry.code-of-conduct.published.v1') return { everyone: true };
  const data = (envelope.data ?? {}) as Record<string, unknown>;
  const organisations = FIELDS[type]
    .map((field) => data[field])
    .filter((v): v is string => typeof v === 'string' && v !== '');
  return { everyone: false, organisations: [...new Set(organisations)] };
}

/** Whether a subscription's selection (`["*"]` or a list of types) takes this type. */
export const selects = (events: readonly string[], type: string): boolean =>
  isWebhookEventType(type) && (events.includes('*') || events.includes(type));
