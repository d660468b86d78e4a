import type { ConsentScope } from '../vocabulary.js';

/** The members of a consent the check needs (a case's consent as the referrals service lists it). */
export interface ConsentLike {
  consentId: string;
  purpose: string;
  recipient?: { organisationId?: string; serviceCategory?: string };
  scope: readonly string[];
  givenAt: string;
  withdrawnAt?: string | null;
  expiresAt?: string | null;
}

export const consentInForce = (consent: ConsentLike, at: number = Date.now()): boolean =>
  Date.parse(consent.givenAt) <= at &&
  (consent.withdrawnAt == null || Date.parse(consent.withdrawnAt) > at) &&
  (consent.expiresAt == null || Date.parse(consent.expiresAt) > at);

const specificity = (c: ConsentLike): number =>
  (c.recipient?.organisationId === undefined ? 0 : 2) + (c.recipient?.serviceCategory === undefined ? 0 : 1);

export type Coverage =
  { covered: true; consent: ConsentLike } | { covered: false; missing: ConsentScope[]; nearest: ConsentLike | null };

/**
 * Does a referral consent in force cover this receiver (by organisation, or by the service's category)
 * and every scope to be shared? Shown in place while the officer fills in the referral; the referrals
 * service decides again when it is sent, by the same rule. The most specific consent wins.
 */
export const referralCoverage = (
  consents: readonly ConsentLike[],
  receiver: { organisationId: string; category: string },
  share: readonly ConsentScope[],
  at: number = Date.now(),
): Coverage => {
  const candidates = consents
    .filter((c) => c.purpose === 'referral' && consentInForce(c, at))
    // Both constraints, when given, must hold: "organisation X, housing" does not cover X's legal clinic.
    .filter(
      (c) =>
        (c.recipient?.organisationId === undefined || c.recipient.organisationId === receiver.organisationId) &&
        (c.recipient?.serviceCategory === undefined || c.recipient.serviceCategory === receiver.category),
    )
    .sort((a, b) => specificity(b) - specificity(a));
  for (const consent of candidates)
    if (share.every((s) => consent.scope.includes(s))) return { covered: true, consent };
  const nearest = candidates[0] ?? null;
  return { covered: false, missing: share.filter((s) => !nearest?.scope.includes(s)), nearest };
};
