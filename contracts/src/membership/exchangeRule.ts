/**
 * Whether an organisation may send or receive case data at a given instant: one rule for the registry
 * (which knows the facts first-hand) and for every consumer of its membership events (which keep the
 * facts, never a yes/no, and decide with their own clock when a command arrives). A licence that
 * expires and a grace period that ends stop exchange at that moment, though no event says so.
 */
export type ExchangeBlocker = 'not_approved' | 'code_of_conduct_not_accepted' | 'licence_expired';

export interface ExchangeTerms {
  status: string;
  /** ISO instant; null: no licence. */
  licenceExpiresAt: string | null;
  acceptedCodeVersion: number | null;
  currentCodeVersion: number | null;
  /**
   * End of the current version's grace period: a member that had accepted the version before it keeps
   * exchanging until then. Null: no grace (the first version, or one published without).
   */
  codeAcceptanceDueAt: string | null;
}

/** Days a member has to accept a new code version unless the network admin sets otherwise. */
export const DEFAULT_CODE_GRACE_DAYS = 30;

const before = (instant: string | null, now: string): boolean =>
  instant !== null && Date.parse(now) < Date.parse(instant);

export const exchangeBlockersAt = (terms: ExchangeTerms, now: string): ExchangeBlocker[] => {
  const blockers: ExchangeBlocker[] = [];
  if (terms.status !== 'approved') blockers.push('not_approved');
  const { acceptedCodeVersion: accepted, currentCodeVersion: current } = terms;
  const acceptsCurrent = current !== null && accepted === current;
  const inGrace =
    current !== null && accepted !== null && accepted === current - 1 && before(terms.codeAcceptanceDueAt, now);
  if (!acceptsCurrent && !inGrace) blockers.push('code_of_conduct_not_accepted');
  if (!before(terms.licenceExpiresAt, now)) blockers.push('licence_expired');
  return blockers;
};

export const mayExchangeAt = (terms: ExchangeTerms, now: string): boolean =>
  exchangeBlockersAt(terms, now).length === 0;

/** The terms a membership-changed event carries (older producers: the licence's day, no grace). */
export const exchangeTermsOf = (event: {
  status: string;
  licence: { validUntil: string } | null;
  codeOfConductVersionAccepted: number | null;
  currentCodeOfConductVersion: number | null;
  licenceExpiresAt?: string | null;
  codeOfConductAcceptanceDueAt?: string | null;
}): ExchangeTerms => ({
  status: event.status,
  licenceExpiresAt:
    event.licenceExpiresAt !== undefined
      ? event.licenceExpiresAt
      : event.licence
        ? `${event.licence.validUntil.slice(0, 10)}T00:00:00.000Z`
        : null,
  acceptedCodeVersion: event.codeOfConductVersionAccepted,
  currentCodeVersion: event.currentCodeOfConductVersion,
  codeAcceptanceDueAt: event.codeOfConductAcceptanceDueAt ?? null,
});
