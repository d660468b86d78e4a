import type { EventType } from '@estia/contracts/generated/eventCatalogue.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventStore, StoredEvent } from '@estia/infra/eventStore/types.js';
import { publicEvent } from '@estia/infra/processors/publicEvent.js';
import type { RelayMapper, RelayMessage } from '@estia/infra/processors/relay.js';
import { REMINDER_ISSUED, type DeadlineReminderIssued } from '../deadlines/reminderEvents.js';
import { loadClientProfile } from '../application/clientProfile.js';
import type { AccessRequestEvent } from '../domain/accessRequests/accessRequestDecider.js';
import { clientStreamId, type ClientEvent } from '../domain/clients/clientDecider.js';
import type { NeedsEvent } from '../domain/needs/needsDecider.js';
import type { Opaque } from '../domain/shared/personal.js';
import type { ReferralEvent } from '../domain/referrals/referralTypes.js';
import { candidateProfileData } from './candidateProfile.js';

type Domain = Opaque<ClientEvent> | Opaque<NeedsEvent> | Opaque<ReferralEvent> | Opaque<AccessRequestEvent>;

const ACCESS_REQUEST_STATUS = {
  AccessRequested: 'requested',
  AccessRequestApproved: 'approved',
  AccessRequestDeclined: 'declined',
  AccessRequestWithdrawn: 'withdrawn',
  AccessRevoked: 'revoked',
} as const;

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
  if (event.type === REMINDER_ISSUED) {
    // For the holding organisation's officers: the reminder's id and the kind of deadline, never the
    // client or the (sealed) date.
    const d = event.data as DeadlineReminderIssued['data'];
    return {
      type: 'estia.referrals.deadline.approaching.v1',
      subject: d.reminderId,
      data: { reminderId: d.reminderId, organisationId: d.organisationId, deadline: d.deadline, issuedAt: d.issuedAt },
    };
  }
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
          needId: d.needId,
          clientId: d.clientId,
          category: d.category,
          priority: d.priority,
          assessedByOrganisationId: d.by.organisationId,
          assessedAt: d.at,
        },
      };
    }
    case 'NeedClosed': {
      const d = e.data;
      return {
        type: 'estia.referrals.client.need-closed.v1',
        subject: d.clientId,
        data: {
          needId: d.needId,
          clientId: d.clientId,
          reasonCode: d.reasonCode,
          closedByOrganisationId: d.by.organisationId,
          closedAt: d.at,
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
        needId?: string;
        respondBy?: string;
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
          // Only the request names its need and deadline (an expiry carries respondBy too: it is not repeated).
          ...(e.type === 'ReferralRequested' && d.needId !== undefined ? { needId: d.needId } : {}),
          ...(e.type === 'ReferralRequested' ? { respondBy: d.respondBy } : {}),
          changedAt: d.at,
        },
      };
    }
    case 'AccessRequested':
    case 'AccessRequestApproved':
    case 'AccessRequestDeclined':
    case 'AccessRequestWithdrawn':
    case 'AccessRevoked': {
      // For the requester's systems: no client, no holder (whom the requester's person is known to).
      const d = e.data as { accessRequestId: string; requesterOrganisationId: string; reasonCode?: string };
      const at = e.data as Partial<
        Record<'requestedAt' | 'approvedAt' | 'declinedAt' | 'withdrawnAt' | 'revokedAt', string>
      >;
      return {
        type: 'estia.referrals.access-request.status-changed.v1',
        subject: d.accessRequestId,
        data: {
          accessRequestId: d.accessRequestId,
          requesterOrganisationId: d.requesterOrganisationId,
          status: ACCESS_REQUEST_STATUS[e.type],
          ...(d.reasonCode === undefined ? {} : { reasonCode: d.reasonCode }),
          changedAt: (at.requestedAt ?? at.approvedAt ?? at.declinedAt ?? at.withdrawnAt ?? at.revokedAt)!,
        },
      };
    }
    default:
      return null;
  }
}

