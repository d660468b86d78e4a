import type { Decider } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';

/**
 * At most one open referral per client and service. Reading the referrals read model would race (two
 * officers, or one retrying without its Idempotency-Key, both see none and both send), so the guard is
 * its own stream per (client, service), appended atomically with the referral it admits: of two
 * concurrent sends exactly one moves the slot, the other meets a version conflict, looks again, and is
 * refused naming the first.
 *
 * The slot is not released when its referral closes (that would add a write to every closing
 * transition); instead the next send states which holder it found closed, and may then take it over.
 */
export const openReferralSlotStreamId = (clientId: string, serviceId: string): string =>
  `open-referral-${clientId}-${serviceId}`;

export type OpenReferralSlotEvent = {
  type: 'OpenReferralSlotTaken';
  data: { clientId: string; serviceId: string; referralId: string };
};

export interface TakeOpenReferralSlot {
  type: 'TakeOpenReferralSlot';
  clientId: string;
  serviceId: string;
  referralId: string;
  /** Looked up by the application: the holder it found, whether it is still open, whether the caller may see it. */
  holder: { referralId: string; open: boolean; visibleToActor: boolean } | null;
}

export interface OpenReferralSlotState {
  holder: string | null;
}

export const openReferralSlotDecider: Decider<OpenReferralSlotState, TakeOpenReferralSlot, OpenReferralSlotEvent> = {
  initialState: () => ({ holder: null }),
  decide(command, state) {
    if (state.holder === command.referralId) return [];
    if (state.holder !== null) {
      const known = command.holder?.referralId === state.holder ? command.holder : null;
      // A holder the application did not see (it moved meanwhile) is a referral sent a moment ago: open.
      if (known === null || known.open) {
        const named = known?.visibleToActor === true;
        throw new AppError(
          'CONFLICT',
          named
            ? `client ${command.clientId} already has an open referral to this service: ${state.holder}`
            : `client ${command.clientId} already has an open referral to this service`,
          named ? { extensions: { existingReferralId: state.holder } } : {},
        );
      }
    }
    return [
      {
        type: 'OpenReferralSlotTaken',
        data: { clientId: command.clientId, serviceId: command.serviceId, referralId: command.referralId },
      },
    ];
  },
  evolve: (_state, event) => ({ holder: event.data.referralId }),
};
