import type { ConsentMethod, ConsentPurpose, ConsentScope, ServiceCategory } from '../shared/vocabulary.js';

/**
 * Who may receive under a consent: one organisation, any organisation for a service category, or
 * (job_matching) nobody named = the network's matching service.
 */
export interface ConsentRecipient {
  organisationId?: string;
  serviceCategory?: ServiceCategory;
}

/** A consent as data. No personal data: it says what may be shared with whom, not about whom beyond the id. */
export interface Consent {
  consentId: string;
  clientId: string;
  purpose: ConsentPurpose;
  recipient: ConsentRecipient;
  scope: readonly ConsentScope[];
  method: ConsentMethod;
  recordedBy: { organisationId: string; userId: string };
  givenAt: string;
  expiresAt: string | null;
  withdrawnAt: string | null;
}

/** The receiving side of a sharing: the organisation and, for referrals, the service category. */
export interface SharingTarget {
  organisationId?: string;
  serviceCategory?: ServiceCategory;
}

const recipientMatches = (recipient: ConsentRecipient, target: SharingTarget): boolean => {
  // Both constraints, when given, must hold: a consent for "organisation X, housing" does not cover X's legal clinic.
  if (recipient.organisationId !== undefined && recipient.organisationId !== target.organisationId) return false;
  if (recipient.serviceCategory !== undefined && recipient.serviceCategory !== target.serviceCategory) return false;
  return true;
};

/** In force at `now`: given, not expired, not withdrawn. Withdrawal takes effect at the instant recorded. */
export const consentInForce = (consent: Consent, now: string): boolean => {
  const t = Date.parse(now);
  if (Date.parse(consent.givenAt) > t) return false;
  if (consent.expiresAt !== null && Date.parse(consent.expiresAt) <= t) return false;
  if (consent.withdrawnAt !== null && Date.parse(consent.withdrawnAt) <= t) return false;
  return true;
};

/**
 * The consent (if any) that allows sharing for `purpose` with `target` at `now`, covering every field
 * in `fields` when given. Returns the consent so the event can cite which one was relied on; the most
 * specific match (named organisation) wins over a category-wide one.
 */
export const consentCovers = (
  consents: readonly Consent[],
  purpose: ConsentPurpose,
  target: SharingTarget,
  now: string,
  fields: readonly ConsentScope[] = [],
): Consent | null => {
  const covering = consents.filter(
    (c) =>
      c.purpose === purpose &&
      consentInForce(c, now) &&
      recipientMatches(c.recipient, target) &&
      fields.every((field) => c.scope.includes(field)),
  );
  const specificity = (c: Consent): number =>
    (c.recipient.organisationId === undefined ? 0 : 2) + (c.recipient.serviceCategory === undefined ? 0 : 1);
  return covering.sort((a, b) => specificity(b) - specificity(a) || a.consentId.localeCompare(b.consentId))[0] ?? null;
};
