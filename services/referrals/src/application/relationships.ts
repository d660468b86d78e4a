import type { EventStore } from '@estia/infra/eventStore/types.js';
import { accessRequestStreamId } from '../domain/accessRequests/accessRequestDecider.js';
import { clientDecider, clientStreamId, type ClientState } from '../domain/clients/clientDecider.js';
import { referralStreamId } from '../domain/referrals/referralTypes.js';

/**
 * Relationships read from the log itself, for the checks made before a command: a command may follow
 * the one that created the relationship before the read models saw it (in-process callers, a
 * partner's fast retry), and the log is where the decision will be taken anyway.
 */

/** The client's state as its decider folds it (no key, no personal data). */
export async function clientStateOf(store: EventStore, clientId: string): Promise<ClientState> {
  const events = await store.readStream(clientStreamId(clientId));
  return events.reduce(
    (state, e) => clientDecider.evolve(state, { type: e.type, data: e.data } as never),
    clientDecider.initialState(),
  );
}

/** Sender and receiver of a referral, or null if there is no such referral. */
export async function referralParties(
  store: EventStore,
  referralId: string,
): Promise<{ clientId: string; senderOrganisationId: string; receiverOrganisationId: string } | null> {
  const [first] = await store.readStream(referralStreamId(referralId), { maxCount: 1 });
  if (first?.type !== 'ReferralRequested') return null;
  const d = first.data as { clientId: string; senderOrganisationId: string; receiverOrganisationId: string };
  return {
    clientId: d.clientId,
    senderOrganisationId: d.senderOrganisationId,
    receiverOrganisationId: d.receiverOrganisationId,
  };
}

/** The client and the requesting organisation of an access request, or null if there is none. */
export async function accessRequestParties(
  store: EventStore,
  accessRequestId: string,
): Promise<{ clientId: string; requesterOrganisationId: string } | null> {
  const [first] = await store.readStream(accessRequestStreamId(accessRequestId), { maxCount: 1 });
  if (first?.type !== 'AccessRequested') return null;
  const d = first.data as { clientId: string; requesterOrganisationId: string };
  return { clientId: d.clientId, requesterOrganisationId: d.requesterOrganisationId };
}