/** Only what the relay needs to open a client's sealed data. */
export interface RelayMapperDeps {
  store: EventStore;
  keyStore: KeyStore;
  /** Told when a due profile is not published (erased, consent gone, data the contract needs missing). */
  onSkipped?: (eventId: string, why: string) => void;
}

/**
 * The relay mapper (may be async: the candidate profile is opened with the client's key as of the
 * event). The envelope id is the stored event id, so a republished batch is deduplicated downstream;
 * every envelope is built and contract-validated by infra's publicEvent.
 */
export const createReferralsRelayMapper =
  (deps: RelayMapperDeps): RelayMapper =>
  async (event) => {
    if (event.type === 'CandidateProfileShared') return candidateProfileMessage(deps, event);
    const mapped = toPublicEvent(event);
    if (!mapped) return null;
    if (mapped.type === 'estia.referrals.deadline.approaching.v1')
      // Keyed by the reminder, not by the client's reminder stream: the key names no client either.
      return publicEvent(event, mapped.type, mapped.subject, mapped.data as never, { key: mapped.subject });
    const message = publicEvent(event, mapped.type, mapped.subject, mapped.data as never);
    if (event.type === 'AccessRequested') return [message, ...(await holderMessage(deps, event))];
    // Erasure reaches the bus too: every earlier message keyed by this client (the candidate profile
    // with its legal-status dates above all) is forgotten once the erasure itself is acknowledged.
    return mapped.type === 'estia.referrals.client.erased.v1' ? { ...message, forgetEarlier: true } : message;
  };

/**
 * The request as the holder hears of it: a second public event of the same stored event, addressed to
 * the organisation that registered the client, carrying the request's id only. The requester's event
 * above names no holder and the holder's names no requester nor client, so neither reveals to a
 * webhook reader whom the other deals with. The holder is read from the log (the client's
 * registration, which stays after erasure), so a republish gives the same event.
 */
async function holderMessage(deps: RelayMapperDeps, event: StoredEvent): Promise<RelayMessage[]> {
  const d = event.data as { accessRequestId: string; clientId: string; requestedAt: string };
  const [registered] = await deps.store.readStream(clientStreamId(d.clientId), { maxCount: 1 });
  if (registered?.type !== 'ClientRegistered') return [];
  const holderOrganisationId = (registered.data as { registeredBy: { organisationId: string } }).registeredBy
    .organisationId;
  return [
    publicEvent(
      event,
      'estia.referrals.access-request.received.v1',
      d.accessRequestId,
      { accessRequestId: d.accessRequestId, holderOrganisationId, receivedAt: d.requestedAt },
      { facet: 'holder' },
    ),
  ];
}

async function candidateProfileMessage(deps: RelayMapperDeps, event: StoredEvent): Promise<RelayMessage | null> {
  const shared = event.data as Extract<ClientEvent, { type: 'CandidateProfileShared' }>['data'];
  const skip = (why: string): null => {
    deps.onSkipped?.(event.id, why);
    return null;
  };
  // Withdrawal stops new sharing at once: a profile the relay reaches after the withdrawal stays home.
  const later = await deps.store.readStream(clientStreamId(shared.clientId), { fromRevision: event.revision + 1 });
  if (later.some((e) => e.type === 'ClientErased')) return skip('client erased');
  if (
    later.some((e) => e.type === 'ConsentWithdrawn' && (e.data as { consentId: string }).consentId === shared.consentId)
  )
    return skip('consent withdrawn');
  // Erased keys read as the erased marker, so nothing personal can be published once the key is gone.
  const profile = await loadClientProfile(deps.store, deps.keyStore, shared.clientId, { toRevision: event.revision });
  if (!profile) return skip('client unknown');
  const data = candidateProfileData(profile, shared);
  if (!data) return skip(profile.erased ? 'client erased' : 'profile lacks location or availability');
  return publicEvent(event, 'estia.referrals.client.candidate-profile-shared.v1', shared.clientId, data);
}
