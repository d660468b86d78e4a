import { EVENT_SCHEMA_IDS, eventSource, eventTopic, type EventEnvelope } from '@estia/contracts';
import type { EventType } from '@estia/contracts/generated/eventCatalogue.js';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { RelayMapper } from '@estia/infra/processors/relay.js';
import type { ClientEvent } from '../domain/clients/clientDecider.js';
import type { NeedsEvent } from '../domain/needs/needsDecider.js';
import type { Opaque } from '../domain/shared/personal.js';
import type { ReferralEvent } from '../domain/referrals/referralTypes.js';

type Domain = Opaque<ClientEvent> | Opaque<NeedsEvent> | Opaque<ReferralEvent>;

const STATUS_OF: Partial<Record<Domain['type'], string>> = {
  ReferralRequested: 'requested',
  ReferralAccepted: 'accepted',
  ReferralRejected: 'rejected',
  ReferralStarted: 'in-progress',
  ReferralPutOnHold: 'on-hold',
  ReferralCompleted: 'completed',
  ReferralFailed: 'failed',
  ReferralCancelled: 'cancelled',
  ReferralExpired: 'expired',
};

/**
 * The public subset of the referrals domain: what other services need, never `personal` (the mapper
 * builds each payload field by field, so nothing sealed or free-text leaks onto a topic by accident).
 * Returns the public type, the bus key (aggregate id) and the data; null for private events.
 */
export function toPublicEvent(
  event: StoredEvent,
): { type: EventType; subject: string; data: Record<string, unknown> } | null {
  const e = { type: event.type, data: event.data } as Domain;
  switch (e.type) {
    case 'ConsentGiven': {
      const d = e.data;
      return {
        type: 'estia.referrals.client.consent-given.v1',
        subject: d.clientId,
        data: {
          consentId: d.consentId,
          clientId: d.clientId,
          purpose: d.purpose,
          recipient: { ...d.recipient },
          scope: [...d.scope],
          givenAt: d.givenAt,
          expiresAt: d.expiresAt,
          recordedByOrganisationId: d.recordedBy.organisationId,
        },
      };
    }
    case 'ConsentWithdrawn': {
      const d = e.data;
      return {
        type: 'estia.referrals.client.consent-withdrawn.v1',
        subject: d.clientId,
        data: {
          consentId: d.consentId,
          clientId: d.clientId,
          purpose: d.purpose,
          recipient: { ...d.recipient },
          withdrawnAt: d.withdrawnAt,
          recordedByOrganisationId: d.recordedBy.organisationId,
        },
      };
    }
    case 'ClientErased':
      return {
        type: 'estia.referrals.client.erased.v1',
        subject: e.data.clientId,
        data: { clientId: e.data.clientId, erasedAt: e.data.erasedAt },
      };
    case 'NeedAssessed':
    case 'NeedReassessed': {
      const d = e.data;
      return {
        type: 'estia.referrals.client.need-assessed.v1',
        subject: d.clientId,
        data: {
          assessmentId: d.assessmentId,
          clientId: d.clientId,
          category: d.category,
          priority: d.priority,
          assessedByOrganisationId: d.by.organisationId,
          assessedAt: d.at,
        },
      };
    }
    case 'ReferralRequested':
    case 'ReferralAccepted':
    case 'ReferralRejected':
    case 'ReferralStarted':
    case 'ReferralPutOnHold':
    case 'ReferralResumed':
    case 'ReferralCompleted':
    case 'ReferralFailed':
    case 'ReferralCancelled':
    case 'ReferralExpired': {
      const d = e.data as {
        referralId: string;
        senderOrganisationId: string;
        receiverOrganisationId: string;
        serviceId?: string;
        category: string;
        previousStatus?: string;
        reasonCode?: string;
        outcome?: string;
        forwardedFromReferralId?: string;
        at: string;
      };
      const status = e.type === 'ReferralResumed' ? e.data.resumedTo : STATUS_OF[e.type]!;
      return {
        type: 'estia.referrals.referral.status-changed.v1',
        subject: d.referralId,
        data: {
          referralId: d.referralId,
          fromOrganisationId: d.senderOrganisationId,
          toOrganisationId: d.receiverOrganisationId,
          ...(d.serviceId === undefined ? {} : { serviceId: d.serviceId }),
          category: d.category,
          previousStatus: d.previousStatus ?? null,
          status,
          ...(d.reasonCode === undefined ? {} : { reasonCode: d.reasonCode }),
          ...(d.outcome === undefined ? {} : { outcome: d.outcome }),
          ...(d.forwardedFromReferralId === undefined ? {} : { forwardedFromReferralId: d.forwardedFromReferralId }),
          changedAt: d.at,
        },
      };
    }
    default:
      return null;
  }
}

/** Relay mapper: the envelope id is the stored event id, so a republished batch is deduplicated downstream. */
export const referralsRelayMapper: RelayMapper = (event) => {
  const mapped = toPublicEvent(event);
  if (!mapped) return null;
  const actor = event.metadata.actor ?? {};
  const envelope = {
    specversion: '1.0',
    id: event.id,
    source: eventSource(mapped.type),
    type: mapped.type,
    subject: mapped.subject,
    time: event.recordedAt,
    datacontenttype: 'application/json',
    dataschema: EVENT_SCHEMA_IDS[mapped.type],
    correlationid: event.metadata.correlationId ?? event.id,
    causationid: event.metadata.causationId ?? event.metadata.correlationId ?? event.id,
    actororganisation: actor.organisationId ?? 'system',
    ...(actor.userId ? { actoruser: actor.userId } : {}),
    schemaversion: 1,
    data: mapped.data,
  } as unknown as EventEnvelope;
  return { topic: eventTopic(mapped.type), key: mapped.subject, envelope };
};
