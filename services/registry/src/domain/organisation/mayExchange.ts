import { exchangeBlockersAt, type ExchangeBlocker } from '@estia/contracts';
import type { OrganisationState } from './organisation.js';

export type { ExchangeBlocker };

/** The network's current code of conduct as exchange depends on it. */
export interface CodeTerms {
  currentCodeVersion: number | null;
  /** End of the current version's grace period (null: none). */
  acceptanceDueAt: string | null;
}

const licenceExpiresAt = (state: OrganisationState): string | null =>
  state.licence ? new Date(state.licence.validUntil).toISOString() : null;

/** The facts every service decides exchange on (contracts' exchange rule), as the registry knows them. */
export const exchangeTerms = (state: OrganisationState, code: CodeTerms) => ({
  status: state.status,
  licenceExpiresAt: licenceExpiresAt(state),
  acceptedCodeVersion: state.acceptedCodeVersion,
  currentCodeVersion: code.currentCodeVersion,
  codeAcceptanceDueAt: code.acceptanceDueAt,
});

/**
 * Whether an organisation may send or receive case data at `now`, and if not, why (so the console
 * can tell an org admin what to fix). The current code version comes from the code-of-conduct stream.
 */
export const exchangeBlockers = (state: OrganisationState, context: CodeTerms & { now: string }): ExchangeBlocker[] =>
  exchangeBlockersAt(exchangeTerms(state, context), context.now);

export const mayExchange = (state: OrganisationState, context: CodeTerms & { now: string }): boolean =>
  exchangeBlockers(state, context).length === 0;
