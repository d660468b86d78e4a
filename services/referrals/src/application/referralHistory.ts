import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import type { EventStore, StoredEvent } from '@estia/infra/eventStore/types.js';
import type { components } from '@estia/contracts/generated/openapi.referrals.js';
import { referralStreamId, type ReferralEvent } from '../domain/referrals/referralTypes.js';
import { openPersonalPart } from './personalCodec.js';

export type ReferralHistory = components['schemas']['ReferralHistory'];
type Entry = ReferralHistory['items'][number];

/** The status a referral is in after each of its events (messages move nothing and are in the thread). */
const STATUS_AFTER: Partial<Record<ReferralEvent['type'], Entry['status']>> = {
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

const NOTE_FIELD = { reasonNote: 'reasonNote', outcomeNote: 'outcomeNote', overrideNote: 'overrideNote' } as const;

/** The free-text note an event carries, opened with the client's key; null once erased or unreadable. */
async function noteOf(
  keyStore: KeyStore,
  event: StoredEvent,
): Promise<Partial<Record<keyof typeof NOTE_FIELD, string>>> {
  try {
    const opened = await openPersonalPart<Record<string, unknown>>(keyStore, event);
    if (opened === undefined || isErased(opened)) return {};
    const out: Partial<Record<keyof typeof NOTE_FIELD, string>> = {};
    for (const field of Object.keys(NOTE_FIELD) as (keyof typeof NOTE_FIELD)[])
      if (typeof opened[field] === 'string') out[field] = opened[field];
    return out;
  } catch {
    return {};
  }
}

/**
 * Every move of one referral, oldest first, from its own stream (the log is the truth, not a read
 * model): what it became, from what, who did it for which organisation, when, with the reason or
 * outcome and its note. Messages are left to the thread. Null when the referral never existed.
 */
export async function loadReferralHistory(
  store: EventStore,
  keyStore: KeyStore,
  referralId: string,
): Promise<ReferralHistory | null> {
  const events = await store.readStream(referralStreamId(referralId));
  if (events.length === 0) return null;
  const items: Entry[] = [];
  for (const stored of events) {
    const event = { type: stored.type, data: stored.data } as ReferralEvent;
    if (event.type === 'ReferralMessagePosted') continue;
    const data = event.data as Record<string, unknown> & {
      at: string;
      by?: { organisationId: string; userId: string };
      previousStatus?: Entry['status'];
    };
    const notes = await noteOf(keyStore, stored);
    const entry: Entry = {
      eventId: stored.id,
      type: event.type,
      at: data.at,
      by: data.by ?? null,
      previousStatus: data.previousStatus ?? null,
      status:
        event.type === 'ReferralResumed'
          ? event.data.resumedTo
          : event.type === 'ReferralForwarded'
            ? (items[items.length - 1]?.status ?? 'requested')
            : STATUS_AFTER[event.type]!,
      ...(typeof data.reasonCode === 'string' ? { reasonCode: data.reasonCode } : {}),
      ...(notes.reasonNote ? { reasonNote: notes.reasonNote } : {}),
      ...(event.type === 'ReferralCompleted' ? { outcome: event.data.outcome } : {}),
      ...(notes.outcomeNote ? { outcomeNote: notes.outcomeNote } : {}),
      ...(event.type === 'ReferralForwarded'
        ? { newReferralId: event.data.newReferralId, toOrganisationId: event.data.toOrganisationId }
        : {}),
      ...(event.type === 'ReferralRequested' && event.data.consentBasis.kind === 'override'
        ? {
            consentOverride: {
              reasonCode: event.data.consentBasis.reasonCode,
              ...(notes.overrideNote ? { note: notes.overrideNote } : {}),
            },
          }
        : {}),
      ...(event.type === 'ReferralRequested' && event.data.forwardedFromReferralId
        ? { forwardedFromReferralId: event.data.forwardedFromReferralId }
        : {}),
    };
    items.push(entry);
  }
  return { referralId, items };
}
