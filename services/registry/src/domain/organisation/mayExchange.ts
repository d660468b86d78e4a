import { isAfter } from '../shared/validation.js';
import type { OrganisationState } from './organisation.js';

export type ExchangeBlocker = 'not_approved' | 'code_of_conduct_not_accepted' | 'licence_expired';

/**
 * Whether an organisation may send or receive case data right now, and if not, why (so the console
 * can tell an org admin what to fix). The current code version comes from the code-of-conduct stream.
 */
export const exchangeBlockers = (
  state: OrganisationState,
  context: { currentCodeVersion: number | null; now: string },
): ExchangeBlocker[] => {
  const blockers: ExchangeBlocker[] = [];
  if (state.status !== 'approved') blockers.push('not_approved');
  if (context.currentCodeVersion === null || state.acceptedCodeVersion !== context.currentCodeVersion)
    blockers.push('code_of_conduct_not_accepted');
  if (!state.licence || !isAfter(state.licence.validUntil, context.now)) blockers.push('licence_expired');
  return blockers;
};

export const mayExchange = (
  state: OrganisationState,
  context: { currentCodeVersion: number | null; now: string },
): boolean => exchangeBlockers(state, context).length === 0;
