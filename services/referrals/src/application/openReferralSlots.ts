import type { HandleCommandOptions } from '@estia/infra/commandHandling/handleCommand.js';
import { fold } from '@estia/infra/decider/types.js';
import { StreamVersionConflictError } from '@estia/infra/eventStore/errors.js';
import type { EventMetadata, EventStore } from '@estia/infra/eventStore/types.js';
import {
  openReferralSlotDecider,
  openReferralSlotStreamId,
  type OpenReferralSlotEvent,
  type OpenReferralSlotState,
  type TakeOpenReferralSlot,
} from '../domain/referrals/openReferralSlot.js';
import { isTerminal, referralDecider } from '../domain/referrals/referralDecider.js';
import {
  referralStreamId,
  type ReferralEvent,
  type ReferralState,
  type SendReferral,
} from '../domain/referrals/referralTypes.js';

/** Looks at the slot again after losing a race for it (then the refusal names the winner). */
const SLOT_RETRIES = 3;

export type SlotCommand = HandleCommandOptions<OpenReferralSlotState, TakeOpenReferralSlot, OpenReferralSlotEvent>;

const foldStream = async <S, E>(
  store: EventStore,
  streamId: string,
  decider: { initialState: () => S; evolve: (s: S, e: E) => S },
): Promise<S> =>
  fold(
    decider,
    (await store.readStream(streamId)).map((e) => ({ type: e.type, data: e.data }) as E),
  );

/** The holder as the slot's decider needs it: still open? may the acting organisation see it? */
const holderFacts = (holder: string, state: ReferralState, organisationId: string): TakeOpenReferralSlot['holder'] => ({
  referralId: holder,
  open: state.status !== 'none' && !isTerminal(state.status),
  visibleToActor:
    state.status !== 'none' && [state.senderOrganisationId, state.receiverOrganisationId].includes(organisationId),
});

/**
 * Runs a send with its (client, service) open-referral slot taken in the same atomic append (see
 * domain/referrals/openReferralSlot.ts): `run` gets the slot's command to append alongside the
 * referral. After a lost race the holder's facts are read again, so the loser is refused naming the winner.
 */
export const openReferralSlotGuard =
  (store: EventStore) =>
  async <T>(send: SendReferral, metadata: EventMetadata, run: (slot: SlotCommand) => Promise<T>): Promise<T> => {
    const streamId = openReferralSlotStreamId(send.clientId, send.serviceId!);
    for (let attempt = 0; ; attempt++) {
      const { holder } = await foldStream<OpenReferralSlotState, OpenReferralSlotEvent>(
        store,
        streamId,
        openReferralSlotDecider,
      );
      const facts =
        holder === null
          ? null
          : holderFacts(
              holder,
              await foldStream<ReferralState, ReferralEvent>(store, referralStreamId(holder), referralDecider),
              send.actor.organisationId,
            );
      try {
        return await run({
          store,
          streamId,
          decider: openReferralSlotDecider,
          command: {
            type: 'TakeOpenReferralSlot',
            clientId: send.clientId,
            serviceId: send.serviceId!,
            referralId: send.referralId,
            holder: facts,
          },
          metadata,
        });
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || error.streamId !== streamId || attempt >= SLOT_RETRIES)
          throw error;
      }
    }
  };
